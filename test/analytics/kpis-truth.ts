import { DAY, T0, type Touch, type World } from './kpis-world.ts';

/**
 * The KPI definitions computed the plain way, straight from the generator's truth (which person
 * sent each message, each visit's channel): loops and sets, no SQL, nothing from src/analytics.
 */
export type Counts = Record<string, number | null>;

const LOOKBACK = 30 * DAY;

const inRange = (t: number, r: { from: number; to: number }): boolean => t >= r.from && t < r.to;
const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : a / b);

function withRatios(c: Counts): Counts {
  const n = (k: string): number | null => c[k] ?? null;
  return {
    ...c,
    conversionRate: ratio(n('convertingPeople'), n('people')),
    sessionConversionRate: ratio(n('conversions'), n('sessions')),
    aov: ratio(n('revenue'), n('conversions')),
    ctr: ratio(n('clicks'), n('impressions')),
    cpc: ratio(n('spend'), n('clicks')),
    cpa: ratio(n('spend'), n('conversions')),
    cac: ratio(n('spend'), n('newCustomers')),
    roas: ratio(n('revenue'), n('spend')),
    roi: n('revenue') === null || n('spend') === null ? null : ratio(n('revenue')! - n('spend')!, n('spend')),
  };
}

function firstTimes(world: World): Map<number, number> {
  const first = new Map<number, number>();
  for (const m of world.messages) first.set(m.person, Math.min(first.get(m.person) ?? Infinity, m.at));
  return first;
}

function firstOrders(world: World): Map<number, number> {
  const first = new Map<number, number>();
  for (const o of world.orders) first.set(o.person, Math.min(first.get(o.person) ?? Infinity, o.at));
  return first;
}

/** Totals over a range. */
export function truthTotals(world: World, r: { from: number; to: number }): Counts {
  const first = firstTimes(world);
  const firstOrder = firstOrders(world);
  const people = new Set(world.messages.filter((m) => inRange(m.at, r)).map((m) => m.person));
  const orders = world.orders.filter((o) => inRange(o.at, r));
  const spend = world.spend.filter((s) => inRange(T0 + s.day * DAY, r));
  return withRatios({
    people: people.size,
    newPeople: [...first.values()].filter((t) => inRange(t, r)).length,
    sessions: world.touches.filter((t) => t.kind === 'session' && inRange(t.at, r)).length,
    touches: world.touches.filter((t) => inRange(t.at, r)).length,
    conversions: orders.length,
    convertingPeople: new Set(orders.map((o) => o.person)).size,
    revenue: orders.reduce((s, o) => s + o.revenue, 0),
    newCustomers: [...firstOrder.values()].filter((t) => inRange(t, r)).length,
    spend: spend.reduce((s, x) => s + x.spend, 0),
    impressions: spend.reduce((s, x) => s + (x.impressions ?? 0), 0),
    clicks: spend.reduce((s, x) => s + (x.clicks ?? 0), 0),
  });
}

/** Totals per day of the range, keyed YYYY-MM-DD. */
export function truthDaily(world: World, r: { from: number; to: number }): Map<string, Counts> {
  const out = new Map<string, Counts>();
  for (let d = r.from; d < r.to; d += DAY) out.set(new Date(d).toISOString().slice(0, 10), truthTotals(world, { from: d, to: d + DAY }));
  // newPeople / newCustomers of a day are "first ever" in that day: truthTotals already says so.
  return out;
}

export type Dimension = 'channel' | 'device';

function touchKey(t: Touch, by: Dimension): string {
  return by === 'channel' ? t.channel : t.kind === 'session' ? t.device! : '(not set)';
}

/**
 * Breakdown of the range: sessions and touches by their own key; people under every key they
 * have a touch (by device: a session) of in the range, else (none); newcomers by their first
 * one; conversions, revenue, converting people and new customers by the last touch (session)
 * at or before the order within 30 days, else (none); spend by its channel (by device: none).
 */
