import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.ts';
import { loadPathAggregates } from '../../src/attribution/index.ts';
import { journeysQuerySchema, pathFlowsFromStore, pathTimingFromStore, topPathsFromStore } from '../../src/analytics/index.ts';
import { DAY, generateWorld, type World, type WorldMessage } from './funnels-world.ts';
import { journeys, quantile, type TruthJourney } from './funnels-truth.ts';
import { storeWithFunnelWorld } from './funnels-helpers.ts';

let world: World;
let store: Store;

beforeAll(async () => {
  world = generateWorld();
  store = await storeWithFunnelWorld(world);
});
afterAll(async () => {
  await store.close();
});

const request = (q: Record<string, string> = {}) => journeysQuerySchema.parse(q);
const SEP = '\u001f';

interface Agg {
  steps: string[];
  conversions: number;
  nulls: number;
  value: number;
}

function aggregate(js: readonly TruthJourney[]): Map<string, Agg> {
  const out = new Map<string, Agg>();
  for (const j of js) {
    const key = j.steps.join(SEP);
    const a = out.get(key) ?? out.set(key, { steps: [...j.steps], conversions: 0, nulls: 0, value: 0 }).get(key)!;
    if (j.converted) a.conversions++;
    else a.nulls++;
    a.value += j.value;
  }
  return out;
}

function top(aggs: Map<string, Agg>, key: 'conversions' | 'nulls', n: number) {
  return [...aggs.entries()]
    .filter(([path, a]) => path !== '' && a[key] > 0)
    .sort(([pa, a], [pb, b]) => b[key] - a[key] || (pa < pb ? -1 : pa > pb ? 1 : 0))
    .slice(0, n)
    .map(([, a]) => ({ path: a.steps.join(' > '), conversions: a.conversions, nulls: a.nulls, value: a.value }));
}

describe('top paths', () => {
  for (const lookback of [30, 3]) {
    it(`lists the top converting and non-converting channel paths (${lookback}-day lookback) with totals`, async () => {
      const js = journeys(world.messages, lookback);
      const aggs = aggregate(js);
      const report = await topPathsFromStore(store, request({ lookback: `${lookback}d`, limit: '8' }));
      const strip = (rows: typeof report.converting) => rows.map((r) => ({ path: r.path, conversions: r.conversions, nulls: r.nulls, value: r.value }));
      const round = <T extends { value: number }>(rows: T[]) => rows.map((r) => ({ ...r, value: Math.round(r.value * 1e6) / 1e6 }));
      expect(round(strip(report.converting))).toEqual(round(top(aggs, 'conversions', 8)));
      expect(round(strip(report.nonConverting))).toEqual(round(top(aggs, 'nulls', 8)));
      for (const r of [...report.converting, ...report.nonConverting]) expect(r.conversionRate).toBeCloseTo(r.conversions / (r.conversions + r.nulls), 12);
      const conversions = js.filter((j) => j.converted).length;
      expect(report.totals.conversions).toBe(conversions);
      expect(report.totals.nulls).toBe(js.length - conversions);
      expect(report.totals.value).toBeCloseTo(js.reduce((s, j) => s + j.value, 0), 6);
      expect(report.totals.uniquePaths).toBe([...aggs.keys()].filter((k) => k !== '').length);
      expect(report.totals.conversionsWithoutTouches).toBe(js.filter((j) => j.converted && j.steps.length === 0).length);
    });
  }

  it('agrees with attribution’s path aggregate (the same journeys)', async () => {
    const paths = await loadPathAggregates(store, { conversionEvent: 'Order Completed', valueProperty: 'revenue', lookbackDays: 30, from: null, to: null, granularity: 'channel', includeNulls: true });
    const report = await topPathsFromStore(store, request({ limit: '100' }));
    expect(report.totals.conversions).toBe(paths.reduce((s, p) => s + p.conversions, 0));
    expect(report.totals.nulls).toBe(paths.reduce((s, p) => s + p.nulls, 0));
    const byPath = new Map(paths.map((p) => [p.path.join(' > '), p]));
    for (const r of report.converting) expect(byPath.get(r.path)?.conversions).toBe(r.conversions);
  });

  it('campaign granularity labels touches without a campaign by their channel', async () => {
    const label = (m: WorldMessage) => {
      if (m.type === 'page' && m.visit !== null && m.message.messageId === m.visit) return m.campaign ?? `(${m.channel!.toLowerCase()})`;
      if (m.type === 'track' && m.event === 'Email Clicked') return '(email)';
      return null;
    };
    const aggs = aggregate(journeys(world.messages, 30, label));
    const report = await topPathsFromStore(store, request({ by: 'campaign', limit: '5' }));
    expect(report.converting.map((r) => [r.path, r.conversions])).toEqual(top(aggs, 'conversions', 5).map((r) => [r.path, r.conversions]));
  });
});

