import type { Logger } from 'pino';
import type { Config } from '../config/index.ts';
import type { Store } from '../store/index.ts';
import { AccessAdmin, AccessService, consentPolicyOf, hashCredential, PiiKeyring, UserService, type ConsentPolicy } from '../privacy/index.ts';
import { IngestService, sealerOf, type SealingSpec, type SuppressionSettings } from '../ingest/index.ts';
import { IdentityService, createIdentifierHasher } from '../identity/index.ts';
import { DEFAULT_DERIVE_OPTIONS, DeriveService } from '../channels/index.ts';
import { Processing } from './processing.ts';
import { ErasureService } from '../profiles/index.ts';

export { processPending } from './processing.ts';

/** The capabilities of one data directory, wired once for the server and the CLI alike. */
export interface Services {
  readonly store: Store;
  readonly access: AccessService;
  readonly ingest: IngestService;
  readonly identity: IdentityService;
  readonly derive: DeriveService;
  readonly users: UserService;
  /** Users, tokens and write keys, with every change audited. */
  readonly admin: AccessAdmin;
  /** What ingestion and imports need to drop messages of erased people. */
  readonly suppression: SuppressionSettings;
  /** Erasure and export of a person's data. */
  readonly erasure: ErasureService;
  /** Consent categories → purposes, and the defaults for people who never stated consent. */
  readonly consent: ConsentPolicy;
  /** Days raw events are kept (0: forever). */
  readonly retentionDays: number;
  /** The keys personal data is encrypted with. */
  readonly keyring: PiiKeyring;
  /** How ingestion and imports seal personal data (follows key rotation). */
  readonly sealing: () => SealingSpec;
}

/** The sealing spec of the keyring's current key; the same object until the key changes. */
function sealingOf(keyring: PiiKeyring, config: Config, secret: string): () => SealingSpec {
  let spec: SealingSpec | null = null;
  return () => {
    if (spec === null || spec.key.id !== keyring.current.id) {
      spec = { key: keyring.current, secret, extraFields: config.personalFields, phoneCountryCode: config.identity.defaultPhoneCountryCode };
    }
    return spec;
  };
}

export async function createServices(store: Store, config: Config, secret: string): Promise<Services> {
  const access = new AccessService(store, secret);
  const keyring = await PiiKeyring.open(store, secret);
  const sealing = sealingOf(keyring, config, secret);
  const identity = new IdentityService(store, {
    sealTraits: (traits) => sealerOf(sealing()).seal('traits', traits) ?? traits,
    mergeDistinctUserIds: config.identity.mergeDistinctUserIds,
    maxPeoplePerIdentifier: config.identity.maxPeoplePerIdentifier,
    defaultPhoneCountryCode: config.identity.defaultPhoneCountryCode,
    hash: createIdentifierHasher(secret),
  });
  const derive = new DeriveService(store, { ...DEFAULT_DERIVE_OPTIONS, sessionTimeoutMinutes: config.sessions.timeoutMinutes });
  const users = new UserService(store, secret, {
    maxFailures: config.access.loginMaxFailures,
    lockMinutes: config.access.loginLockMinutes,
    sessionHours: config.access.sessionHours,
  });
  const admin = new AccessAdmin(store, access, users);
  const suppression = { secret, phoneCountryCode: config.identity.defaultPhoneCountryCode };
  const ingest = new IngestService(store, access, config.ingest, suppression, sealing);
  const pseudonym = (personId: string) => 'person:' + hashCredential(secret, `audit:person:${personId}`).slice(0, 16);
  const erasure = new ErasureService(store, createIdentifierHasher(secret), admin.audit, () => ingest.loadSuppressions(), pseudonym, keyring.open);
  return { store, access, ingest, identity, derive, users, admin, suppression, erasure, consent: consentPolicyOf(config.consent), retentionDays: config.retentionDays, keyring, sealing };
}

export function startProcessing(services: Services, logger: Logger, intervalMs?: number): Processing {
  const processing = new Processing(services, logger, intervalMs);
  processing.start();
  return processing;
}
