import { createHmac } from 'node:crypto';
import { encryptText, type DataKey } from './pii-crypto.ts';
import { maskValue } from './mask.ts';

/**
 * Personal data in messages: which fields hold it, how it is sealed on ingest, and how it is shown
 * again. A sealed value replaces the plain one inside the JSON document:
 *
 *   {"$enc": "v1:k1:…", "$h": "<HMAC-SHA256 hex>", "$k": "email"}
 *
 * `$enc` is the value's JSON text encrypted (src/privacy/pii-crypto.ts); `$h` is a keyed hash for
 * matching without decrypting; `$k` says the hash is the identity graph's hash of a normalised
 * e-mail or phone, so identity and suppression match on it exactly as on a plain address.
 */
export interface Sealed {
  readonly $enc: string;
  readonly $h: string;
  readonly $k?: 'email' | 'phone';
}

/** Where a document sits in a message: its rules for personal fields differ. */
export type Section = 'traits' | 'properties' | 'context';

const CONTACT = /^(e-?mail|email_?address|phone|phone_?number|mobile|tel|telephone)$/i;
// `name` is personal among traits; among properties it names a product or a page.
const PERSON = /^(first_?name|last_?name|full_?name|username|birthday|birth_?date|date_?of_?birth|dob|address|street|street_?2|address_?line_?[12]|postal_?code|zip|zip_?code|ip|ssn|national_?id|passport)$/i;

/** Whether a field of a document holds personal data (`extra`: configured field names, lower-case). */
export function isPersonalField(section: Section, key: string, extra: ReadonlySet<string> = EMPTY): boolean {
  if (CONTACT.test(key) || PERSON.test(key) || extra.has(key.toLowerCase())) return true;
  return section === 'traits' && key.toLowerCase() === 'name';
}

const EMPTY: ReadonlySet<string> = new Set();
const ADDRESS = /^(address|billing_?address|shipping_?address)$/i;
const REGION = /^(country|country_?code|state|region|province)$/i;

export function isSealed(value: unknown): value is Sealed {
  return value !== null && typeof value === 'object' && typeof (value as Sealed).$enc === 'string' && typeof (value as Sealed).$h === 'string';
}

/**
 * The identity hash a field carries, when it is a sealed e-mail/phone of that kind: the value
 * itself, or its JSON text as the engine's json functions return an object.
 */
