import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, readJson, startTestServer, TEST_WRITE_KEY, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

const create = (name: unknown) =>
  server.api('/api/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });

describe('sources over HTTP', () => {
  it('refuses both routes without credentials', async () => {
    expect((await fetch(`${server.url}/api/sources`)).status).toBe(401);
    const post = await fetch(`${server.url}/api/sources`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' });
    expect(post.status).toBe(401);
    // A write key is not an API credential.
    expect((await fetch(`${server.url}/api/sources`, { headers: { authorization: basicAuth(TEST_WRITE_KEY) } })).status).toBe(401);
    const list = await readJson(await server.api('/api/sources'));
    expect(list.sources.map((s: { name: string }) => s.name)).toEqual(['default']);
  });

  it('lists the first-start source with a hint of its key and never the key or its hash', async () => {
    const res = await server.api('/api/sources');
    expect(res.status).toBe(200);
    const body = await res.text();
    const { sources } = JSON.parse(body);
    expect(sources).toEqual([{ id: expect.stringMatching(/^src_/), name: 'default', keyHint: `…${TEST_WRITE_KEY.slice(-4)}`, createdAt: expect.any(String), revoked: false }]);
    expect(body).not.toContain(TEST_WRITE_KEY);
    expect(body).not.toContain('hash');
  });

  it('creates a source and shows its write key once; the key ingests under /v1', async () => {
    const res = await create('  Website  ');
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const created = await readJson(res);
    expect(created.source).toMatchObject({ id: expect.stringMatching(/^src_/), name: 'Website', revoked: false });
    expect(created.writeKey).toMatch(/^wk_[A-Za-z0-9_-]{40,}$/);
    expect(created.source.keyHint).toBe(`…${created.writeKey.slice(-4)}`);

    const list = await server.api('/api/sources');
    const text = await list.text();
    expect(text).not.toContain(created.writeKey);
    expect(JSON.parse(text).sources.map((s: { name: string }) => s.name)).toEqual(['default', 'Website']);

    const track = await fetch(`${server.url}/v1/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basicAuth(created.writeKey) },
      body: JSON.stringify({ userId: 'sources-test-user', event: 'Source Tested', messageId: 'sources-test-1' }),
    });
    expect(track.status).toBe(200);
    const events = await readJson(await server.api('/api/events?userId=sources-test-user'));
    expect(events.events.map((e: { sourceId: string; event: string }) => [e.sourceId, e.event])).toEqual([[created.source.id, 'Source Tested']]);
  });

  it('records the creation in the audit log, without the key', async () => {
    const { entries } = await readJson(await server.api('/api/audit?action=key.create'));
    const entry = entries.find((e: { details: { name?: string } | null }) => e.details?.name === 'Website');
    expect(entry).toMatchObject({ action: 'key.create', target: expect.stringMatching(/^src_/), outcome: 'ok' });
    expect(JSON.stringify(entries)).not.toMatch(/wk_[A-Za-z0-9_-]{40,}/);
  });

  it('lets an analyst list sources but not create one, and a viewer neither', async () => {
    await server.access.createToken('analyst', 'analyst', 'trb_sources_analyst');
    await server.access.createToken('viewer', 'viewer', 'trb_sources_viewer');
    const as = (token: string, init: RequestInit = {}) => fetch(`${server.url}/api/sources`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
    expect((await as('trb_sources_analyst')).status).toBe(200);
    expect((await as('trb_sources_analyst', { method: 'POST', body: '{"name":"nope"}' })).status).toBe(403);
    expect((await as('trb_sources_viewer')).status).toBe(403);
    expect((await readJson(await server.api('/api/sources'))).sources.map((s: { name: string }) => s.name)).not.toContain('nope');
  });

  it('rejects a missing, blank or duplicate name with the field named', async () => {
    for (const name of [undefined, '', '   ', 42, 'x'.repeat(101)]) {
      const res = await create(name);
      expect(res.status).toBe(400);
      expect((await readJson(res)).error.message).toMatch(/^name: /);
    }
    const dup = await create('website');
    expect(dup.status).toBe(409);
    expect((await readJson(dup)).error.message).toContain('already exists');
  });
});
