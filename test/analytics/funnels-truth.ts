/**
 * Expected funnel and journey answers computed in plain TypeScript from the generated world's
 * facts (person, visit, channel of every message), independently of src/analytics: no SQL, no
 * import from the code under test.
 */
import { DAY, type WorldMessage } from './funnels-world.ts';

export type Match = (m: WorldMessage) => boolean;

export interface TruthFunnel {
  readonly steps: readonly Match[];
  readonly windowMs: number;
  readonly mode: 'strict' | 'any';
  readonly countBy: 'person' | 'session';
  /** Label of the unit from its anchor (first step-1) message. */
  readonly label?: (anchor: WorldMessage) => string;
  readonly from?: number;
  readonly to?: number;
}

export interface TruthUnit {
  /** Person test key, or the visit (session) id. */
  readonly unit: string;
  readonly person: string;
  readonly times: ReadonlyArray<number | null>;
  readonly label: string | null;
}

/** R-7 quantile (linear interpolation), as DuckDB's quantile_cont. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const xs = [...values].sort((a, b) => a - b);
  const h = (xs.length - 1) * q;
  const lo = Math.floor(h);
  return lo + 1 < xs.length ? xs[lo] + (h - lo) * (xs[lo + 1] - xs[lo]) : xs[lo];
}

/** Every unit that did step 1 in the period, with the time it reached each level. */
export function funnelUnits(messages: readonly WorldMessage[], f: TruthFunnel): TruthUnit[] {
  const groups = new Map<string, WorldMessage[]>();
  for (const m of messages) {
    const key = f.countBy === 'person' ? m.person : m.visit;
    if (key === null || !f.steps.some((s) => s(m))) continue;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(m);
  }
  const units: TruthUnit[] = [];
  for (const [unit, events] of groups) {
    const inPeriod = (m: WorldMessage) => (f.from === undefined || m.ts >= f.from) && (f.to === undefined || m.ts < f.to);
    let anchor: WorldMessage | null = null;
    for (const m of events) if (f.steps[0](m) && inPeriod(m) && (anchor === null || m.ts < anchor.ts)) anchor = m;
    if (anchor === null) continue;
    const t1 = anchor.ts;
    const end = t1 + f.windowMs;
    const times: Array<number | null> = [t1];
    for (let k = 1; k < f.steps.length; k++) {
      const prev = times[k - 1];
      const candidates = events.filter((m) => f.steps[k](m) && m.ts <= end && (f.mode === 'strict' ? prev !== null && m.ts > prev : m.ts >= t1)).map((m) => m.ts);
      const first = candidates.length > 0 ? Math.min(...candidates) : null;
      times.push(prev === null || first === null ? null : f.mode === 'strict' ? first : Math.max(prev, first));
    }
    units.push({ unit, person: anchor.person, times, label: f.label ? f.label(anchor) : null });
  }
  return units;
}

export interface TruthSummary {
  readonly counts: number[];
  /** [median, p90] seconds from level k to k+1. */
  readonly timing: Array<[number, number] | null>;
}

export function summarize(units: readonly TruthUnit[], steps: number): TruthSummary {
  const counts = Array.from({ length: steps }, (_, k) => units.filter((u) => u.times[k] !== null).length);
  const timing = Array.from({ length: steps - 1 }, (_, k): [number, number] | null => {
    const d = units.filter((u) => u.times[k + 1] !== null).map((u) => (u.times[k + 1]! - u.times[k]!) / 1000);
    return d.length === 0 ? null : [quantile(d, 0.5)!, quantile(d, 0.9)!];
  });
  return { counts, timing };
}

// ------------------------------------------------------------------------------- journeys

export interface TruthJourney {
  readonly person: string;
  readonly steps: readonly string[];
  readonly stepTimes: readonly number[];
  readonly converted: boolean;
  readonly value: number;
  readonly end: number;
}

/** Touch label of a message at channel granularity (null: not a touch). */
export function channelTouch(m: WorldMessage): string | null {
  if (m.type === 'page' && m.visit !== null && m.message.messageId === m.visit) return m.channel;
  if (m.type === 'track' && m.event === 'Email Clicked') return 'Email';
  return null;
}

/**
 * Journeys per person: touches after the previous conversion (a touch at the same instant as a
 * conversion belongs to it) and within the lookback before the conversion; touches after the
 * last conversion form a null journey, cut to the lookback before its last touch.
 */
export function journeys(messages: readonly WorldMessage[], lookbackDays: number, label: (m: WorldMessage) => string | null = channelTouch): TruthJourney[] {
  const byPerson = new Map<string, WorldMessage[]>();
  for (const m of messages) (byPerson.get(m.person) ?? byPerson.set(m.person, []).get(m.person)!).push(m);
  const lookback = lookbackDays * DAY;
  const out: TruthJourney[] = [];
  for (const [person, ms] of byPerson) {
    const rows = ms
      .map((m) => ({ m, touch: label(m), conv: m.type === 'track' && m.event === 'Order Completed' }))
      .filter((r) => r.touch !== null || r.conv)
      .sort((a, b) => a.m.ts - b.m.ts || Number(a.conv) - Number(b.conv));
    let pending: Array<{ t: number; l: string }> = [];
    const close = (end: number, converted: boolean, value: number) => {
      const kept = pending.filter((p) => p.t >= end - lookback).sort((a, b) => a.t - b.t);
      out.push({ person, steps: kept.map((p) => p.l), stepTimes: kept.map((p) => p.t), converted, value, end });
      pending = [];
    };
    for (const r of rows) {
      if (r.conv) close(r.m.ts, true, Number(r.m.properties.revenue ?? 0));
      else pending.push({ t: r.m.ts, l: r.touch! });
    }
    if (pending.length > 0) close(Math.max(...pending.map((p) => p.t)), false, 0);
  }
  return out;
}
