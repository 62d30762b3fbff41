import { formatBoundary, formatPeriod, periodOffset, type TimeRange } from './kpis-time.ts';
import type { AcquisitionDimension, CohortAnchor, CohortUnit, RetentionMeasure } from './retention.sql.ts';

/**
 * The cohort table from the engine's compact rows (retention.sql.ts). Pure.
 *
 * For a cohort of `size` members and each period offset k = 0 … (the period of the latest
 * event):
 * - `repeat_purchase`: counts[k] = members who converted again in period k (a conversion other
 *   than their first; anchored on the first event, every conversion counts), values[k] = counts[k] / size;
 * - `active`: counts[k] = members with any event in period k, values[k] = counts[k] / size;
 * - `revenue`: counts[k] = the cohort's revenue in period k (every conversion, the first one
 *   included), values[k] = revenue per member, cumulative[k] = Σ values[0..k] (LTV to date).
 * Periods after the latest event are left out (not zero); the last one may be partial.
 */
export interface RetentionRow {
  readonly kind: 'size' | 'cell';
  readonly cohort: number;
  readonly key: string | null;
  readonly offset: number | null;
  readonly members: number | null;
  readonly revenue: number | null;
}

export interface CohortLine {
  /** Period start: YYYY-MM-DD (a Monday for weeks, the 1st for months). */
  readonly cohort: string;
  /** The acquisition key (first touch's channel, …), null without a breakdown. */
  readonly key: string | null;
  readonly size: number;
  readonly values: readonly number[];
  readonly counts: readonly number[];
  /** Revenue measure only: cumulative revenue per member. */
  readonly cumulative?: readonly number[];
}

export interface RetentionReport {
  readonly cohort: CohortUnit;
  readonly anchor: CohortAnchor;
  readonly measure: RetentionMeasure;
  readonly by: AcquisitionDimension | null;
  readonly conversion: string;
  /** Cohorts whose anchor falls in this range. */
  readonly from: string;
  readonly to: string;
  /** The latest event: later periods are not shown, its period may be partial. */
  readonly observedThrough: string | null;
  /** Offsets of the longest row (the oldest cohort's). */
  readonly periods: number;
  readonly cohorts: readonly CohortLine[];
}

export interface RetentionContext {
  readonly unit: CohortUnit;
  readonly anchor: CohortAnchor;
  readonly measure: RetentionMeasure;
  readonly by: AcquisitionDimension | null;
  readonly conversion: string;
  readonly range: TimeRange;
  /** Epoch ms of the latest event, null for an empty store. */
  readonly observedThrough: number | null;
}

export function assembleRetention(rows: readonly RetentionRow[], ctx: RetentionContext): RetentionReport {
  const lines = new Map<string, { cohort: number; key: string | null; size: number; cells: Map<number, { members: number; revenue: number }> }>();
  const id = (r: RetentionRow): string => `${r.cohort}\u001f${r.key ?? ''}`;
  for (const r of rows) {
    if (r.kind !== 'size') continue;
    lines.set(id(r), { cohort: r.cohort, key: r.key, size: r.members ?? 0, cells: new Map() });
  }
  for (const r of rows) {
    if (r.kind !== 'cell' || r.offset === null) continue;
    const line = lines.get(id(r));
    if (line) line.cells.set(r.offset, { members: r.members ?? 0, revenue: r.revenue ?? 0 });
  }
  const cohorts = [...lines.values()]
    .sort((a, b) => a.cohort - b.cohort || ((a.key ?? '') < (b.key ?? '') ? -1 : (a.key ?? '') > (b.key ?? '') ? 1 : 0))
    .map((line): CohortLine => {
      const length = ctx.observedThrough === null ? 1 : Math.max(1, periodOffset(ctx.unit, line.cohort, ctx.observedThrough) + 1);
      const counts: number[] = [];
      for (let k = 0; k < length; k++) {
        const cell = line.cells.get(k);
        counts.push(ctx.measure === 'revenue' ? (cell?.revenue ?? 0) : (cell?.members ?? 0));
      }
      const values = counts.map((c) => (line.size === 0 ? 0 : c / line.size));
      const base = { cohort: formatPeriod('day', line.cohort), key: line.key, size: line.size, values, counts };
      if (ctx.measure !== 'revenue') return base;
      let running = 0;
      return { ...base, cumulative: values.map((v) => (running += v)) };
    });
  return {
    cohort: ctx.unit,
    anchor: ctx.anchor,
    measure: ctx.measure,
    by: ctx.by,
    conversion: ctx.conversion,
    from: formatBoundary(ctx.range.from, 'from', ctx.range),
    to: formatBoundary(ctx.range.to, 'to', ctx.range),
    observedThrough: ctx.observedThrough === null ? null : new Date(ctx.observedThrough).toISOString(),
    periods: cohorts.reduce((m, c) => Math.max(m, c.values.length), 0),
    cohorts,
  };
}