export function truthBreakdown(world: World, r: { from: number; to: number }, by: Dimension): Map<string, Counts> {
  const out = new Map<string, Counts>();
  const row = (key: string): Counts => {
    if (!out.has(key)) {
      out.set(key, { people: 0, newPeople: 0, sessions: 0, touches: 0, conversions: 0, convertingPeople: 0, revenue: 0, newCustomers: 0, spend: 0, impressions: 0, clicks: 0 });
    }
    return out.get(key)!;
  };
  const add = (key: string, metric: string, n: number): void => {
    const c = row(key);
    c[metric] = (c[metric] ?? 0) + n;
  };
  const labelTouches = world.touches.filter((t) => by === 'channel' || t.kind === 'session');
  for (const t of world.touches.filter((x) => inRange(x.at, r))) {
    if (t.kind === 'session') add(touchKey(t, by), 'sessions', 1);
    add(touchKey(t, by), 'touches', 1);
  }
  const active = new Set(world.messages.filter((m) => inRange(m.at, r)).map((m) => m.person));
  for (const p of active) {
    const keys = new Set(labelTouches.filter((t) => t.person === p && inRange(t.at, r)).map((t) => touchKey(t, by)));
    if (keys.size === 0) add('(none)', 'people', 1);
    for (const k of keys) add(k, 'people', 1);
  }
  const first = firstTimes(world);
  for (const [p, t] of first) {
    if (!inRange(t, r)) continue;
    const own = labelTouches.filter((x) => x.person === p && inRange(x.at, r)).sort((a, b) => a.at - b.at);
    add(own.length > 0 ? touchKey(own[0], by) : '(none)', 'newPeople', 1);
  }
  const firstOrder = firstOrders(world);
  const converting = new Map<string, Set<number>>();
  for (const o of world.orders.filter((x) => inRange(x.at, r))) {
    const before = labelTouches.filter((t) => t.person === o.person && t.at <= o.at).sort((a, b) => b.at - a.at)[0];
    const key = before !== undefined && before.at >= o.at - LOOKBACK ? touchKey(before, by) : '(none)';
    add(key, 'conversions', 1);
    add(key, 'revenue', o.revenue);
    if (firstOrder.get(o.person) === o.at) add(key, 'newCustomers', 1);
    if (!converting.has(key)) converting.set(key, new Set());
    converting.get(key)!.add(o.person);
  }
  for (const [key, persons] of converting) row(key).convertingPeople = persons.size;
  for (const s of world.spend.filter((x) => inRange(T0 + x.day * DAY, r))) {
    if (by !== 'channel') continue;
    add(s.channel, 'spend', s.spend);
    add(s.channel, 'impressions', s.impressions ?? 0);
    add(s.channel, 'clicks', s.clicks ?? 0);
  }
  if (by !== 'channel') for (const c of out.values()) Object.assign(c, { spend: null, impressions: null, clicks: null });
  return new Map([...out.entries()].map(([k, c]) => [k, withRatios(c)]));
}

/** (current − previous) / previous, null when previous is 0 or either is null. */
export function truthChange(cur: Counts, prev: Counts): Counts {
  const out: Counts = {};
  for (const k of Object.keys(cur)) {
    const a = cur[k];
    const b = prev[k];
    out[k] = a === null || b === null || b === undefined || b === 0 ? null : (a - b) / Math.abs(b);
  }
  return out;
}

/** Weekly cohorts by first order, repeat purchases (orders after the first) per week offset. */
export function truthRepeatCohorts(world: World, weekStart: (t: number) => number): Map<string, { size: number; repeat: number[]; revenue: number[] }> {
  const byPerson = new Map<number, number[]>();
  for (const o of [...world.orders].sort((a, b) => a.at - b.at)) {
    if (!byPerson.has(o.person)) byPerson.set(o.person, []);
    byPerson.get(o.person)!.push(o.at);
  }
  const revenueAt = new Map(world.orders.map((o) => [`${o.person}:${o.at}`, o.revenue]));
  const cohorts = new Map<string, { size: number; members: Array<number[]>; persons: number[] }>();
  for (const [p, times] of byPerson) {
    const key = new Date(weekStart(times[0])).toISOString().slice(0, 10);
    if (!cohorts.has(key)) cohorts.set(key, { size: 0, members: [], persons: [] });
    const c = cohorts.get(key)!;
    c.size++;
    c.members.push(times);
    c.persons.push(p);
  }
  const out = new Map<string, { size: number; repeat: number[]; revenue: number[] }>();
  for (const [key, c] of cohorts) {
    const start = Date.parse(key + 'T00:00:00Z');
    const repeat: number[] = [];
    const revenue: number[] = [];
    c.members.forEach((times, m) => {
      const seen = new Set<number>();
      times.forEach((t, j) => {
        const k = Math.floor((weekStart(t) - start) / (7 * DAY));
        revenue[k] = (revenue[k] ?? 0) + (revenueAt.get(`${c.persons[m]}:${t}`) ?? 0);
        if (j > 0 && !seen.has(k)) {
          seen.add(k);
          repeat[k] = (repeat[k] ?? 0) + 1;
        }
      });
    });
    out.set(key, { size: c.size, repeat, revenue });
  }
  return out;
}
