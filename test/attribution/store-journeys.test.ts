import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbStore, EVENTS_TABLE, type Store } from '../../src/store/index.ts';
import { normalizeMessage, validateMessage } from '../../src/ingest/index.ts';
import { DeriveService } from '../../src/channels/index.ts';
import { IdentityService, createIdentifierHasher } from '../../src/identity/index.ts';
import { attributeFromStore, loadPathAggregates, STEP_SEPARATOR, type AttributionRequest } from '../../src/attribution/index.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2025-01-01T09:00:00Z');
const at = (days: number, hours = 0) => new Date(T0 + days * DAY + hours * 3_600_000).toISOString();
let store: Store;
let seq = 0;

const page = (anonymousId: string, t: string, url: string, referrer = '') => ({
  type: 'page',
  anonymousId,
  timestamp: t,
  context: { page: { url, referrer } },
});
const order = (userId: string, t: string, revenue: number) => ({
  type: 'track',
  userId,
  event: 'Order Completed',
  timestamp: t,
  properties: { revenue, currency: 'USD' },
});

beforeAll(async () => {
  store = await DuckDbStore.open({ path: ':memory:' });
  const messages = [
    // Person 1, laptop: paid search, then a newsletter click, logs in and orders.
    page('a1', at(1), 'https://shop.example.com/?utm_source=google&utm_medium=cpc'),
    page('a1', at(3), 'https://shop.example.com/?utm_source=newsletter&utm_medium=email'),
    { type: 'identify', anonymousId: 'a1', userId: 'u1', timestamp: at(3, 0.5), traits: { email: 'one@example.com' } },
    order('u1', at(3, 1), 100),
    // Person 1, phone: organic search, logs in, orders again; then comes back directly.
    page('a2', at(10), 'https://shop.example.com/', 'https://www.google.com/'),
    { type: 'identify', anonymousId: 'a2', userId: 'u1', timestamp: at(10, 0.2) },
    order('u1', at(10, 1), 50),
    page('a2', at(20), 'https://shop.example.com/'),
    // Person 2: one paid social visit, never converts.
    page('a3', at(2), 'https://shop.example.com/?utm_source=facebook&utm_medium=paid_social'),
    // Person 3: a display visit long before the order (outside a 30-day lookback).
    page('a4', at(1), 'https://shop.example.com/?utm_source=gdn&utm_medium=display'),
    { type: 'identify', anonymousId: 'a4', userId: 'u3', timestamp: at(1, 0.1) },
    order('u3', at(40), 20),
  ];
  const rows = messages.map((m) => {
    const checked = validateMessage({ messageId: `m${seq++}`, ...m });
    if (!checked.ok) throw new Error(checked.reason);
    return normalizeMessage(checked.value, { sourceId: 'src_test', receivedAt: Date.now() }).row;
  });
  await store.append(EVENTS_TABLE, rows);
  await new IdentityService(store, { mergeDistinctUserIds: false, maxPeoplePerIdentifier: 10, hash: createIdentifierHasher('test-secret-0123456789') }).processNewEvents();
  await new DeriveService(store).processNewEvents();
});
afterAll(async () => {
  await store.close();
});

const base: AttributionRequest = {
  models: ['last', 'first', 'linear', 'markov'],
  order: 1,
  includeNulls: true,
  lookbackDays: 30,
  from: null,
  to: null,
  granularity: 'channel',
  conversion: null,
  halfLifeDays: 7,
};

describe('journeys from the store', () => {
  it('cuts journeys at conversions, stitches devices through identity, and keeps null journeys', async () => {
    const paths = await loadPathAggregates(store, {
      conversionEvent: 'Order Completed',
      valueProperty: 'revenue',
      lookbackDays: 30,
      from: null,
      to: null,
      granularity: 'channel',
      includeNulls: true,
    });
    const byPath = Object.fromEntries(paths.map((p) => [p.path.join(' > '), { c: p.conversions, v: p.value, n: p.nulls }]));
    expect(byPath).toEqual({
      '': { c: 1, v: 20, n: 0 },
      Direct: { c: 0, v: 0, n: 1 },
      'Organic Search': { c: 1, v: 50, n: 0 },
      'Paid Search > Email': { c: 1, v: 100, n: 0 },
      'Paid Social': { c: 0, v: 0, n: 1 },
    });
    expect(paths.every((p) => !p.path.some((s) => s.includes(STEP_SEPARATOR)))).toBe(true);
  });

  it('a longer lookback reaches the display visit; a date range keeps only its conversions', async () => {
    const wide = await attributeFromStore(store, { ...base, models: ['first'], lookbackDays: 60 });
    expect(wide.results[0].channels.find((c) => c.channel === 'Display')?.conversions).toBe(1);
    const january = await attributeFromStore(store, { ...base, models: ['last'], from: Date.parse('2025-01-01'), to: Date.parse('2025-01-08') });
    expect(january.results[0].totalConversions).toBe(1);
    expect(january.results[0].channels.filter((c) => c.conversions > 0).map((c) => [c.channel, c.value])).toEqual([['Email', 100]]);
  });

  it('models credit the stored journeys and totals add up', async () => {
    const report = await attributeFromStore(store, base);
    const last = report.results.find((r) => r.model === 'last')!;
    expect(last.totalConversions).toBe(3);
    expect(last.totalValue).toBe(170);
    expect(last.unattributed).toEqual({ conversions: 1, value: 20 });
    // Channels seen only in null journeys are listed with zero credit.
    expect(Object.fromEntries(last.channels.map((c) => [c.channel, c.conversions]))).toEqual({ Email: 1, 'Organic Search': 1, 'Paid Search': 0, Direct: 0, 'Paid Social': 0 });
    const linear = report.results.find((r) => r.model === 'linear')!;
    expect(Object.fromEntries(linear.channels.filter((c) => c.value > 0).map((c) => [c.channel, c.value]))).toEqual({ 'Paid Search': 50, Email: 50, 'Organic Search': 50 });
    const markov = report.results.find((r) => r.model === 'markov')!;
    const credited = markov.channels.reduce((s, c) => s + c.conversions, 0) + markov.unattributed.conversions;
    expect(credited).toBeCloseTo(3, 9);
  });

  it('time decay weighs the newsletter click (same day) above the search visit two days earlier', async () => {
    const report = await attributeFromStore(store, { ...base, models: ['time-decay'] });
    const td = report.results[0];
    const search = td.channels.find((c) => c.channel === 'Paid Search')!;
    const email = td.channels.find((c) => c.channel === 'Email')!;
    // Δt: search 2d + 1h, email 1h before the order; weights 2^(−Δt/7d).
    const wSearch = 2 ** (-(2 * 24 + 1) / (7 * 24));
    const wEmail = 2 ** (-1 / (7 * 24));
    expect(email.value).toBeCloseTo((100 * wEmail) / (wSearch + wEmail), 9);
    expect(search.value).toBeCloseTo((100 * wSearch) / (wSearch + wEmail), 9);
  });
});
