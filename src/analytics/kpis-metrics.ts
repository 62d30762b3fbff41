/**
 * KPI metric names and formulas. Counts come from the engine; every ratio is derived here from
 * the counts of the same row (total, period or breakdown key), so a ratio never averages ratios.
 * A ratio with a zero (or unknown) denominator is null — never NaN or Infinity.
 */

/** Counts and sums the engine computes. */
export const COUNT_METRICS = [
  'people',
  'newPeople',
  'sessions',
  'touches',
  'conversions',
  'convertingPeople',
  'revenue',
  'newCustomers',
  'spend',
  'impressions',
  'clicks',
] as const;
export type CountMetric = (typeof COUNT_METRICS)[number];

/** Ratios derived from counts. */
export const RATIO_METRICS = ['conversionRate', 'sessionConversionRate', 'aov', 'ctr', 'cpc', 'cpa', 'cac', 'roas', 'roi'] as const;
export type RatioMetric = (typeof RATIO_METRICS)[number];

export const KPI_METRICS = [...COUNT_METRICS, ...RATIO_METRICS] as const;
export type KpiMetric = CountMetric | RatioMetric;

/** Metric values of one row; null: not available (spend by device) or a zero denominator. */
export type MetricValues = { [M in KpiMetric]: number | null };
export type CountValues = { [M in CountMetric]: number | null };

/** The counts each ratio reads: (numerator, denominator), `roi` reads revenue and spend. */
export const RATIO_INPUTS: Readonly<Record<RatioMetric, readonly CountMetric[]>> = {
  conversionRate: ['convertingPeople', 'people'],
  sessionConversionRate: ['conversions', 'sessions'],
  aov: ['revenue', 'conversions'],
  ctr: ['clicks', 'impressions'],
  cpc: ['spend', 'clicks'],
  cpa: ['spend', 'conversions'],
  cac: ['spend', 'newCustomers'],
  roas: ['revenue', 'spend'],
  roi: ['revenue', 'spend'],
};

/** a / b, or null when either is unknown or b is 0. */
export function safeRatio(a: number | null, b: number | null): number | null {
  if (a === null || b === null || b === 0) return null;
  return a / b;
}

/**
 * Every ratio from a row's counts:
 * conversionRate = convertingPeople / people; sessionConversionRate = conversions / sessions;
 * aov = revenue / conversions; ctr = clicks / impressions; cpc = spend / clicks;
 * cpa = spend / conversions; cac = spend / newCustomers; roas = revenue / spend;
 * roi = (revenue − spend) / spend.
 */
export function deriveRatios(c: CountValues): MetricValues {
  return {
    ...c,
    conversionRate: safeRatio(c.convertingPeople, c.people),
    sessionConversionRate: safeRatio(c.conversions, c.sessions),
    aov: safeRatio(c.revenue, c.conversions),
    ctr: safeRatio(c.clicks, c.impressions),
    cpc: safeRatio(c.spend, c.clicks),
    cpa: safeRatio(c.spend, c.conversions),
    cac: safeRatio(c.spend, c.newCustomers),
    roas: safeRatio(c.revenue, c.spend),
    roi: c.revenue === null || c.spend === null ? null : safeRatio(c.revenue - c.spend, c.spend),
  };
}

/** Relative change (current − previous) / |previous|; null when previous is 0 or either is unknown. */
export function relativeChange(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}

/** The counts a selection of metrics needs (a ratio needs its inputs). */
export function requiredCounts(metrics: readonly KpiMetric[]): Set<CountMetric> {
  const needed = new Set<CountMetric>();
  for (const m of metrics) {
    if ((COUNT_METRICS as readonly string[]).includes(m)) needed.add(m as CountMetric);
    else for (const input of RATIO_INPUTS[m as RatioMetric]) needed.add(input);
  }
  return needed;
}

/** Sums of money. */
const MONEY_METRICS: readonly KpiMetric[] = ['revenue', 'spend'];

/**
 * A metric as the report shows it: sums of money to a millionth, because sums of doubles carry
 * noise in the last digits (3373.3600000000006) that means nothing and would show in every
 * answer and export. Ratios and reconciliation are computed before, at full precision.
 */
export function shownMetric(metric: KpiMetric, value: number | null): number | null {
  if (value === null || !MONEY_METRICS.includes(metric) || Math.abs(value) >= 1e9) return value;
  return Math.round(value * 1e6) / 1e6;
}

/** Keeps the selected metrics, in the canonical order, as the report shows them. */
export function pickMetrics(values: MetricValues, metrics: readonly KpiMetric[]): Partial<MetricValues> {
  const out: Partial<MetricValues> = {};
  for (const m of KPI_METRICS) if (metrics.includes(m)) out[m] = shownMetric(m, values[m]);
  return out;
}
