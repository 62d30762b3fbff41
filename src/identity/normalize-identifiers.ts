/**
 * Identifiers of a person and how raw values become them. Pure: the keyed hash that protects
 * e-mail addresses and phone numbers is passed in by the caller (see `createIdentifierHasher`).
 */
import { sealedIdentityHash } from '../privacy/index.ts';

export const IDENTIFIER_KINDS = ['user_id', 'external_id', 'anonymous_id', 'email', 'phone'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/** Kinds whose stored value is a keyed hash, never the raw value. */
export const HASHED_KINDS: ReadonlySet<IdentifierKind> = new Set(['email', 'phone']);

/**
 * One identifier. For `email` and `phone` the value is the keyed hash of the normalised value;
 * for the id kinds it is the id as sent.
 */
export interface Identifier {
  readonly kind: IdentifierKind;
  readonly value: string;
}

/** `(kind, normalisedValue) => keyed hash`, e.g. HMAC-SHA256 with the deployment secret. */
export type IdentifierHash = (kind: IdentifierKind, normalisedValue: string) => string;

/** `kind:value`, the identifier's key in maps and in person-id derivation. */
export function identifierKey(id: Identifier): string {
  return `${id.kind}:${id.value}`;
}

export function parseIdentifierKey(key: string): Identifier {
  const at = key.indexOf(':');
  return { kind: key.slice(0, at) as IdentifierKind, value: key.slice(at + 1) };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * E-mail as matched: trimmed and lower-cased (the whole address: providers treat the local part
 * case-insensitively in practice, and CRM exports change case freely). Anything that is not
 * `local@domain.tld` without whitespace gives null.
 */
export function normalizeEmail(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const email = raw.trim().toLowerCase();
  return email.length <= 320 && EMAIL.test(email) ? email : null;
}

/** Spaces, dashes, dots, slashes and brackets people and CRMs put in numbers. */
const PHONE_FORMATTING = /[\s\-().\/\u00a0]/g;

/**
 * Phone number in E.164 (`+` country code and subscriber number, 8 to 15 digits in all):
 * formatting characters are dropped; `00` is read as `+`; a number without either gets
 * `defaultCountryCode` (digits, with or without `+`) after dropping a national trunk prefix
 * (a leading `0`, or the `1` of an 11-digit North American number). Without a default country
 * code such a number, and anything with letters or extensions, gives null: a wrong guess would
 * link strangers.
 */
export function normalizePhone(raw: unknown, defaultCountryCode?: string): string | null {
  if (typeof raw !== 'string' && typeof raw !== 'number') return null;
  let s = String(raw).trim().replace(PHONE_FORMATTING, '');
  if (s.startsWith('00')) s = '+' + s.slice(2);
  let digits: string;
  if (s.startsWith('+')) {
    digits = s.slice(1);
    if (!/^\d+$/.test(digits)) return null;
  } else {
    const cc = defaultCountryCode?.replace(/^\+/, '');
    if (!cc || !/^[1-9]\d{0,2}$/.test(cc) || !/^\d+$/.test(s)) return null;
    let national = s;
    if (cc === '1' && national.length === 11 && national.startsWith('1')) national = national.slice(1);
    else if (cc !== '1' && national.startsWith('0')) national = national.slice(1);
    digits = cc + national;
  }
  if (digits.startsWith('0') || digits.length < 8 || digits.length > 15) return null;
  return '+' + digits;
}

/** A string id (Segment ids arrive as strings; numbers were coerced at ingest). */
function idValue(raw: unknown): string | null {
  if (typeof raw === 'string') return raw === '' ? null : raw;
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  return null;
}

export function idIdentifier(kind: 'user_id' | 'external_id' | 'anonymous_id', raw: unknown): Identifier | null {
  const value = idValue(raw);
  return value === null ? null : { kind, value };
}

/** The hashed `email` and `phone` identifiers of a traits object (either may be absent). */
export function contactIdentifiers(
  traits: Readonly<Record<string, unknown>> | null | undefined,
  hash: IdentifierHash,
  defaultPhoneCountryCode?: string,
): Identifier[] {
  if (!traits) return [];
  const out: Identifier[] = [];
  // Stored messages carry e-mail and phone sealed, with the identity hash beside the ciphertext.
  const sealedEmail = sealedIdentityHash(traits.email, 'email');
  const email = sealedEmail === undefined ? normalizeEmail(traits.email) : null;
  if (sealedEmail !== undefined) out.push({ kind: 'email', value: sealedEmail });
  else if (email !== null) out.push({ kind: 'email', value: hash('email', email) });
  const sealedPhone = sealedIdentityHash(traits.phone, 'phone');
  const phone = sealedPhone === undefined ? normalizePhone(traits.phone, defaultPhoneCountryCode) : null;
  if (sealedPhone !== undefined) out.push({ kind: 'phone', value: sealedPhone });
  else if (phone !== null) out.push({ kind: 'phone', value: hash('phone', phone) });
  return out;
}

/** How a stored identifier is shown: ids as they are, hashes by a prefix. */
export function displayIdentifier(id: Identifier): { kind: IdentifierKind; value: string; hashed: boolean } {
  const hashed = HASHED_KINDS.has(id.kind);
  return { kind: id.kind, value: hashed ? `${id.value.slice(0, 12)}…` : id.value, hashed };
}
