import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, readJson, startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ access: { loginMaxFailures: 3 } });
});
afterAll(async () => {
  await server?.stop();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const admin = (path: string, method = 'GET', body?: unknown) =>
  server.api(path, body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('sign-in, lockout and throttling', () => {
  it('locks an account after repeated wrong passwords and audits each attempt', async () => {
    expect((await admin('/api/users', 'POST', { email: 'ana@example.com', role: 'analyst', password: 'analyst passphrase' })).status).toBe(201);
    for (let i = 0; i < 2; i++) {
      const res = await post('/api/session', { email: 'ana@example.com', password: 'guess number ' + i });
      expect(res.status).toBe(401);
      expect((await readJson(res)).error.message).toBe('wrong e-mail or password');
    }
    const third = await post('/api/session', { email: 'ana@example.com', password: 'guess number 3' });
    expect(third.status).toBe(423);
    expect((await readJson(third)).error.message).toMatch(/locked until \d{4}-\d\d-\d\dT/);
    const right = await post('/api/session', { email: 'ana@example.com', password: 'analyst passphrase' });
    expect(right.status).toBe(423);
    const { entries } = await readJson(await admin('/api/audit?action=login'));
    expect(entries.filter((e: { actor: string; outcome: string }) => e.actor === 'ana@example.com' && e.outcome === 'failed')).toHaveLength(4);
    expect(entries[0].details).toMatchObject({ method: 'password', reason: 'locked' });
  });

  it('throttles sign-in attempts from one address across accounts (429 with Retry-After)', async () => {
    const throttled = await startTestServer({ access: { loginAttemptsPerMinute: 3 } });
    try {
      const statuses: number[] = [];
      let last: Response | null = null;
      for (let i = 0; i < 4; i++) {
        last = await fetch(`${throttled.url}/api/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: `nobody${i}@example.com`, password: 'whatever really' }),
        });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await readJson(last!)).error.message).toContain('too many sign-in attempts from this address');
    } finally {
      await throttled.stop();
    }
  });
});

describe('administration over HTTP', () => {
  it('rotates a write key: the old key stops, the new key ingests, and the audit log names the admin', async () => {
    const created = await readJson(await admin('/api/sources', 'POST', { name: 'web' }));
    const track = (key: string) =>
      fetch(`${server.url}/v1/track`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(key) }, body: JSON.stringify({ userId: 'u1', event: 'Signed Up' }) });
    expect((await track(created.writeKey)).status).toBe(200);
    const rotated = await readJson(await admin(`/api/sources/${created.source.id}/rotate`, 'POST'));
    expect((await track(created.writeKey)).status).toBe(401);
    expect((await track(rotated.writeKey)).status).toBe(200);
    expect((await admin(`/api/sources/${created.source.id}`, 'DELETE')).status).toBe(200);
    expect((await track(rotated.writeKey)).status).toBe(401);
    const { entries } = await readJson(await admin('/api/audit?action=key'));
    expect(entries.map((e: { action: string }) => e.action)).toEqual(['key.revoke', 'key.rotate', 'key.create']);
    expect(entries.every((e: { actor: string; ip: string }) => e.actor === 'admin' && e.ip === '127.0.0.1')).toBe(true);
  });

  it('creates a token shown once; a session made from it ends when it is revoked', async () => {
    const created = await readJson(await admin('/api/tokens', 'POST', { name: 'wallboard', role: 'viewer' }));
    expect(created.token).toMatch(/^trb_/);
    const listed = await readJson(await admin('/api/tokens'));
    expect(JSON.stringify(listed)).not.toContain(created.token);
    const login = await post('/api/session', { token: created.token });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    expect((await fetch(`${server.url}/api/kpis`, { headers: { cookie } })).status).toBe(200);
    expect((await admin(`/api/tokens/${created.id}`, 'DELETE')).status).toBe(200);
    expect((await fetch(`${server.url}/api/kpis`, { headers: { cookie } })).status).toBe(401);
    expect((await fetch(`${server.url}/api/kpis`, { headers: { authorization: `Bearer ${created.token}` } })).status).toBe(401);
  });

  it('audits changes to conversion definitions and saved funnels', async () => {
    expect((await admin('/api/conversions', 'POST', { name: 'Signup', event: 'Signed Up' })).status).toBe(201);
    expect((await admin('/api/funnels/saved', 'POST', { name: 'checkout', definition: { steps: ['Product Viewed', 'Order Completed'] } })).status).toBe(200);
    expect((await admin('/api/funnels/saved/checkout', 'DELETE')).status).toBe(200);
    expect((await admin('/api/conversions/Signup', 'DELETE')).status).toBe(204);
    const actions = async (family: string) => (await readJson(await admin(`/api/audit?action=${family}`))).entries.map((e: { action: string; target: string }) => `${e.action} ${e.target}`);
    expect(await actions('conversion')).toEqual(['conversion.remove Signup', 'conversion.save Signup']);
    expect(await actions('funnel')).toEqual(['funnel.delete checkout', 'funnel.save checkout']);
  });

  it('says what is wrong with a bad request', async () => {
    const res = await admin('/api/users', 'POST', { email: 'x@example.com', role: 'owner', password: 'some passphrase' });
    expect(res.status).toBe(400);
    expect((await readJson(res)).error.message).toContain('role: "owner" is not a role');
    expect((await admin('/api/tokens/tok_nope', 'DELETE')).status).toBe(404);
  });

  it('rate-limits API calls per token', async () => {
    const limited = await startTestServer({ access: { apiRateLimitPerSecond: 1, apiRateLimitBurst: 3 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await limited.api('/api/conversions')).status);
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      expect(statuses.at(-1)).toBe(429);
    } finally {
      await limited.stop();
    }
  });
});
