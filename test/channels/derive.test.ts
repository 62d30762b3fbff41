import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbStore, EVENTS_TABLE, type Store } from '../../src/store/index.ts';
import { normalizeMessage, validateMessage } from '../../src/ingest/index.ts';
import { DeriveService } from '../../src/channels/index.ts';
import { mulberry32 } from '../helpers/prng.ts';

let store: Store;
let seq = 0;
const T0 = Date.parse('2025-03-01T10:00:00Z');
const min = (m: number) => new Date(T0 + m * 60_000).toISOString();

async function ingest(messages: Array<Record<string, unknown>>, receivedAt = Date.now()): Promise<void> {
  const rows = messages.map((m) => {
    const checked = validateMessage({ messageId: `m${String(seq++).padStart(4, '0')}`, ...m });
    if (!checked.ok) throw new Error(checked.reason);
    return normalizeMessage(checked.value, { sourceId: 'src_test', receivedAt }).row;
  });
  await store.append(EVENTS_TABLE, rows);
}

const page = (anonymousId: string, at: number, url: string, referrer = '', extra: Record<string, unknown> = {}) => ({
  type: 'page',
  anonymousId,
  timestamp: min(at),
  context: { page: { url, referrer, path: new URL(url).pathname } },
  ...extra,
});

async function sessionsOf(visitor: string) {
  return store.query<{ channel: string; source: string; medium: string; hits: number; started_at: string }>({
    text: 'SELECT channel, source, medium, hits, started_at FROM sessions WHERE visitor_key = ? ORDER BY started_at',
    params: [visitor],
  });
}

beforeEach(async () => {
  store = await DuckDbStore.open({ path: ':memory:' });
});
afterEach(async () => {
  await store.close();
});

