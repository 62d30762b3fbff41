import { hashCredential } from '../privacy/index.ts';
import type { IdentifierHash } from './normalize-identifiers.ts';

/**
 * The keyed hash of normalised e-mails and phones: HMAC-SHA256 with the deployment secret over
 * `identity:<kind>:<value>`. Without the secret a stored hash cannot be tested against a guessed
 * address; with it, the same address always gives the same hash, so CRM rows match online people.
 */
export function createIdentifierHasher(secret: string): IdentifierHash {
  if (secret.length === 0) throw new Error('the identity hash needs the deployment secret');
  return (kind, value) => hashCredential(secret, `identity:${kind}:${value}`);
}
