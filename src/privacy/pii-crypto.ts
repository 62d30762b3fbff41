import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encryption of personal values at rest: AES-256-GCM under a data key named by its id.
 *
 * The nonce is synthetic — the first 12 bytes of an HMAC-SHA256 of the plaintext — so one value under
 * one key always gives the same ciphertext. GCM never sees one nonce with two plaintexts (that would
 * break it), and equal values stay equal in the store: grouping, de-duplication and erasure by value
 * keep working. Equality is all it reveals, and the keyed hash stored beside each value reveals
 * that already.
 *
 * Text form: `v1:<keyId>:<base64url(nonce ‖ ciphertext ‖ tag)>`.
 */
export interface DataKey {
  readonly id: string;
  /** 32 random bytes. */
  readonly key: Uint8Array;
}

const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export function newDataKey(id: string): DataKey {
  if (!KEY_ID.test(id)) throw new Error(`key id ${JSON.stringify(id)}: use 1–32 letters, digits, - or _`);
  return { id, key: randomBytes(32) };
}

/**
 * `nonceSource`: when the caller already holds a keyed hash of exactly this plaintext (the value's
 * `$h`), its first bytes serve as the nonce and save a second HMAC; it must differ whenever the
 * plaintext does.
 */
export function encryptText(key: DataKey, plaintext: string, nonceSource?: Uint8Array): string {
  const data = Buffer.from(plaintext, 'utf8');
  const nonce = (nonceSource ?? createHmac('sha256', key.key).update(data).digest()).subarray(0, NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, nonce);
  cipher.setAAD(Buffer.from(key.id, 'utf8'));
  const body = Buffer.concat([nonce, cipher.update(data), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}:${key.id}:${body.toString('base64url')}`;
}

/** The key id a ciphertext names, or null when the text is not one. */
export function keyIdOf(ciphertext: string): string | null {
  const parts = ciphertext.split(':');
  return parts.length === 3 && parts[0] === VERSION && KEY_ID.test(parts[1]) ? parts[1] : null;
}

/** Decrypts with the key the ciphertext names; throws when that key is unknown or the text was altered. */
export function decryptText(keys: ReadonlyMap<string, DataKey>, ciphertext: string): string {
  const id = keyIdOf(ciphertext);
  if (id === null) throw new Error('not a Tributary ciphertext');
  const key = keys.get(id);
  if (!key) throw new Error(`personal data key ${id} is not in the keyring (was the deployment secret changed?)`);
  const body = Buffer.from(ciphertext.slice(VERSION.length + id.length + 2), 'base64url');
  if (body.length < NONCE_BYTES + TAG_BYTES) throw new Error('ciphertext is too short');
  const decipher = createDecipheriv('aes-256-gcm', key.key, body.subarray(0, NONCE_BYTES));
  decipher.setAAD(Buffer.from(id, 'utf8'));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  return Buffer.concat([decipher.update(body.subarray(NONCE_BYTES, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
}

/** The key that wraps data keys, derived from the deployment secret (HKDF-SHA256). */
export function wrappingKey(secret: string): DataKey {
  if (secret.length === 0) throw new Error('personal data keys need the deployment secret');
  return { id: 'wrap', key: Buffer.from(hkdfSync('sha256', secret, 'tributary', 'personal-data-key-wrapping', 32)) };
}

/**
 * A data key encrypted under the wrapping key. Wrapping uses a random nonce: a data key is
 * wrapped once, and two wraps of one key need not match.
 */
export function wrapKey(wrapping: DataKey, key: DataKey): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', wrapping.key, nonce);
  cipher.setAAD(Buffer.from(key.id, 'utf8'));
  return Buffer.concat([nonce, cipher.update(key.key), cipher.final(), cipher.getAuthTag()]).toString('base64url');
}

export function unwrapKey(wrapping: DataKey, id: string, wrapped: string): DataKey {
  const body = Buffer.from(wrapped, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', wrapping.key, body.subarray(0, NONCE_BYTES));
  decipher.setAAD(Buffer.from(id, 'utf8'));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
    return { id, key: Buffer.concat([decipher.update(body.subarray(NONCE_BYTES, body.length - TAG_BYTES)), decipher.final()]) };
  } catch {
    throw new Error(`personal data key ${id} cannot be unwrapped: the deployment secret is not the one it was created with`);
  }
}
