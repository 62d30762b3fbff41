import type { Logger } from 'pino';
import type { Config } from '../config/index.ts';
import type { Store } from '../store/index.ts';
import { AccessService } from '../privacy/index.ts';
import { IngestService } from '../ingest/index.ts';
import { IdentityService, createIdentifierHasher } from '../identity/index.ts';
import { DEFAULT_DERIVE_OPTIONS, DeriveService } from '../channels/index.ts';
import { Processing } from './processing.ts';

export { processPending } from './processing.ts';

/** The capabilities of one data directory, wired once for the server and the CLI alike. */
export interface Services {
  readonly store: Store;
  readonly access: AccessService;
  readonly ingest: IngestService;
  readonly identity: IdentityService;
  readonly derive: DeriveService;
}

export function createServices(store: Store, config: Config, secret: string): Services {
  const access = new AccessService(store, secret);
  const identity = new IdentityService(store, {
    mergeDistinctUserIds: config.identity.mergeDistinctUserIds,
    maxPeoplePerIdentifier: config.identity.maxPeoplePerIdentifier,
    defaultPhoneCountryCode: config.identity.defaultPhoneCountryCode,
    hash: createIdentifierHasher(secret),
  });
  const derive = new DeriveService(store, { ...DEFAULT_DERIVE_OPTIONS, sessionTimeoutMinutes: config.sessions.timeoutMinutes });
  return { store, access, ingest: new IngestService(store, access, config.ingest), identity, derive };
}

export function startProcessing(services: Services, logger: Logger, intervalMs?: number): Processing {
  const processing = new Processing(services, logger, intervalMs);
  processing.start();
  return processing;
}
