import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_TABLE, type Store } from '../../src/store/index.ts';
import { kpiQuerySchema, kpisFromStore, KPI_METRICS, type KpiQuery, type KpiReport } from '../../src/analytics/index.ts';
import { generateWorld, DAY, T0, type World } from './kpis-world.ts';
import { truthBreakdown, truthChange, truthDaily, truthTotals } from './kpis-truth.ts';
import { diffMetrics, processStore, storeWithWorld, toRows } from './kpis-helpers.ts';

let world: World;
let store: Store;
// Days 14 … 27 (two ISO weeks), and the previous two weeks, days 0 … 13.
const FROM = '2025-03-17';
const TO = '2025-03-30';
const range = { from: T0 + 14 * DAY, to: T0 + 28 * DAY };
const previous = { from: T0, to: T0 + 14 * DAY };

const kpis = (q: KpiQuery): Promise<KpiReport> => kpisFromStore(store, kpiQuerySchema.parse(q));

beforeAll(async () => {
  world = generateWorld({ people: 90, seed: 7 });
  store = await storeWithWorld(world);
});
afterAll(async () => {
  await store?.close();
});

describe('KPIs from the store against an independent count of the same world', () => {
  it('the world exercises what the definitions distinguish', () => {
    const t = truthTotals(world, range);
    expect(t.people).toBeGreaterThan(30);
    expect(t.newPeople).toBeGreaterThan(5);
    expect(t.newPeople).toBeLessThan(t.people!);
    expect(t.touches).toBeGreaterThan(t.sessions!);
    expect(t.newCustomers).toBeLessThan(t.convertingPeople!);
    expect(t.convertingPeople).toBeLessThan(t.conversions!);
    const channels = truthBreakdown(world, range, 'channel');
    expect(channels.get('(none)')?.people).toBeGreaterThan(0);
    expect(channels.get('(none)')?.conversions).toBeGreaterThan(0);
    // People whose second device first appears in the range but who were seen before: not new.
    const lateDevice = world.people.filter((p) => {
      const own = world.messages.filter((m) => m.person === p.index);
      const second = own.filter((m) => m.message.anonymousId === p.devices[1]).map((m) => m.at);
      return second.length > 0 && Math.min(...second) >= range.from && Math.min(...own.map((m) => m.at)) < range.from;
    });
    expect(lateDevice.length).toBeGreaterThan(0);
    // Orders in the range credited to a touch before it (the lookback reaches back).
    const creditedBefore = world.orders.filter((o) => {
      if (o.at < range.from || o.at >= range.to) return false;
      const last = world.touches.filter((t) => t.person === o.person && t.at <= o.at).sort((a, b) => b.at - a.at)[0];
      return last !== undefined && last.at < range.from && last.at >= o.at - 30 * DAY;
    });
    expect(creditedBefore.length).toBeGreaterThan(0);
  });

  it('totals, the previous period and the change match', async () => {
    const report = await kpis({ from: FROM, to: TO });
    expect(report.from).toBe(FROM);
    expect(report.to).toBe(TO);
    expect(report.previous).toMatchObject({ from: '2025-03-03', to: '2025-03-16' });
    const cur = truthTotals(world, range);
    const prev = truthTotals(world, previous);
    expect(diffMetrics(report.totals, cur, 'totals')).toEqual([]);
    expect(diffMetrics(report.previous.totals, prev, 'previous')).toEqual([]);
    expect(diffMetrics(report.change, truthChange(cur, prev), 'change')).toEqual([]);
    expect(Object.keys(report.totals)).toEqual([...KPI_METRICS]);
  });

  it('the daily series matches day by day and its additive metrics sum to the totals', async () => {
    const report = await kpis({ from: FROM, to: TO, granularity: 'day' });
    const daily = truthDaily(world, range);
    expect(report.series.map((s) => s.period)).toEqual([...daily.keys()]);
    const diffs = report.series.flatMap((s) => diffMetrics(s, daily.get(s.period)!, s.period));
    expect(diffs).toEqual([]);
    const lines = Object.fromEntries(report.reconciliation.series.map((l) => [l.metric, l]));
    for (const m of ['newPeople', 'sessions', 'touches', 'conversions', 'revenue', 'newCustomers', 'spend', 'impressions', 'clicks']) {
      expect(lines[m], m).toMatchObject({ reconciles: true, note: null });
    }
    expect(lines.people.sum).toBeGreaterThan(lines.people.total!);
    expect(lines.people.note).toMatch(/several periods/);
  });

  it('the channel breakdown matches, with last-touch conversions and what does not add up named', async () => {
    const report = await kpis({ from: FROM, to: TO, by: 'channel' });
    const truth = truthBreakdown(world, range, 'channel');
    expect(report.breakdown.map((b) => b.key)).toEqual([...truth.keys()].sort());
    expect(report.breakdown.flatMap((b) => diffMetrics(b, truth.get(b.key)!, b.key))).toEqual([]);
    expect(truth.has('(none)')).toBe(true);
    const lines = Object.fromEntries(report.reconciliation.breakdown.map((l) => [l.metric, l]));
    for (const m of ['newPeople', 'sessions', 'touches', 'conversions', 'revenue', 'newCustomers', 'spend', 'impressions', 'clicks']) {
      expect(lines[m], m).toMatchObject({ reconciles: true, note: null });
      expect(lines[m].sum).toBe(report.totals[m as keyof typeof report.totals]);
    }
    expect(lines.people.reconciles).toBe(false);
    expect(lines.people.sum).toBeGreaterThan(lines.people.total!);
    expect(lines.people.note).toMatch(/several values of channel/);
    expect(lines.convertingPeople.note).not.toBeNull();
  });

  it('a device breakdown credits conversions to the last session and leaves spend unbroken', async () => {
    const report = await kpis({ from: FROM, to: TO, by: 'device' });
    const truth = truthBreakdown(world, range, 'device');
    expect(report.breakdown.map((b) => b.key)).toEqual([...truth.keys()].sort());
    expect(report.breakdown.flatMap((b) => diffMetrics(b, truth.get(b.key)!, b.key))).toEqual([]);
    const spend = report.reconciliation.breakdown.find((l) => l.metric === 'spend')!;
    expect(spend).toMatchObject({ sum: null, reconciles: false });
    expect(spend.note).toMatch(/channel and a campaign only/);
  });

  it('a trait breakdown puts each person under one value, so person counts add up too', async () => {
    const report = await kpis({ from: FROM, to: TO, by: 'trait:plan', metrics: 'people,newPeople,sessions,conversions,revenue,convertingPeople' });
    const plans = new Map(world.people.map((p) => [p.index, p.plan ?? '(none)']));
    const active = new Set(world.messages.filter((m) => m.at >= range.from && m.at < range.to).map((m) => m.person));
    const expected = new Map<string, number>();
    for (const p of active) expected.set(plans.get(p)!, (expected.get(plans.get(p)!) ?? 0) + 1);
    expect(Object.fromEntries(report.breakdown.map((b) => [b.key, b.people]))).toEqual(Object.fromEntries(expected));
    const revenue = new Map<string, number>();
    for (const o of world.orders.filter((x) => x.at >= range.from && x.at < range.to)) revenue.set(plans.get(o.person)!, (revenue.get(plans.get(o.person)!) ?? 0) + o.revenue);
    expect(Object.fromEntries(report.breakdown.filter((b) => b.revenue! > 0).map((b) => [b.key, b.revenue]))).toEqual(Object.fromEntries(revenue));
    expect(report.reconciliation.breakdown.every((l) => l.reconciles && l.note === null)).toBe(true);
    expect(Object.keys(report.totals)).toEqual(['people', 'newPeople', 'sessions', 'conversions', 'convertingPeople', 'revenue']);
  });

  it('weekly periods start on Monday and add up', async () => {
    const report = await kpis({ from: FROM, to: TO, granularity: 'week', metrics: 'sessions,revenue,newPeople' });
    expect(report.series.map((s) => s.period)).toEqual(['2025-03-17', '2025-03-24']);
    const week1 = truthTotals(world, { from: range.from, to: range.from + 7 * DAY });
    expect(report.series[0]).toMatchObject({ sessions: week1.sessions, revenue: week1.revenue, newPeople: week1.newPeople });
  });

  it('ratios with a zero denominator are null, never NaN or Infinity', async () => {
    const report = await kpis({ from: '2024-01-01', to: '2024-01-07' });
    expect(report.totals.people).toBe(0);
    for (const m of ['conversionRate', 'sessionConversionRate', 'aov', 'ctr', 'cpc', 'cpa', 'cac', 'roas', 'roi'] as const) {
      expect(report.totals[m], m).toBeNull();
      expect(report.change[m], m).toBeNull();
    }
    expect(report.change.people).toBeNull();
    expect(JSON.stringify(report)).not.toMatch(/NaN|Infinity/);
    // A channel without spend: spend-denominated ratios null, spend-numerator ones 0.
    const byChannel = await kpis({ from: FROM, to: TO, by: 'channel' });
    const direct = byChannel.breakdown.find((b) => b.key === 'Direct')!;
    expect(direct).toMatchObject({ spend: 0, clicks: 0, roas: null, roi: null, ctr: null, cpc: null, cpa: 0 });
    expect(direct.sessionConversionRate).toBeGreaterThan(0);
    // E-mail spend has no impressions or clicks: CTR and CPC are null, not 0 or Infinity.
    const email = byChannel.breakdown.find((b) => b.key === 'Email')!;
    expect(email).toMatchObject({ impressions: 0, clicks: 0, ctr: null, cpc: null });
    expect(email.spend).toBeGreaterThan(0);
  });

  it('defaults to the 30 days up to the latest event', async () => {
    const report = await kpis({ metrics: 'people' });
    const latest = Math.max(...world.messages.map((m) => m.at));
    const lastDay = new Date(latest).toISOString().slice(0, 10);
    expect(report.to).toBe(lastDay);
    expect(report.from).toBe(new Date(Date.parse(lastDay) - 29 * DAY).toISOString().slice(0, 10));
  });
});

