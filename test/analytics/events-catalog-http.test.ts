import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDataDir, readJson, removeTestDataDir, send, startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let dataDir: string;

interface Msg {
  type: 'track' | 'page' | 'screen' | 'identify';
  event?: string;
  name?: string;
  day: string;
  properties?: Record<string, unknown>;
}

let seq = 0;
function message(m: Msg): Record<string, unknown> {
  seq += 1;
  const base = { type: m.type, anonymousId: `anon-${seq % 7}`, messageId: `catalog-${seq}`, timestamp: `${m.day}T${String(8 + (seq % 10)).padStart(2, '0')}:15:00.000Z` };
  if (m.type === 'track') return { ...base, event: m.event, properties: m.properties ?? {} };
  if (m.type === 'identify') return { ...base, userId: `u-${seq}`, traits: { plan: 'pro' } };
  return { ...base, ...(m.name ? { name: m.name } : {}), properties: m.properties ?? {} };
}

const repeat = (n: number, m: Msg): Msg[] => Array.from({ length: n }, () => m);

/**
 * The hand-counted world: in 2025-03-01 … 2025-03-03, Product Viewed 5× (category on all 5, price
 * on 3), Order Completed 2× (revenue, order_id), page Cart 3× (path), one page without a name,
 * screen Home 1×, one identify (not in the catalog); outside the range, Product Viewed 4× and a
 * Signed Up on 2025-03-10.
 */
const FIRST: Msg[] = [
  ...repeat(3, { type: 'track', event: 'Product Viewed', day: '2025-03-01', properties: { category: 'shoes', price: 50 } }),
  ...repeat(2, { type: 'track', event: 'Product Viewed', day: '2025-03-02', properties: { category: 'bags' } }),
  ...repeat(2, { type: 'track', event: 'Order Completed', day: '2025-03-03', properties: { revenue: 10, order_id: 'o' } }),
  ...repeat(3, { type: 'page', name: 'Cart', day: '2025-03-02', properties: { path: '/cart' } }),
  { type: 'page', day: '2025-03-02' },
  { type: 'screen', name: 'Home', day: '2025-03-01' },
  { type: 'identify', day: '2025-03-01' },
  ...repeat(4, { type: 'track', event: 'Product Viewed', day: '2025-02-27', properties: { category: 'hats', size: 'L' } }),
  { type: 'track', event: 'Signed Up', day: '2025-03-10', properties: { method: 'email' } },
];

async function ingest(messages: Msg[]): Promise<void> {
  const res = await send(server, '/v1/batch', { batch: messages.map(message) });
  expect(res.status).toBe(200);
  await server.processNow();
}

const catalog = async (query: string) => {
  const res = await server.api(`/api/events/catalog${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return readJson(res);
};

beforeAll(async () => {
  dataDir = makeTestDataDir();
  server = await startTestServer({ dataDir });
  await ingest(FIRST);
});
afterAll(async () => {
  await server.stop();
  removeTestDataDir(dataDir);
});

describe('GET /api/events/catalog', () => {
  it('lists the events of the range with hand-counted counts, types, steps and property keys', async () => {
    const doc = await catalog('?from=2025-03-01&to=2025-03-03');
    expect(doc.from).toBe('2025-03-01');
    expect(doc.to).toBe('2025-03-03');
    expect(doc.events).toEqual([
      { type: 'track', name: 'Product Viewed', step: 'Product Viewed', count: 5, properties: [{ key: 'category', count: 5 }, { key: 'price', count: 3 }] },
      { type: 'page', name: 'Cart', step: 'page:Cart', count: 3, properties: [{ key: 'path', count: 3 }] },
      { type: 'track', name: 'Order Completed', step: 'Order Completed', count: 2, properties: [{ key: 'order_id', count: 2 }, { key: 'revenue', count: 2 }] },
      { type: 'page', name: null, step: 'page', count: 1, properties: [] },
      { type: 'screen', name: 'Home', step: 'screen:Home', count: 1, properties: [] },
    ]);
  });

  it('includes both end days, limits the keys per event, and counts each event once as more arrive', async () => {
    const wide = await catalog('?from=2025-02-27&to=2025-03-10&keys=1');
    const viewed = wide.events.find((e: { name: string }) => e.name === 'Product Viewed');
    expect(viewed).toEqual({ type: 'track', name: 'Product Viewed', step: 'Product Viewed', count: 9, properties: [{ key: 'category', count: 9 }] });
    expect(wide.events.find((e: { name: string }) => e.name === 'Signed Up').count).toBe(1);

    await ingest([...repeat(2, { type: 'track', event: 'Product Viewed', day: '2025-03-03', properties: { category: 'shoes', colour: 'red' } })]);
    const again = await catalog('?from=2025-03-01&to=2025-03-03&keys=5');
    const updated = again.events.find((e: { name: string }) => e.name === 'Product Viewed');
    expect(updated.count).toBe(7);
    expect(updated.properties).toEqual([{ key: 'category', count: 7 }, { key: 'price', count: 3 }, { key: 'colour', count: 2 }]);
    // Recounting the roll-up from scratch gives the same answer as the incremental counts.
    const { refreshEventCatalog } = await import('../../src/analytics/index.ts');
    await refreshEventCatalog(server.store, { rebuild: true });
    expect(await catalog('?from=2025-03-01&to=2025-03-03&keys=5')).toEqual(again);
  });

  it('defaults to the 30 days up to the latest event', async () => {
    const doc = await catalog('');
    expect(doc).toMatchObject({ from: '2025-02-09', to: '2025-03-10' });
    expect(doc.events.reduce((s: number, e: { count: number }) => s + e.count, 0)).toBe(5 + 2 + 4 + 2 + 3 + 1 + 1 + 1);
  });

  it('answers 400 naming the field', async () => {
    for (const [q, field] of [
      ['?from=2025-03-01', 'to'],
      ['?from=yesterday&to=2025-03-01', 'from'],
      ['?from=2025-03-05&to=2025-03-01', 'to'],
      ['?from=2025-02-30&to=2025-03-01', 'from'],
      ['?from=2025-03-01&to=2025-03-02&keys=99', 'keys'],
    ]) {
      const res = await server.api(`/api/events/catalog${q}`);
      expect(res.status, q).toBe(400);
      expect((await readJson(res)).error.message, q).toMatch(new RegExp(`^${field}:`));
    }
    expect((await fetch(`${server.url}/api/events/catalog`)).status).toBe(401);
  });
});
