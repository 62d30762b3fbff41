import { contactIdentifiers, HASHED_KINDS, type Identifier, type IdentifierHash, type IdentifierKind } from './normalize-identifiers.ts';

/**
 * Suppression keys: `<kind>:<keyed hash>` for every identifier of an erased person. E-mail and
 * phone identifiers are stored hashed already (their hash is the key); ids are hashed here, so
 * the suppression list never holds an identifier in the clear.
 */
export function suppressionKey(id: Identifier, hash: IdentifierHash): string {
  return `${id.kind}:${HASHED_KINDS.has(id.kind) ? id.value : hash(id.kind, id.value)}`;
}

/** The identifying fields of one message as ingestion stores it. */
export interface MessageIdentifiers {
  readonly userId: string | null;
  readonly anonymousId: string | null;
  /** An alias's previousId: a userId or an anonymousId. */
  readonly previousId: string | null;
  /** Traits as stored (JSON text), for e-mail and phone. */
  readonly traitsJson: string | null;
}

/**
 * A test for "does this message belong to a suppressed person". Cheap when the list is empty (no
 * hashing at all); otherwise hashes the message's ids, and its traits' e-mail and phone when the
 * traits mention them.
 */
export function createSuppressionMatcher(keys: Iterable<string>, hash: IdentifierHash, phoneCountryCode?: string): ((m: MessageIdentifiers) => boolean) | null {
  const set = new Set(keys);
  if (set.size === 0) return null;
  const has = (kind: IdentifierKind, value: string | null): boolean => value !== null && value !== '' && set.has(`${kind}:${hash(kind, value)}`);
  return (m) => {
    if (has('user_id', m.userId) || has('anonymous_id', m.anonymousId)) return true;
    if (m.previousId !== null && (has('user_id', m.previousId) || has('anonymous_id', m.previousId))) return true;
    if (m.traitsJson === null || !(m.traitsJson.includes('email') || m.traitsJson.includes('phone'))) return false;
    let traits: unknown;
    try {
      traits = JSON.parse(m.traitsJson);
    } catch {
      return false;
    }
    if (traits === null || typeof traits !== 'object') return false;
    return contactIdentifiers(traits as Record<string, unknown>, hash, phoneCountryCode).some((id) => set.has(`${id.kind}:${id.value}`));
  };
}
