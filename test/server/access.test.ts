/**
 * Access control over the live route table: no route outside ingestion, health and sign-in is
 * reachable without credentials, and each role gets exactly what the role model grants.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes, ROUTE_ACCESS, routeAccess, type RegisteredRoute } from '../../src/server/index.ts';
import { can, ROLES } from '../../src/privacy/index.ts';
import { readJson, startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let routes: readonly RegisteredRoute[];
const tokens = new Map<string, string>();

beforeAll(async () => {
  server = await startTestServer({ access: { apiRateLimitPerSecond: 0 } });
  routes = registeredRoutes(server.app);
  for (const role of ROLES) tokens.set(role, (await server.access.createToken(`${role} token`, role)).token);
});
afterAll(async () => {
  await server?.stop();
});

/** A concrete path for a route pattern (parameters filled with ids that do not exist). */
const concrete = (url: string): string => url.replace(/:(\w+)/g, (_, name: string) => `no-such-${name}`);

async function call(route: RegisteredRoute, headers: Record<string, string>): Promise<Response> {
  const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? '{}' : undefined;
  return fetch(server.url + concrete(route.url), {
    method: route.method,
    headers: body ? { ...headers, 'content-type': 'application/json' } : headers,
    body,
  });
}

const protectedRoutes = () => routes.filter((r) => r.url.startsWith('/api/') && routeAccess(r.method, r.url) !== 'public');

describe('the route table', () => {
  it('has an access rule for every route and no rule for a route that does not exist', () => {
    const api = routes.filter((r) => r.url.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(40);
    const live = new Set(api.map((r) => `${r.method} ${r.url}`));
    expect([...live].filter((k) => !(k in ROUTE_ACCESS))).toEqual([]);
    expect(Object.keys(ROUTE_ACCESS).filter((k) => !live.has(k))).toEqual([]);
    expect(routes.filter((r) => r.url.startsWith('/v1/')).every((r) => routeAccess(r.method, r.url) === 'write-key')).toBe(true);
  });

  it('refuses every protected route without credentials, with a bad token and with a forged cookie', async () => {
    const open: string[] = [];
    for (const route of protectedRoutes()) {
      for (const headers of [{}, { authorization: 'Bearer trb_not_a_token' }, { cookie: 'tributary_session=ses_forged' }] as Record<string, string>[]) {
        const res = await call(route, headers);
        if (res.status !== 401) open.push(`${route.method} ${route.url} ${JSON.stringify(headers)} → ${res.status}`);
        else expect((await readJson(res)).error.code).toBe('unauthorized');
      }
    }
    expect(open).toEqual([]);
  });

  it('answers unknown /api paths 401 to strangers and 404 to the signed in', async () => {
    expect((await fetch(`${server.url}/api/no-such-route`)).status).toBe(401);
    expect((await server.api('/api/no-such-route')).status).toBe(404);
  });

  it('ingestion answers without an API token (write key) and health is public', async () => {
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect((await fetch(`${server.url}/api/session`)).status).toBe(200);
    const track = await fetch(`${server.url}/v1/track`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"userId":"u1","event":"x"}' });
    expect(track.status).toBe(401);
  });
});

describe('role × route matrix', () => {
  it('gives each role exactly the routes its permissions allow (403 otherwise)', async () => {
    const wrong: string[] = [];
    for (const role of ROLES) {
      for (const route of protectedRoutes()) {
        const rule = routeAccess(route.method, route.url)!;
        const res = await call(route, { authorization: `Bearer ${tokens.get(role)}` });
        const allowed = rule === 'write-key' || can(role, rule as Parameters<typeof can>[1]);
        const denied = res.status === 403;
        if (res.status === 401 || allowed === denied) wrong.push(`${role} ${route.method} ${route.url} (${rule}) → ${res.status}`);
        if (denied) expect((await readJson(res)).error.message).toContain(`needs ${rule}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('applies the same rules to a signed-in user session', async () => {
    await server.services.admin.addUser({ name: 'test' }, { email: 'm@example.com', role: 'marketer', password: 'marketer passphrase' });
    const login = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'm@example.com', password: 'marketer passphrase' }),
    });
    expect(login.status).toBe(200);
    expect(await readJson(login)).toMatchObject({ authenticated: true, kind: 'user', role: 'marketer', permissions: ['aggregates:read', 'people:read'] });
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).not.toMatch(/Secure/i);
    const session = cookie.split(';')[0];
    expect((await fetch(`${server.url}/api/kpis`, { headers: { cookie: session } })).status).toBe(200);
    expect((await fetch(`${server.url}/api/quarantine`, { headers: { cookie: session } })).status).toBe(403);
    expect((await fetch(`${server.url}/api/users`, { headers: { cookie: session } })).status).toBe(403);
  });
});
