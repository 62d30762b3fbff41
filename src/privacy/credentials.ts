import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefixes make a leaked secret recognisable (and greppable) by kind. */
export const WRITE_KEY_PREFIX = 'wk_';
export const ADMIN_TOKEN_PREFIX = 'trb_';

/** A new random secret: prefix + 32 bytes in base64url (256 bits). */
export function generateSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/**
 * Keyed hash of a credential (HMAC-SHA256 with the deployment secret). Only this hash is stored,
 * so a copied database file does not reveal usable keys.
 */
export function hashCredential(secret: string, credential: string): string {
  return createHmac('sha256', secret).update(credential).digest('hex');
}

/** Constant-time comparison of two hex hashes. */
export function sameHash(a: string, b: string): boolean {
  const ba = Buffer.from(a, 'hex');
  const bb = Buffer.from(b, 'hex');
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

/** The last four characters, shown in listings so a user can tell keys apart. */
export function credentialHint(credential: string): string {
  return '…' + credential.slice(-4);
}
