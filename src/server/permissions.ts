import type { Permission } from '../privacy/index.ts';

/** How a route is reached: without credentials, with a write key (ingestion), or by a permission. */
export type Access = 'public' | 'write-key' | Permission;

/**
 * Every route's access rule in one table, keyed by "METHOD /route/pattern". The server refuses to
 * start if a route is missing here, so a new route cannot be reachable by accident; the access
 * tests walk the live route table against it.
 */
export const ROUTE_ACCESS: Readonly<Record<string, Access>> = {
  'GET /api/health': 'public',
  'GET /api/session': 'public',
  'POST /api/session': 'public',
  'DELETE /api/session': 'public',

  // Aggregate analytics: every role.
  'GET /api/kpis': 'aggregates:read',
  'GET /api/attribution': 'aggregates:read',
  'GET /api/attribution/compare': 'aggregates:read',
  // Models over a path file the caller sends (nothing from the store is read).
  'POST /api/attribution/paths': 'aggregates:read',
  'GET /api/journeys/top': 'aggregates:read',
  'GET /api/journeys/timing': 'aggregates:read',
  'GET /api/journeys/flows': 'aggregates:read',
  'GET /api/funnels': 'aggregates:read',
  'POST /api/funnels': 'aggregates:read',
  'GET /api/funnels/saved': 'aggregates:read',
  'GET /api/funnels/saved/:name': 'aggregates:read',
  'GET /api/retention': 'aggregates:read',
  'GET /api/conversions': 'aggregates:read',
  'GET /api/events/catalog': 'aggregates:read',
  // A KPI breakdown with groups under k people suppressed (audited).
  'GET /api/kpis/export.csv': 'aggregates:read',

  // Person-level data.
  'GET /api/funnels/dropped': 'people:read',
  'POST /api/funnels/dropped': 'people:read',
  'GET /api/people': 'people:read',
  'GET /api/people/:id': 'people:read',
  'GET /api/events': 'people:read',
  // People matching a filter; e-mail and phone need pii:read too (checked by the route; audited).
  'GET /api/audiences/export.csv': 'people:read',

  // Definitions.
  'POST /api/funnels/saved': 'definitions:write',
  'DELETE /api/funnels/saved/:name': 'definitions:write',
  'POST /api/conversions': 'definitions:write',
  'DELETE /api/conversions/:name': 'definitions:write',

  // Data operations.
  'GET /api/quarantine': 'data:read',
  // Rejected messages with personal data opened, to fix and import again (pii:read checked by the route; audited).
  'GET /api/quarantine/export.ndjson': 'data:read',
  'DELETE /api/quarantine': 'data:write',
  'GET /api/imports': 'data:read',
  'GET /api/sources': 'data:read',
  'POST /api/import/events': 'data:write',
  'POST /api/import/customers': 'data:write',
  'POST /api/import/spend': 'data:write',

  // Administration.
  'POST /api/sources': 'sources:manage',
  'POST /api/sources/:id/rotate': 'sources:manage',
  'DELETE /api/sources/:id': 'sources:manage',
  'GET /api/tokens': 'tokens:manage',
  'POST /api/tokens': 'tokens:manage',
  'DELETE /api/tokens/:id': 'tokens:manage',
  'GET /api/users': 'users:manage',
  'POST /api/users': 'users:manage',
  'PATCH /api/users/:email': 'users:manage',
  'DELETE /api/users/:email': 'users:manage',
  'GET /api/audit': 'audit:read',

  // Rights of data subjects.
  'GET /api/people/:id/export': 'privacy:manage',
  'GET /api/people/:id/consent': 'people:read',
  'GET /api/consent/report': 'data:read',
  'DELETE /api/people/:id': 'privacy:manage',
  'GET /api/privacy/keys': 'privacy:manage',
  'POST /api/privacy/keys/rotate': 'privacy:manage',

  // The API's own description (src/server/openapi.ts): anyone signed in.
  'GET /api/openapi.json': 'aggregates:read',
  'GET /api/docs': 'aggregates:read',
  'GET /api/docs/json': 'aggregates:read',
  'GET /api/docs/yaml': 'aggregates:read',
  'GET /api/docs/static/index.html': 'aggregates:read',
  'GET /api/docs/static/swagger-initializer.js': 'aggregates:read',
  'GET /api/docs/static/*': 'aggregates:read',
};

/** The access rule of a route, or null when the route is not in the table. */
export function routeAccess(method: string, url: string): Access | null {
  if (url.startsWith('/v1/')) return 'write-key';
  if (!url.startsWith('/api/')) return 'public';
  return ROUTE_ACCESS[`${method} ${url}`] ?? null;
}