describe('activity rollups stay current', () => {
  it('events stored after a query are counted by the next one', async () => {
    const before = await kpis({ from: FROM, to: TO, metrics: 'people,newPeople,conversions,newCustomers' });
    const at = (h: number) => new Date(T0 + 20 * DAY + h * 3_600_000).toISOString();
    const extra: World['messages'] = [
      { person: -1, at: 0, message: { messageId: 'late-1', type: 'page', anonymousId: 'late-visitor', timestamp: at(9), context: { page: { url: 'https://shop.example.com/' } } } },
      { person: -1, at: 0, message: { messageId: 'late-2', type: 'identify', anonymousId: 'late-visitor', userId: 'late-user', timestamp: at(9.1) } },
      { person: -1, at: 0, message: { messageId: 'late-3', type: 'track', userId: 'late-user', event: 'Order Completed', timestamp: at(9.2), properties: { revenue: 5 } } },
    ];
    await store.append(EVENTS_TABLE, toRows(extra));
    await processStore(store);
    const after = await kpis({ from: FROM, to: TO, metrics: 'people,newPeople,conversions,newCustomers' });
    expect(after.totals).toEqual({
      people: before.totals.people! + 1,
      newPeople: before.totals.newPeople! + 1,
      conversions: before.totals.conversions! + 1,
      newCustomers: before.totals.newCustomers! + 1,
    });
  });

  it('a link that merges two people is seen by the next query (the pair → person map follows the graph)', async () => {
    const own = await storeWithWorld(world);
    try {
      await kpisFromStore(own, kpiQuerySchema.parse({ from: FROM, to: TO }));
      // An anonymous-only person signs in as an identified one: from now on they are one person.
      const active = (p: number) => world.messages.some((m) => m.person === p && m.at >= range.from && m.at < range.to);
      const anonymous = world.people.find((p) => p.userId === null && active(p.index))!;
      const identified = world.people.find((p) => p.userId !== null && active(p.index))!;
      const at = T0 + 21 * DAY + 23 * 3_600_000;
      const link = { messageId: 'merge-1', type: 'identify', anonymousId: anonymous.devices[0], userId: identified.userId, timestamp: new Date(at).toISOString() };
      await own.append(EVENTS_TABLE, toRows([{ person: identified.index, at, message: link }]));
      await processStore(own);
      const after = await kpisFromStore(own, kpiQuerySchema.parse({ from: FROM, to: TO }));
      const merged: World = {
        ...world,
        messages: [...world.messages.map((m) => (m.person === anonymous.index ? { ...m, person: identified.index } : m)), { person: identified.index, at, message: link }],
        touches: world.touches.map((t) => (t.person === anonymous.index ? { ...t, person: identified.index } : t)),
      };
      expect(diffMetrics(after.totals, truthTotals(merged, range), 'merged')).toEqual([]);
      expect(after.totals.people).toBe(truthTotals(world, range).people! - 1);
    } finally {
      await own.close();
    }
  });
});
