import Fastify, { LogController } from 'fastify';
import type { Logger } from 'pino';
import type { Store } from '../store/index.ts';
import type { IngestService } from '../ingest/index.ts';
import type { IdentityService } from '../identity/index.ts';
import { can, type AccessAdmin, type AccessService, type ConsentPolicy, type PiiKeyring, type Principal, type UserService } from '../privacy/index.ts';
import type { AccessConfig } from '../config/index.ts';
import { RateLimiter, type SealingSpec, type SuppressionSettings } from '../ingest/index.ts';
import type { ErasureService } from '../profiles/index.ts';
import { TributaryError } from '../errors/index.ts';
import fastifyCookie from '@fastify/cookie';
import { authenticate, type AuthContext } from './auth.ts';
import { routeAccess } from './permissions.ts';
import { apiDocs } from './openapi.ts';
import { adminRoutes } from './routes/admin.ts';
import { sessionRoutes } from './routes/session.ts';
import { DEFAULT_WEB_DIR, pageFallback, webRoutes } from './web.ts';
import { handleError, handleNotFound } from './errors.ts';
import { ingestRoutes } from './routes/ingest.ts';
import { eventRoutes } from './routes/events.ts';
import { catalogRoutes } from './routes/catalog.ts';
import { attributionRoutes } from './routes/attribution.ts';
import { conversionRoutes } from './routes/conversions.ts';
import { peopleRoutes } from './routes/people.ts';
import { funnelRoutes } from './routes/funnels.ts';
import { journeyRoutes } from './routes/journeys.ts';
import { kpiRoutes } from './routes/kpis.ts';
import { retentionRoutes } from './routes/retention.ts';
import { exportRoutes } from './routes/exports.ts';
import { importRoutes } from './routes/import.ts';
import { sourceRoutes } from './routes/sources.ts';
import { ImportService } from '../ingest/index.ts';

export interface AppDeps {
  readonly store: Store;
  readonly access: AccessService;
  readonly ingest: IngestService;
  readonly identity: IdentityService;
  readonly users: UserService;
  readonly admin: AccessAdmin;
  readonly erasure: ErasureService;
  readonly consent: ConsentPolicy;
  /** Rate limits, lockout and session length. */
  readonly accessConfig: AccessConfig;
  /** Lets imports drop messages of erased people. */
  readonly suppression?: SuppressionSettings;
  /** Seals personal data in imports (the API's ingestion seals through the IngestService). */
  readonly sealing?: () => SealingSpec;
  /** Opens sealed personal data for readers allowed to see it (absent: nothing is sealed). */
  readonly keyring?: PiiKeyring;
  readonly logger: Logger;
  /** Process-local tokens (the CLI's) accepted besides stored ones. */
  readonly localTokens?: ReadonlyMap<string, Principal>;
  readonly version: string;
  /** Honour X-Forwarded-* (protocol and host behind a TLS-terminating proxy). */
  readonly trustProxy?: boolean;
  /** The built dashboard (default dist/web); a placeholder page says how to build it when absent. */
  readonly webDir?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
}
const REGISTERED = new WeakMap<object, RegisteredRoute[]>();

/** Every route the app registered (HEAD/OPTIONS left out), for the access tests and docs. */
export function registeredRoutes(app: object): readonly RegisteredRoute[] {
  return REGISTERED.get(app) ?? [];
}

/** The HTTP app: ingestion under /v1 (write key), the query API under /api (token or session, by role), the dashboard at /. */
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
  const auth: AuthContext = { access: deps.access, users: deps.users, localTokens };
  app.setErrorHandler(handleError);
  const routes: RegisteredRoute[] = [];
  REGISTERED.set(app, routes);
  // A route without an access rule must not exist: fail at start, not in production.
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      if (routeAccess(method, route.url) === null) throw new Error(`route ${method} ${route.url} has no access rule in src/server/permissions.ts`);
      routes.push({ method, url: route.url });
    }
  });
  await app.register(fastifyCookie);
  await app.register(apiDocs, { version: deps.version });
  const webDir = deps.webDir ?? DEFAULT_WEB_DIR;
  await app.register(webRoutes, { webDir });
  const servePage = pageFallback(webDir);

  const apiLimiter = new RateLimiter(deps.accessConfig.apiRateLimitPerSecond, deps.accessConfig.apiRateLimitBurst);
  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0];
    if (!path.startsWith('/api/')) return;
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    // Unknown /api paths answer 401 before 404, so the route table is not revealed to strangers.
    const pattern = request.routeOptions.url;
    // (The dashboard's static files route, `/*`, also matches unknown /api paths: that is no rule.)
    const rule = pattern?.startsWith('/api/') ? routeAccess(method, pattern) : null;
    if (rule === 'public') return;
    const principal = await authenticate(request, auth);
    request.principal = principal;
    if (principal.kind !== 'local') {
      const wait = apiLimiter.take(`${principal.kind}:${principal.id}`, Date.now());
      if (wait > 0) {
        throw new TributaryError('rate_limited', `too many requests for this ${principal.kind}: try again in ${wait} s`, undefined, { retryAfter: wait });
      }
    }
    if (rule !== null && rule !== 'write-key' && !can(principal.role, rule)) {
      throw new TributaryError('forbidden', `the ${principal.role} role may not ${method} ${pattern} (needs ${rule})`);
    }
  });

  // After the auth hook, so unknown /api paths are refused to strangers before they are 404s.
  app.setNotFoundHandler((request, reply) => {
    if (!servePage(request, reply)) handleNotFound(request, reply);
  });

  app.get('/api/health', { config: { docs: { summary: 'Health, version and engine' } } }, async () => ({
    status: 'ok',
    version: deps.version,
    engine: deps.store.engine,
    pendingWrites: deps.ingest.writer.pendingRows,
  }));

  await app.register(sessionRoutes, {
    ...auth,
    audit: deps.admin.audit,
    loginAttemptsPerMinute: deps.accessConfig.loginAttemptsPerMinute,
  });
  await app.register(sourceRoutes, { admin: deps.admin });
  await app.register(adminRoutes, { admin: deps.admin, keyring: deps.keyring });
  await app.register(ingestRoutes, { ingest: deps.ingest });
  await app.register(eventRoutes, { store: deps.store, audit: deps.admin.audit, open: deps.keyring?.open });
  await app.register(catalogRoutes, { store: deps.store });
  await app.register(attributionRoutes, { store: deps.store, consent: deps.consent });
  await app.register(conversionRoutes, { store: deps.store, audit: deps.admin.audit });
  await app.register(peopleRoutes, { store: deps.store, identity: deps.identity, erasure: deps.erasure, consent: deps.consent, open: deps.keyring?.open });
  await app.register(funnelRoutes, { store: deps.store, audit: deps.admin.audit, consent: deps.consent });
  await app.register(journeyRoutes, { store: deps.store, consent: deps.consent });
  await app.register(kpiRoutes, { store: deps.store, consent: deps.consent });
  await app.register(retentionRoutes, { store: deps.store, consent: deps.consent });
  await app.register(exportRoutes, {
    store: deps.store,
    identity: deps.identity,
    audit: deps.admin.audit,
    consent: deps.consent,
    minGroupSize: deps.accessConfig.exportMinGroupSize,
    open: deps.keyring?.open,
  });
  const imports = new ImportService(deps.store, deps.access, { suppression: deps.suppression, sealing: deps.sealing });
  app.addHook('onClose', () => imports.close());
  await app.register(importRoutes, { imports });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