export function sealedIdentityHash(value: unknown, kind: 'email' | 'phone'): string | undefined {
  let v = value;
  if (typeof v === 'string' && v.startsWith('{"$enc"')) {
    try {
      v = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  return isSealed(v) && v.$k === kind ? v.$h : undefined;
}

export interface SealerOptions {
  readonly key: DataKey;
  /** The deployment secret: keys the `$h` hashes. */
  readonly secret: string;
  /** More field names that hold personal data (matched case-insensitively). */
  readonly extraFields?: readonly string[];
  /** The identity graph's hash of an e-mail or phone, or null when the value does not normalise. */
  readonly contactHash: (kind: 'email' | 'phone', value: unknown) => string | null;
}

export interface Sealer {
  /** A copy of the document with its personal fields sealed; the same object when it has none. */
  seal(section: Section, doc: Record<string, unknown> | undefined): Record<string, unknown> | undefined;
  /** A whole text sealed as one value (a request body that could not be read as messages). */
  sealText(text: string): Sealed;
}

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => v !== null && typeof v === 'object' && !Array.isArray(v);

export function createSealer(options: SealerOptions): Sealer {
  const extra = new Set((options.extraFields ?? []).map((f) => f.toLowerCase()));
  const cache = new Map<string, Sealed>();
  const secret = Buffer.from(options.secret, 'utf8');
  const sealValue = (key: string, value: unknown): Sealed => {
    const text = JSON.stringify(value);
    const kind = key === 'email' ? 'email' : key === 'phone' ? 'phone' : null;
    const memo = `${kind ?? ''}\u0000${text}`;
    const hit = cache.get(memo);
    if (hit) return hit;
    const identity = kind ? options.contactHash(kind, value) : null;
    // The keyed hash of the exact text is the value's `$h` and, cut short, its nonce.
    const exact = createHmac('sha256', secret).update(`pii:${text}`).digest();
    const $enc = encryptText(options.key, text, exact);
    const sealed: Sealed = identity ? { $enc, $h: identity, $k: kind! } : { $enc, $h: exact.toString('hex') };
    // Messages of one person repeat the same few values: a small cache saves most of the cipher work.
    if (cache.size >= 4096) cache.clear();
    cache.set(memo, sealed);
    return sealed;
  };
  const walk = (section: Section, doc: Dict, depth: number): Dict => {
    let out: Dict | null = null;
    for (const [key, value] of Object.entries(doc)) {
      let next = value;
      // A value that only looks sealed came from a client: it is sealed like any other, so a forged
      // `$h` never reaches identity matching.
      if (value === null || value === undefined || value === '' || typeof value === 'boolean') continue;
      if (section === 'context' && key === 'traits' && isDict(value)) next = walk('traits', value, depth + 1);
      else if (ADDRESS.test(key) && isDict(value)) next = walkAddress(value);
      else if (isPersonalField(section, key, extra)) next = sealValue(key, value);
      else if (isDict(value) && depth < 8) next = walk(section, value, depth + 1);
      if (next !== value) (out ??= { ...doc })[key] = next;
    }
    return out ?? doc;
  };
  // An address object keeps its region fields readable (country and state feed geography); the rest is sealed.
  const walkAddress = (doc: Dict): Dict => {
    const out: Dict = {};
    for (const [key, value] of Object.entries(doc)) {
      out[key] = REGION.test(key) || value === null || value === undefined || value === '' ? value : sealValue(key, value);
    }
    return out;
  };
  return {
    seal: (section, doc) => (doc === undefined ? undefined : walk(section, doc, 0)),
    sealText: (text) => sealValue('', text),
  };
}

const SECTIONS: readonly Section[] = ['traits', 'properties', 'context'];

/**
 * A raw message (or a batch of them) as kept in the quarantine, with its personal fields sealed;
 * anything that is not a message object is sealed whole.
 */
export function sealPayload(sealer: Sealer, payload: unknown): unknown {
  if (payload === null || payload === undefined) return payload;
  if (typeof payload === 'string') {
    // A line of an import is kept as its message when it parses, so only its personal fields are hidden.
    const text = payload.trimStart();
    if (text.startsWith('{') || text.startsWith('[')) {
      try {
        return sealPayload(sealer, JSON.parse(text));
      } catch {
        // not JSON: sealed whole below
      }
    }
    return sealer.sealText(payload);
  }
  if (Array.isArray(payload)) return payload.map((p) => sealPayload(sealer, p));
  if (!isDict(payload)) return payload;
  let out: Dict = payload;
  if (Array.isArray(payload.batch)) out = { ...out, batch: payload.batch.map((p) => sealPayload(sealer, p)) };
  for (const section of SECTIONS) {
    const doc = payload[section];
    if (isDict(doc)) {
      const sealed = sealer.seal(section, doc);
      if (sealed !== doc) out = { ...out, [section]: sealed };
    }
  }
  return out;
}

/** The reader's copy of a quarantined payload (the inverse of `sealPayload`). */
export function revealPayload(payload: unknown, open: Opener, mode: 'clear' | 'mask'): unknown {
  if (isSealed(payload)) {
    const plain = opened(open, payload);
    return mode === 'clear' || typeof plain !== 'string' ? plain : '[personal data hidden]';
  }
  if (Array.isArray(payload)) return payload.map((p) => revealPayload(p, open, mode));
  if (!isDict(payload)) return payload;
  const out: Dict = { ...payload };
  if (Array.isArray(payload.batch)) out.batch = payload.batch.map((p) => revealPayload(p, open, mode));
  for (const section of SECTIONS) {
    const doc = payload[section];
    if (isDict(doc)) out[section] = revealDocument(doc, section, open, mode);
  }
  return out;
}

/** Decrypts a sealed value's `$enc` text (the keyring's `open`). */
export type Opener = (ciphertext: string) => string;

/** The opener of a reader without a keyring: every sealed value shows as unreadable. */
export const cannotOpen: Opener = () => {
  throw new Error('no keyring');
};

/** What a value looks like when its key is not in the keyring: said plainly, never an error page. */
export const UNREADABLE = '[encrypted: key unavailable]';

function opened(open: Opener, sealed: Sealed): unknown {
  try {
    return JSON.parse(open(sealed.$enc));
  } catch {
    return UNREADABLE;
  }
}

/**
 * A copy of a stored document for a reader: sealed values decrypted (`clear`), or decrypted and
 * masked (`mask`, roles without personal-data access). In `mask` mode, personal fields stored in
 * the clear (before sealing existed, or configured later) are masked as well.
 */
export function revealDocument(doc: Dict, section: Section, open: Opener, mode: 'clear' | 'mask', depth = 0): Dict {
  const out: Dict = {};
  for (const [key, value] of Object.entries(doc)) {
    if (isSealed(value)) {
      const plain = opened(open, value);
      out[key] = mode === 'clear' || plain === UNREADABLE ? plain : maskValue(key, plain);
    } else if (section === 'context' && key === 'traits' && isDict(value)) out[key] = revealDocument(value, 'traits', open, mode, depth + 1);
    else if (isDict(value) && depth < 8) out[key] = revealDocument(value, section, open, mode, depth + 1);
    else if (mode === 'mask' && isPersonalField(section, key) && value !== null && value !== undefined) out[key] = maskValue(key, value);
    else out[key] = value;
  }
  return out;
}

/** Whether a JSON text may hold sealed values (a cheap test before parsing). */
export const mayHoldSealed = (text: string): boolean => text.includes('"$enc"');
