import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.ts';
import { retentionFromStore, retentionQuerySchema, type RetentionQuery, type RetentionReport } from '../../src/analytics/index.ts';
import { generateWorld, DAY, type World } from './kpis-world.ts';
import { truthRepeatCohorts } from './kpis-truth.ts';
import { storeWithWorld } from './kpis-helpers.ts';

let world: World;
let store: Store;
const RANGE = { from: '2025-02-17', to: '2025-03-30' };

/** Monday 00:00 UTC of the week holding t (written here, not imported, to stay independent). */
const weekStart = (t: number): number => {
  const day = Math.floor(t / DAY) * DAY;
  return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY;
};
const label = (t: number): string => new Date(t).toISOString().slice(0, 10);
const retention = (q: RetentionQuery): Promise<RetentionReport> => retentionFromStore(store, retentionQuerySchema.parse(q));

beforeAll(async () => {
  world = generateWorld({ people: 90, seed: 7 });
  store = await storeWithWorld(world);
});
afterAll(async () => {
  await store?.close();
});

/** Weeks from a cohort's Monday to the latest event's week, inclusive. */
function weeksObserved(cohort: string): number {
  const latest = Math.max(...world.messages.map((m) => m.at));
  return Math.round((weekStart(latest) - Date.parse(cohort)) / (7 * DAY)) + 1;
}

describe('cohort tables against an independent count of the same world', () => {
  it('weekly cohorts by first purchase: the share converting again in each later week', async () => {
    const report = await retention({ cohort: 'week', measure: 'repeat_purchase', ...RANGE });
    const truth = truthRepeatCohorts(world, weekStart);
    expect(report.cohorts.map((c) => c.cohort)).toEqual([...truth.keys()].sort());
    for (const c of report.cohorts) {
      const t = truth.get(c.cohort)!;
      const n = weeksObserved(c.cohort);
      const counts = Array.from({ length: n }, (_, k) => t.repeat[k] ?? 0);
      expect({ cohort: c.cohort, size: c.size, counts: c.counts }).toEqual({ cohort: c.cohort, size: t.size, counts });
      c.values.forEach((v, k) => expect(v).toBeCloseTo(counts[k] / t.size, 12));
    }
    expect(report.cohorts.some((c) => c.counts.some((n) => n > 0))).toBe(true);
    expect(report).toMatchObject({ cohort: 'week', anchor: 'first_conversion', measure: 'repeat_purchase', by: null, conversion: 'Order Completed' });
    expect(report.periods).toBe(Math.max(...report.cohorts.map((c) => c.values.length)));
  });

  it('revenue per cohort member per week and cumulated (lifetime value to date)', async () => {
    const report = await retention({ cohort: 'week', measure: 'revenue', ...RANGE });
    const truth = truthRepeatCohorts(world, weekStart);
    for (const c of report.cohorts) {
      const t = truth.get(c.cohort)!;
      const revenue = Array.from({ length: weeksObserved(c.cohort) }, (_, k) => t.revenue[k] ?? 0);
      expect(c.counts).toEqual(revenue);
      let ltv = 0;
      c.cumulative!.forEach((v, k) => expect(v).toBeCloseTo((ltv += revenue[k] / t.size), 9));
    }
    const total = report.cohorts.reduce((s, c) => s + c.counts.reduce((a, b) => a + b, 0), 0);
    expect(total).toBe(world.orders.reduce((s, o) => s + o.revenue, 0));
  });

  it('broken down by acquisition channel (the channel of the first touch ever)', async () => {
    const report = await retention({ cohort: 'week', measure: 'repeat_purchase', by: 'channel', ...RANGE });
    const acquisition = new Map<number, string>();
    for (const t of [...world.touches].sort((a, b) => a.at - b.at)) if (!acquisition.has(t.person)) acquisition.set(t.person, t.channel);
    const orders = [...world.orders].sort((a, b) => a.at - b.at);
    const firstOrder = new Map<number, number>();
    for (const o of orders) if (!firstOrder.has(o.person)) firstOrder.set(o.person, o.at);
    const expected = new Map<string, { size: number; repeat: Map<number, Set<number>> }>();
    for (const [p, first] of firstOrder) {
      const key = `${label(weekStart(first))} ${acquisition.get(p) ?? '(none)'}`;
      if (!expected.has(key)) expected.set(key, { size: 0, repeat: new Map() });
      const e = expected.get(key)!;
      e.size++;
      for (const o of orders.filter((x) => x.person === p && x.at > first)) {
        const k = Math.round((weekStart(o.at) - weekStart(first)) / (7 * DAY));
        if (!e.repeat.has(k)) e.repeat.set(k, new Set());
        e.repeat.get(k)!.add(p);
      }
    }
    expect(report.cohorts.map((c) => `${c.cohort} ${c.key}`)).toEqual([...expected.keys()].sort());
    for (const c of report.cohorts) {
      const e = expected.get(`${c.cohort} ${c.key}`)!;
      expect(c.size).toBe(e.size);
      expect(c.counts).toEqual(c.counts.map((_, k) => e.repeat.get(k)?.size ?? 0));
    }
    expect(new Set(report.cohorts.map((c) => c.key)).size).toBeGreaterThan(2);
  });

  it('monthly cohorts by first event: the share active in each later month', async () => {
    const report = await retention({ cohort: 'month', anchor: 'first_seen', measure: 'active', ...RANGE });
    const monthOf = (t: number): string => label(t).slice(0, 7);
    const byPerson = new Map<number, number[]>();
    for (const m of world.messages) byPerson.set(m.person, [...(byPerson.get(m.person) ?? []), m.at]);
    const expected = new Map<string, { size: number; active: Map<string, number> }>();
    for (const times of byPerson.values()) {
      const cohort = monthOf(Math.min(...times));
      if (!expected.has(cohort)) expected.set(cohort, { size: 0, active: new Map() });
      const e = expected.get(cohort)!;
      e.size++;
      for (const month of new Set(times.map(monthOf))) e.active.set(month, (e.active.get(month) ?? 0) + 1);
    }
    expect(report.cohorts.map((c) => c.cohort.slice(0, 7))).toEqual([...expected.keys()].sort());
    for (const c of report.cohorts) {
      const e = expected.get(c.cohort.slice(0, 7))!;
      expect(c.size).toBe(e.size);
      expect(c.counts[0]).toBe(e.size);
      const months = c.counts.map((_, k) => {
        const d = new Date(Date.parse(c.cohort));
        return label(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + k, 1)).slice(0, 7);
      });
      expect(c.counts).toEqual(months.map((m) => e.active.get(m) ?? 0));
    }
  });

  it('defaults to the last 12 weeks of cohorts and widens a range to whole periods', async () => {
    const report = await retention({});
    const latest = Math.max(...world.messages.map((m) => m.at));
    expect(report.to).toBe(label(weekStart(latest) + 6 * DAY));
    expect(report.from).toBe(label(weekStart(latest) - 11 * 7 * DAY));
    const widened = await retention({ from: '2025-03-05', to: '2025-03-05' });
    expect(widened).toMatchObject({ from: '2025-03-03', to: '2025-03-09' });
    expect(widened.cohorts.map((c) => c.cohort)).toEqual(['2025-03-03']);
  });
});
