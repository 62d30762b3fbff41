import Fastify, { LogController } from 'fastify';
import type { Logger } from 'pino';
import type { Store } from '../store/index.ts';
import type { IngestService } from '../ingest/index.ts';
import type { IdentityService } from '../identity/index.ts';
import type { AccessService, Principal } from '../privacy/index.ts';
import fastifyCookie from '@fastify/cookie';
import { authenticate } from './auth.ts';
import { sessionRoutes } from './routes/session.ts';
import { DEFAULT_WEB_DIR, pageFallback, webRoutes } from './web.ts';
import { handleError, handleNotFound } from './errors.ts';
import { ingestRoutes } from './routes/ingest.ts';
import { eventRoutes } from './routes/events.ts';
import { attributionRoutes } from './routes/attribution.ts';
import { conversionRoutes } from './routes/conversions.ts';
import { peopleRoutes } from './routes/people.ts';
import { funnelRoutes } from './routes/funnels.ts';
import { journeyRoutes } from './routes/journeys.ts';
import { kpiRoutes } from './routes/kpis.ts';
import { retentionRoutes } from './routes/retention.ts';
import { importRoutes } from './routes/import.ts';
import { ImportService } from '../ingest/index.ts';

export interface AppDeps {
  readonly store: Store;
  readonly access: AccessService;
  readonly ingest: IngestService;
  readonly identity: IdentityService;
  readonly logger: Logger;
  /** Process-local tokens (the CLI's) accepted besides stored ones. */
  readonly localTokens?: ReadonlyMap<string, Principal>;
  readonly version: string;
  /** Honour X-Forwarded-* (protocol and host behind a TLS-terminating proxy). */
  readonly trustProxy?: boolean;
  /** The built dashboard (default dist/web); a placeholder page says how to build it when absent. */
  readonly webDir?: string;
}

/** Routes that need no credentials (besides `/v1/*`, which authenticates by write key). */
const PUBLIC_API = new Set(['/api/health', '/api/session']);

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** The HTTP app: ingestion under /v1, the query API under /api (Bearer token). */
export async function buildApp(deps: AppDeps) {
  const app = Fastify({
    loggerInstance: deps.logger,
    // One log line per request would cost more than the ingestion itself at full load.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    // Give slow clients time to send a large batch, but not forever.
    requestTimeout: 30_000,
    return503OnClosing: true,
    trustProxy: deps.trustProxy ?? false,
  });
  const localTokens = deps.localTokens ?? new Map<string, Principal>();
  app.setErrorHandler(handleError);
  await app.register(fastifyCookie);
  const webDir = deps.webDir ?? DEFAULT_WEB_DIR;
  await app.register(webRoutes, { webDir });
  const servePage = pageFallback(webDir);
  app.setNotFoundHandler((request, reply) => {
    if (!servePage(request, reply)) handleNotFound(request, reply);
  });

  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0];
    if (!path.startsWith('/api/') || PUBLIC_API.has(path)) return;
    request.principal = await authenticate(request, deps.access, localTokens);
  });

  app.get('/api/health', async () => ({
    status: 'ok',
    version: deps.version,
    engine: deps.store.engine,
    pendingWrites: deps.ingest.writer.pendingRows,
  }));

  await app.register(sessionRoutes, { access: deps.access, localTokens });
  await app.register(ingestRoutes, { ingest: deps.ingest });
  await app.register(eventRoutes, { store: deps.store });
  await app.register(attributionRoutes, { store: deps.store });
  await app.register(conversionRoutes, { store: deps.store });
  await app.register(peopleRoutes, { store: deps.store, identity: deps.identity });
  await app.register(funnelRoutes, { store: deps.store });
  await app.register(journeyRoutes, { store: deps.store });
  await app.register(kpiRoutes, { store: deps.store });
  await app.register(retentionRoutes, { store: deps.store });
  const imports = new ImportService(deps.store, deps.access);
  app.addHook('onClose', () => imports.close());
  await app.register(importRoutes, { imports });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