describe('time and touches to convert', () => {
  it('median, p90, mean and histograms over converting journeys with touches', async () => {
    const converting = journeys(world.messages, 30).filter((j) => j.converted);
    const timed = converting.filter((j) => j.steps.length > 0);
    const days = timed.map((j) => (j.end - j.stepTimes[0]) / DAY);
    const touches = timed.map((j) => j.steps.length);
    const report = await pathTimingFromStore(store, request());
    expect(report.journeys).toBe(timed.length);
    expect(report.conversionsWithoutTouches).toBe(converting.length - timed.length);
    expect(report.daysToConvert.median).toBeCloseTo(quantile(days, 0.5)!, 9);
    expect(report.daysToConvert.p90).toBeCloseTo(quantile(days, 0.9)!, 9);
    expect(report.daysToConvert.mean).toBeCloseTo(days.reduce((a, b) => a + b, 0) / days.length, 9);
    expect(report.touchesToConvert.median).toBeCloseTo(quantile(touches, 0.5)!, 9);
    expect(report.touchesToConvert.p90).toBeCloseTo(quantile(touches, 0.9)!, 9);
    const dayBins = [[0, 1], [1, 2], [2, 4], [4, 8], [8, 15], [15, 31], [31, Infinity]];
    expect(report.daysToConvert.histogram.map((b) => b.journeys)).toEqual(dayBins.map(([lo, hi]) => days.filter((d) => Math.floor(d) >= lo && Math.floor(d) < hi).length));
    const touchBins = [[1, 2], [2, 3], [3, 4], [4, 5], [5, 6], [6, 11], [11, Infinity]];
    expect(report.touchesToConvert.histogram.map((b) => b.journeys)).toEqual(touchBins.map(([lo, hi]) => touches.filter((d) => d >= lo && d < hi).length));
    expect(report.daysToConvert.histogram.reduce((s, b) => s + b.journeys, 0)).toBe(timed.length);
  });
});

describe('channel flows (Sankey)', () => {
  for (const depth of [2, 4]) {
    it(`links of journeys cut at ${depth} steps match a plain count; totals are consistent`, async () => {
      const js = journeys(world.messages, 30).filter((j) => j.steps.length > 0);
      const expected = new Map<string, number>();
      for (const j of js) {
        const s = j.steps.slice(0, depth);
        s.forEach((c, i) => {
          const target = i + 1 < s.length ? `${i + 2}:${s[i + 1]}` : j.converted ? 'conversion' : 'drop';
          const key = `${i + 1}:${c} -> ${target}`;
          expected.set(key, (expected.get(key) ?? 0) + 1);
        });
      }
      const report = await pathFlowsFromStore(store, request({ depth: String(depth) }));
      expect(Object.fromEntries(report.links.map((l) => [`${l.source} -> ${l.target}`, l.journeys]))).toEqual(Object.fromEntries(expected));
      expect(report.journeys).toBe(js.length);
      expect(report.conversions).toBe(js.filter((j) => j.converted).length);
      expect(report.conversions + report.drops).toBe(report.journeys);
      // Flow is conserved: into every step node (k > 1) = out of it.
      for (const node of report.nodes.filter((n) => n.step !== null && n.step > 1)) {
        const inflow = report.links.filter((l) => l.target === node.id).reduce((s, l) => s + l.journeys, 0);
        const outflow = report.links.filter((l) => l.source === node.id).reduce((s, l) => s + l.journeys, 0);
        expect(outflow, node.id).toBe(inflow);
        expect(node.journeys).toBe(inflow);
      }
      expect(Math.max(...report.nodes.map((n) => n.step ?? 0))).toBeLessThanOrEqual(depth);
    });
  }
});
