import {
  COUNT_METRICS,
  deriveRatios,
  pickMetrics,
  shownMetric,
  relativeChange,
  type CountMetric,
  type CountValues,
  type KpiMetric,
  type MetricValues,
} from './kpis-metrics.ts';
import { formatBoundary, formatPeriod, periodStarts, type Granularity, type TimeRange } from './kpis-time.ts';

/**
 * Assembles the KPI document from the engine's compact rows (kpis.sql.ts): fills periods without
 * activity, derives ratios per row, compares with the previous range and says which breakdown and
 * series sums reconcile with the totals. Pure.
 */

/** One row of the KPI statement: a scope, its period or key, and the counts it carries. */
export interface KpiRow {
  readonly scope: 'cur' | 'prev' | 'period' | 'key';
  readonly period: number | null;
  readonly key: string | null;
  readonly [metric: string]: string | number | null;
}

export type MetricSubset = Partial<MetricValues>;

export interface ReconciliationLine {
  readonly metric: CountMetric;
  readonly total: number | null;
  /** Sum over the series periods or breakdown keys; null when the metric is not broken down. */
  readonly sum: number | null;
  readonly reconciles: boolean;
  /** Why the sum can differ from the total (null: it cannot). */
  readonly note: string | null;
}

export interface KpiReport {
  readonly from: string;
  readonly to: string;
  readonly granularity: Granularity;
  readonly by: string | null;
  readonly conversion: string;
  readonly metrics: readonly KpiMetric[];
  readonly totals: MetricSubset;
  readonly previous: { readonly from: string; readonly to: string; readonly totals: MetricSubset };
  /** Relative change against the previous range; null where the previous value is 0 or null. */
  readonly change: MetricSubset;
  readonly series: ReadonlyArray<{ readonly period: string } & MetricSubset>;
  readonly breakdown: ReadonlyArray<{ readonly key: string } & MetricSubset>;
  readonly reconciliation: { readonly series: readonly ReconciliationLine[]; readonly breakdown: readonly ReconciliationLine[] };
}

export interface KpiReportContext {
  readonly range: TimeRange;
  readonly previous: TimeRange;
  readonly granularity: Granularity;
  /** The breakdown as requested (`channel`, `trait:plan`), null for none. */
  readonly by: string | null;
  /** A short name of the breakdown for notes ("channel", "device", "plan"). */
  readonly byLabel: string | null;
  /** Person-level keys (a trait): every person has one key, so person counts add up. */
  readonly byPerson: boolean;
  /** Spend rows can be broken down by this dimension (channel, campaign). */
  readonly spendByKey: boolean;
  readonly conversion: string;
  readonly metrics: readonly KpiMetric[];
}

const SPEND_COUNTS: readonly CountMetric[] = ['spend', 'impressions', 'clicks'];

function zeroCounts(): Record<CountMetric, number | null> {
  return Object.fromEntries(COUNT_METRICS.map((m) => [m, 0])) as Record<CountMetric, number | null>;
}

function addRow(target: Record<CountMetric, number | null>, row: KpiRow): void {
  for (const m of COUNT_METRICS) {
    const v = row[m];
    if (typeof v === 'number') target[m] = (target[m] ?? 0) + v;
  }
}

function seriesNote(metric: CountMetric): string | null {
  if (metric === 'people') return 'a person active in several periods is counted in each of them';
  if (metric === 'convertingPeople') return 'a person converting in several periods is counted in each of them';
  return null;
}

function breakdownNote(metric: CountMetric, ctx: KpiReportContext): string | null {
  const what = ctx.byLabel ?? 'key';
  if (SPEND_COUNTS.includes(metric) && !ctx.spendByKey) return `spend rows carry a channel and a campaign only, so ${metric} is not broken down by ${what}`;
  if (ctx.byPerson) return null;
  if (metric === 'people') return `a person with touches (sessions) under several values of ${what} in the range is counted under each; people with none are under (none)`;
  if (metric === 'convertingPeople') return `a person whose conversions are credited to several values of ${what} is counted under each`;
  return null;
}

function reconcile(metric: CountMetric, total: number | null, sum: number | null, note: string | null): ReconciliationLine {
  const reconciles = total !== null && sum !== null && Math.abs(sum - total) <= 1e-9 * Math.max(1, Math.abs(total));
  return { metric, total: shownMetric(metric, total), sum: shownMetric(metric, sum), reconciles, note };
}

/** The KPI document from the statement's rows. */
export function assembleKpiReport(rows: readonly KpiRow[], ctx: KpiReportContext): KpiReport {
  const cur = zeroCounts();
  const prev = zeroCounts();
  const periods = new Map<number, Record<CountMetric, number | null>>();
  for (const start of periodStarts(ctx.granularity, ctx.range)) periods.set(start, zeroCounts());
  const keys = new Map<string, Record<CountMetric, number | null>>();
  for (const row of rows) {
    if (row.scope === 'cur') addRow(cur, row);
    else if (row.scope === 'prev') addRow(prev, row);
    else if (row.scope === 'period' && row.period !== null) {
      if (!periods.has(row.period)) periods.set(row.period, zeroCounts());
      addRow(periods.get(row.period)!, row);
    } else if (row.scope === 'key' && row.key !== null && ctx.by !== null) {
      if (!keys.has(row.key)) keys.set(row.key, zeroCounts());
      addRow(keys.get(row.key)!, row);
    }
  }
  if (!ctx.spendByKey) for (const counts of keys.values()) for (const m of SPEND_COUNTS) counts[m] = null;

  const view = (counts: CountValues): MetricSubset => pickMetrics(deriveRatios(counts), ctx.metrics);
  const totals = deriveRatios(cur);
  const previous = deriveRatios(prev);
  const change: MetricSubset = {};
  for (const m of ctx.metrics) change[m] = relativeChange(totals[m], previous[m]);

  const periodList = [...periods.entries()].sort((a, b) => a[0] - b[0]);
  const keyList = [...keys.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const selectedCounts = COUNT_METRICS.filter((m) => ctx.metrics.includes(m));
  const sumOf = (list: Array<[unknown, Record<CountMetric, number | null>]>, m: CountMetric): number | null =>
    list.some(([, c]) => c[m] === null) ? null : list.reduce((s, [, c]) => s + (c[m] ?? 0), 0);

  return {
    from: formatBoundary(ctx.range.from, 'from', ctx.range),
    to: formatBoundary(ctx.range.to, 'to', ctx.range),
    granularity: ctx.granularity,
    by: ctx.by,
    conversion: ctx.conversion,
    metrics: ctx.metrics,
    totals: pickMetrics(totals, ctx.metrics),
    previous: {
      from: formatBoundary(ctx.previous.from, 'from', ctx.previous),
      to: formatBoundary(ctx.previous.to, 'to', ctx.previous),
      totals: pickMetrics(previous, ctx.metrics),
    },
    change,
    series: periodList.map(([start, counts]) => ({ period: formatPeriod(ctx.granularity, start), ...view(counts) })),
    breakdown: keyList.map(([key, counts]) => ({ key, ...view(counts) })),
    reconciliation: {
      series: selectedCounts.map((m) => reconcile(m, totals[m], sumOf(periodList, m), seriesNote(m))),
      breakdown:
        ctx.by === null
          ? []
          : selectedCounts.map((m) => reconcile(m, totals[m], !ctx.spendByKey && SPEND_COUNTS.includes(m) ? null : sumOf(keyList, m), breakdownNote(m, ctx))),
    },
  };
}
