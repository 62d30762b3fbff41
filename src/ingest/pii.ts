import { createIdentifierHasher, normalizeEmail, normalizePhone } from '../identity/index.ts';
import { createSealer, type DataKey, type Sealer } from '../privacy/index.ts';

/**
 * What ingestion needs to seal personal data: plain data, so it crosses to parse and import
 * worker threads with each request or task (a key rotation reaches them with the next one).
 */
export interface SealingSpec {
  readonly key: DataKey;
  readonly secret: string;
  readonly extraFields: readonly string[];
  readonly phoneCountryCode?: string;
}

let last: { spec: SealingSpec; sealer: Sealer } | null = null;

/** The sealer of a spec; one is kept per thread while the key stays the same. */
export function sealerOf(spec: SealingSpec): Sealer {
  if (last && (last.spec === spec || (last.spec.key.id === spec.key.id && last.spec.secret === spec.secret && sameFields(last.spec, spec)))) return last.sealer;
  const hash = createIdentifierHasher(spec.secret);
  const sealer = createSealer({
    key: spec.key,
    secret: spec.secret,
    extraFields: spec.extraFields,
    contactHash: (kind, value) => {
      const normalized = kind === 'email' ? normalizeEmail(value) : normalizePhone(value, spec.phoneCountryCode);
      return normalized === null ? null : hash(kind, normalized);
    },
  });
  last = { spec, sealer };
  return sealer;
}

function sameFields(a: SealingSpec, b: SealingSpec): boolean {
  return a.phoneCountryCode === b.phoneCountryCode && a.extraFields.join('\u0000') === b.extraFields.join('\u0000');
}
