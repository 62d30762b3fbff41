import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, send, startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
const T = (d: number) => new Date(Date.parse('2025-02-01T10:00:00Z') + d * 86_400_000).toISOString();

beforeAll(async () => {
  server = await startTestServer();
  const res = await send(server, '/v1/batch', {
    batch: [
      { type: 'page', anonymousId: 'dev-1', timestamp: T(0), context: { page: { url: 'https://shop.example.com/?utm_source=google&utm_medium=cpc&utm_campaign=brand' } } },
      { type: 'identify', anonymousId: 'dev-1', userId: 'cust-1', timestamp: T(0.01), traits: { email: ' Jane.Doe@Example.com ', firstName: 'Jane', plan: 'pro' } },
      { type: 'page', anonymousId: 'dev-2', timestamp: T(1), context: { page: { url: 'https://shop.example.com/?utm_source=newsletter&utm_medium=email' } } },
      { type: 'identify', anonymousId: 'dev-2', userId: 'cust-1', timestamp: T(1.01) },
      { type: 'track', userId: 'cust-1', event: 'Order Completed', timestamp: T(1.02), properties: { revenue: 80, currency: 'USD' } },
      { type: 'page', anonymousId: 'dev-3', timestamp: T(2), context: { page: { url: 'https://shop.example.com/', referrer: 'https://www.bing.com/' } } },
    ],
  });
  expect(res.status).toBe(200);
  await server.processNow();
});
afterAll(async () => {
  await server.stop();
});

describe('people', () => {
  it('finds a person by e-mail in any case and shows both devices, masked traits (for a marketer) and the timeline', async () => {
    const found = await readJson(await server.api('/api/people?email=jane.doe@example.com'));
    expect(found.personId).toMatch(/^p_/);
    const { token } = await server.access.createToken('marketing', 'marketer');
    const asMarketer = (p: string) => fetch(server.url + p, { headers: { authorization: `Bearer ${token}` } });
    const profile = await readJson(await asMarketer(`/api/people/${found.personId}?limit=2`));
    expect(profile.identifiers.filter((i: { kind: string }) => i.kind === 'anonymous_id').map((i: { value: string }) => i.value).sort()).toEqual(['dev-1', 'dev-2']);
    expect(JSON.stringify(profile)).not.toContain('Jane.Doe@Example.com');
    expect(profile.traits).toMatchObject({ email: 'j•••@example.com', firstName: 'J•••', plan: 'pro' });
    expect(profile.events).toBe(5);
    expect(profile.sessions).toBe(2);
    expect(profile.timeline.map((e: { type: string }) => e.type)).toEqual(['track', 'identify']);
    const older = await readJson(await asMarketer(`/api/people/${found.personId}?limit=10&before=${profile.nextCursor}`));
    expect(older.timeline.length).toBe(3);
    // The admin may see personal data.
    expect((await readJson(await server.api(`/api/people/${found.personId}`))).traits.email).toBe(' Jane.Doe@Example.com ');
  });

  it('answers 404 for an unknown person and an unknown e-mail', async () => {
    expect((await server.api('/api/people/p_doesnotexist')).status).toBe(404);
    expect((await server.api('/api/people?email=nobody@example.com')).status).toBe(404);
  });
});

describe('attribution over HTTP', () => {
  it('credits the stitched journey and compares models side by side', async () => {
    const last = await readJson(await server.api('/api/attribution?model=last,first'));
    expect(last.conversion).toBe('Order Completed');
    const byModel = Object.fromEntries(last.results.map((r: { model: string; channels: Array<{ channel: string; conversions: number }> }) => [r.model, Object.fromEntries(r.channels.filter((c) => c.conversions > 0).map((c) => [c.channel, c.conversions]))]));
    expect(byModel).toEqual({ first: { 'Paid Search': 1 }, last: { Email: 1 } });
    const compare = await readJson(await server.api('/api/attribution/compare'));
    expect(compare.models).toContain('markov');
    expect(compare.rows.find((r: { channel: string }) => r.channel === 'Email').last).toBe(1);
    // Only the models asked for are computed, with the same credit.
    const two = await readJson(await server.api('/api/attribution/compare?model=last,first'));
    expect(two.models).toEqual(['first', 'last']);
    expect(two.rows.find((r: { channel: string }) => r.channel === 'Email').last).toBe(1);
  });

  it('rejects bad parameters with the field named', async () => {
    for (const [query, field] of [['order=9', 'order'], ['lookback=0d', 'lookback'], ['lookback=soon', 'lookback'], ['model=magic', 'model'], ['from=yesterday', 'from']] as const) {
      const res = await server.api(`/api/attribution?${query}`);
      expect(res.status, query).toBe(400);
      expect((await readJson(res)).error.message).toContain(field);
    }
    const unknown = await server.api('/api/attribution?conversion=Nope');
    expect(unknown.status).toBe(400);
    expect((await readJson(unknown)).error.message).toContain('Order Completed');
  });
});

describe('conversion definitions', () => {
  it('adds a second definition, attributes it, and protects the default', async () => {
    const res = await send(server, '/v1/track', { userId: 'cust-1', event: 'Signed Up', timestamp: T(1.5), properties: { value: 5 } });
    expect(res.status).toBe(200);
    await server.processNow();
    const created = await server.api('/api/conversions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Sign-up', event: 'Signed Up', valueProperty: 'value' }),
    });
    expect(created.status).toBe(201);
    const list = await readJson(await server.api('/api/conversions'));
    expect(list.conversions.map((c: { name: string }) => c.name)).toEqual(['Order Completed', 'Sign-up']);
    const report = await readJson(await server.api('/api/attribution?model=last&conversion=Sign-up'));
    expect(report.conversion).toBe('Sign-up');
    expect(report.results[0].totalValue).toBe(5);
    expect(report.results[0].channels.find((c: { channel: string }) => c.channel === 'Email').conversions).toBe(1);
    const bad = await server.api('/api/conversions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x', event: '', valueProperty: 'a b' }) });
    expect(bad.status).toBe(400);
    expect((await readJson(bad)).error.message).toContain('event');
    expect((await server.api('/api/conversions/Order%20Completed', { method: 'DELETE' })).status).toBe(400);
    expect((await server.api('/api/conversions/Sign-up', { method: 'DELETE' })).status).toBe(204);
  });
});