describe('sessions and touches', () => {
  it('splits at 30 minutes of inactivity and on a new traffic source, not on internal navigation', async () => {
    await ingest([
      page('a1', 0, 'https://shop.example.com/?utm_source=google&utm_medium=cpc&utm_campaign=spring'),
      page('a1', 5, 'https://shop.example.com/shoes', 'https://shop.example.com/'),
      page('a1', 20, 'https://shop.example.com/cart', 'https://shop.example.com/shoes'),
      // 31 minutes later: a new session, no source → Direct.
      page('a1', 51, 'https://shop.example.com/'),
      // 10 minutes later, arriving from a newsletter link: a new session by source change.
      page('a1', 61, 'https://shop.example.com/?utm_source=newsletter&utm_medium=email'),
      page('a1', 62, 'https://shop.example.com/p/1', 'https://shop.example.com/'),
      // The same utm tags again (a reload) continue the session.
      page('a1', 63, 'https://shop.example.com/?utm_source=newsletter&utm_medium=email'),
      // Organic search 5 minutes later: a referrer from a search engine starts a new session.
      page('a1', 68, 'https://shop.example.com/', 'https://www.google.com/'),
    ]);
    const report = await new DeriveService(store).processNewEvents();
    expect(report.visitors).toBe(1);
    const sessions = await sessionsOf('a1');
    expect(sessions.map((s) => [s.channel, s.hits])).toEqual([
      ['Paid Search', 3],
      ['Direct', 1],
      ['Email', 3],
      ['Organic Search', 1],
    ]);
    const touches = await store.query<{ kind: string; channel: string }>({
      text: "SELECT kind, channel FROM touches WHERE visitor_key = 'a1' ORDER BY occurred_at",
      params: [],
    });
    expect(touches.map((t) => t.channel)).toEqual(['Paid Search', 'Direct', 'Email', 'Organic Search']);
  });

  it('classifies click ids, referrals and explicit-channel events, which are touches of their own', async () => {
    await ingest([
      page('b1', 0, 'https://shop.example.com/?gclid=abc'),
      page('b2', 0, 'https://shop.example.com/', 'https://blog.runners.net/post'),
      { type: 'track', anonymousId: 'b3', event: 'Email Clicked', timestamp: min(0), properties: { channel: 'email' } },
      { type: 'track', anonymousId: 'b3', event: 'Product Viewed', timestamp: min(1), properties: {} },
      { type: 'track', userId: 'u9', event: 'Store Visited', timestamp: min(2), properties: { channel: 'store' } },
    ]);
    await new DeriveService(store).processNewEvents();
    expect((await sessionsOf('b1'))[0]).toMatchObject({ channel: 'Paid Search', source: 'google', medium: 'cpc' });
    expect((await sessionsOf('b2'))[0]).toMatchObject({ channel: 'Referral', source: 'blog.runners.net', medium: 'referral' });
    const touches = await store.query<{ visitor_key: string; kind: string; event: string; channel: string }>({
      text: "SELECT visitor_key, kind, event, channel FROM touches WHERE kind = 'event' ORDER BY visitor_key",
      params: [],
    });
    expect(touches).toEqual([
      { visitor_key: 'b3', kind: 'event', event: 'Email Clicked', channel: 'Email' },
      { visitor_key: 'user:u9', kind: 'event', event: 'Store Visited', channel: 'Offline' },
    ]);
  });

  it('re-derives a visitor incrementally when a late event arrives, and rebuild gives the same rows', async () => {
    const service = new DeriveService(store);
    await ingest([page('c1', 0, 'https://shop.example.com/'), page('c1', 100, 'https://shop.example.com/')], Date.now() - 3_600_000);
    await service.processNewEvents();
    expect((await sessionsOf('c1')).length).toBe(2);
    // A late page view at minute 50 bridges the two sessions into one (gaps of 50 and 50 > 30? no: 50 > 30).
    await ingest([page('c1', 25, 'https://shop.example.com/'), page('c1', 50, 'https://shop.example.com/'), page('c1', 75, 'https://shop.example.com/')]);
    const report = await service.processNewEvents();
    expect(report.visitors).toBe(1);
    expect((await sessionsOf('c1')).map((s) => s.hits)).toEqual([5]);
    const before = await store.query({ text: 'SELECT * FROM sessions ORDER BY session_id', params: [] });
    await service.rebuild();
    expect(await store.query({ text: 'SELECT * FROM sessions ORDER BY session_id', params: [] })).toEqual(before);
  });

  it('derives in increments exactly what a rebuild derives, with late, out-of-order and tied hits', async () => {
    const rebuilt = await DuckDbStore.open({ path: ':memory:' });
    try {
      const rnd = mulberry32(20251122);
      const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
      const urls = [
        'https://shop.example.com/',
        'https://shop.example.com/p/1',
        'https://shop.example.com/?utm_source=google&utm_medium=cpc&utm_campaign=spring',
        'https://shop.example.com/?utm_source=newsletter&utm_medium=email',
        'https://shop.example.com/?gclid=abc',
      ];
      const referrers = ['', '', 'https://shop.example.com/', 'https://www.google.com/', 'https://facebook.com/'];
      const visitors = ['v1', 'v2', 'v3', 'v4', 'v5'];
      const incremental = new DeriveService(store);
      const full = new DeriveService(rebuilt);
      const snapshot = async (s: Store) => ({
        sessions: await s.query({ text: 'SELECT * FROM sessions ORDER BY visitor_key, started_at, session_id', params: [] }),
        touches: await s.query({ text: 'SELECT * FROM touches ORDER BY visitor_key, occurred_at, touch_id', params: [] }),
      });
      const internal = ['https://shop.example.com/p/2', 'https://shop.example.com/cart'];
      let horizon = 60;
      for (let batch = 0; batch < 24; batch++) {
        const messages: Array<Record<string, unknown>> = [];
        // Batches of three kinds: live traffic after everything so far; traffic overlapping the
        // last batch's (clients' clocks and batching); late events anywhere in the past.
        const kind = batch % 3;
        horizon += kind === 2 ? 0 : 10;
        for (let i = 0; i < 20; i++) {
          const at = kind === 0 ? horizon - 9 + Math.floor(rnd() * 10) : kind === 1 ? horizon - Math.floor(rnd() * 15) : Math.floor(rnd() * horizon);
          const anonymousId = pick(visitors);
          // Mostly navigation within a session; now and then a new source or a signed-in user.
          const url = rnd() < 0.8 ? pick(internal) : pick(urls);
          const referrer = rnd() < 0.8 ? 'https://shop.example.com/' : pick(referrers);
          const user = rnd() < 0.15 ? { userId: pick(['u1', 'u2']) } : {};
          if (rnd() < 0.1) messages.push({ type: 'track', event: 'Email Clicked', anonymousId, timestamp: min(at), properties: { channel: 'email' } });
          else if (rnd() < 0.05) messages.push({ ...page('ignored', at, url, referrer), anonymousId: undefined, userId: 'u-only' });
          else messages.push({ ...page(anonymousId, at, url, referrer), ...user });
        }
        const receivedAt = Date.now() - 3_600_000 + batch * 1000;
        const saved = seq;
        await ingest(messages, receivedAt);
        const storeOf = store;
        store = rebuilt;
        seq = saved;
        await ingest(messages, receivedAt);
        store = storeOf;
        await incremental.processNewEvents();
        await full.rebuild();
        expect(await snapshot(store), `after batch ${batch}`).toEqual(await snapshot(rebuilt));
      }
      const [{ n }] = await store.query<{ n: number }>({ text: 'SELECT count(*)::INTEGER AS n FROM sessions', params: [] });
      expect(n).toBeGreaterThan(40);
    } finally {
      await rebuilt.close();
    }
  });
});
