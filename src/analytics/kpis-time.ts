import { parseDate } from '../attribution/index.ts';

/**
 * Time for analytics: UTC periods (ISO weeks start on Monday, as the engine's
 * `date_trunc('week', …)`), ranges and their labels. Pure: no clock, no store.
 */
export { parseDate };

export const GRANULARITIES = ['hour', 'day', 'week', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** A half-open time range [from, to) in epoch ms. */
export interface TimeRange {
  readonly from: number;
  readonly to: number;
}

/** The start of the period (UTC) holding `ms`. */
export function truncateTo(granularity: Granularity, ms: number): number {
  const d = new Date(ms);
  switch (granularity) {
    case 'hour':
      return Math.floor(ms / HOUR_MS) * HOUR_MS;
    case 'day':
      return Math.floor(ms / DAY_MS) * DAY_MS;
    case 'week': {
      const day = Math.floor(ms / DAY_MS) * DAY_MS;
      const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
      return day - weekday * DAY_MS;
    }
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
}

/** The start of the period after the one starting at `start`. */
export function nextPeriod(granularity: Granularity, start: number): number {
  switch (granularity) {
    case 'hour':
      return start + HOUR_MS;
    case 'day':
      return start + DAY_MS;
    case 'week':
      return start + 7 * DAY_MS;
    case 'month': {
      const d = new Date(start);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    }
  }
}

/** Starts of every period that overlaps [from, to), oldest first (empty when to ≤ from). */
export function periodStarts(granularity: Granularity, range: TimeRange): number[] {
  const starts: number[] = [];
  for (let p = truncateTo(granularity, range.from); p < range.to; p = nextPeriod(granularity, p)) starts.push(p);
  return starts;
}

/** Whole periods from `start` to the period holding `ms` (0 for the same period). */
export function periodOffset(granularity: Granularity, start: number, ms: number): number {
  const target = truncateTo(granularity, ms);
  if (granularity === 'month') {
    const a = new Date(start);
    const b = new Date(target);
    return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
  }
  const size = granularity === 'hour' ? HOUR_MS : granularity === 'day' ? DAY_MS : 7 * DAY_MS;
  return Math.round((target - start) / size);
}

/** A period's label: `2025-01-06` for days, weeks and months, `2025-01-06T13:00:00Z` for hours. */
export function formatPeriod(granularity: Granularity, start: number): string {
  const iso = new Date(start).toISOString();
  return granularity === 'hour' ? iso.slice(0, 13) + ':00:00Z' : iso.slice(0, 10);
}

/**
 * How a range boundary is shown: a bare day when it falls on midnight (`to` as the last included
 * day, like the request spells it), else the ISO instant (`to` then exclusive).
 */
export function formatBoundary(ms: number, edge: 'from' | 'to', range: TimeRange): string {
  const aligned = range.from % DAY_MS === 0 && range.to % DAY_MS === 0;
  if (!aligned) return new Date(ms).toISOString();
  return new Date(edge === 'to' ? ms - DAY_MS : ms).toISOString().slice(0, 10);
}

/** The previous range of equal length, ending where `range` starts. */
export function previousRange(range: TimeRange): TimeRange {
  return { from: range.from - (range.to - range.from), to: range.from };
}

/**
 * The requested range, or its defaults: `to` the end of the day of the latest event (else of
 * `now`), `from` `defaultDays` days before `to`.
 */
export function resolveRange(requested: { from: number | null; to: number | null }, latestEventMs: number | null, now: number, defaultDays: number): TimeRange {
  const to = requested.to ?? truncateTo('day', latestEventMs ?? now) + DAY_MS;
  const from = requested.from ?? to - defaultDays * DAY_MS;
  return { from, to };
}

/**
 * A range boundary from the request: a day (`YYYY-MM-DD`, UTC; `to` includes it) or an ISO time
 * on a whole hour (activity is kept per hour). Throws a RangeError naming the field.
 */
export function parseBoundary(text: string, field: 'from' | 'to'): number {
  const ms = parseDate(text, field, field === 'to');
  if (ms % HOUR_MS !== 0) throw new RangeError(`${field}: "${text}" must be a day (YYYY-MM-DD) or a whole hour`);
  return ms;
}
