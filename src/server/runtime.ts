import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { pino, type Logger } from 'pino';
import type { Config } from '../config/index.ts';
import { openStore, type Store } from '../store/index.ts';
import { loadOrCreateSecret, type AccessService, type Bootstrap, type Principal } from '../privacy/index.ts';
import type { IngestService } from '../ingest/index.ts';
import { createServices, startProcessing, type Services } from './services.ts';
import { buildApp, type App } from './app.ts';
import { removeServerFile, writeServerFile } from './server-file.ts';
import { VERSION } from '../version.ts';

export interface RunningServer {
  readonly url: string;
  readonly app: App;
  readonly store: Store;
  readonly ingest: IngestService;
  readonly access: AccessService;
  /** Credentials created on this start (first start only). */
  readonly bootstrap: Bootstrap;
  readonly services: Services;
  /** Brings identity, sessions and touches up to date now (tests; the server does it every few seconds). */
  processNow(): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly logger?: Logger;
  /** Write `server.json` so the CLI can reach this server (off for tests that share a data dir). */
  readonly announce?: boolean;
  /** How often derived data (identity, sessions) catches up with new events. */
  readonly processingIntervalMs?: number;
}

/** Opens the data directory (creating it on first start), then serves the API on host:port. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  fs.mkdirSync(config.dataDir, { recursive: true });
  const secret = loadOrCreateSecret(config.dataDir, config.secret);
  const store = await openStore(config.dataDir);
  const services = await createServices(store, config, secret);
  const { access, ingest } = services;
  const bootstrap = await access.bootstrap({ writeKey: config.writeKey, adminToken: config.adminToken });
  await ingest.warmUp();
  const processing = startProcessing(services, logger, options.processingIntervalMs ?? config.processingIntervalMs);

  const cliToken = randomBytes(24).toString('base64url');
  const localTokens = new Map<string, Principal>([[cliToken, { kind: 'local', id: 'local-cli', name: 'cli', role: 'admin' }]]);
  const app = await buildApp({
    store,
    access,
    ingest,
    identity: services.identity,
    users: services.users,
    admin: services.admin,
    erasure: services.erasure,
    consent: services.consent,
    accessConfig: config.access,
    suppression: services.suppression,
    sealing: services.sealing,
    keyring: services.keyring,
    logger,
    localTokens,
    version: VERSION,
    trustProxy: config.trustProxy,
  });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  if (options.announce !== false) writeServerFile(config.dataDir, { url, pid: process.pid, token: cliToken });

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      ingest.writer.beginShutdown();
      await app.close();
      await ingest.close();
      await processing.stop();
      await store.close();
      if (options.announce !== false) removeServerFile(config.dataDir, process.pid);
    })();
    return closing;
  };
  return { url, app, store, ingest, access, bootstrap, services, processNow: () => processing.runNow(), close };
}
