import { createHmac } from 'node:crypto';
import type { IdentifierHash } from './normalize-identifiers.ts';

/**
 * The keyed hash of normalised e-mails and phones: HMAC-SHA256 with the deployment secret over
 * `identity:<kind>:<value>`. Without the secret a stored hash cannot be tested against a guessed
 * address; with it, the same address always gives the same hash, so CRM rows match online people.
 */
export function createIdentifierHasher(secret: string): IdentifierHash {
  if (secret.length === 0) throw new Error('the identity hash needs the deployment secret');
  // The same HMAC as hashCredential, with the key converted once instead of on every call.
  const key = Buffer.from(secret, 'utf8');
  return (kind, value) => createHmac('sha256', key).update(`identity:${kind}:${value}`).digest('hex');
}
