import { formatStep, toFunnelSpec, type FunnelDefinition, type FunnelSpec, type FunnelUnit } from './funnels-definition.ts';

/**
 * Shapes the engine's funnel counts into the report the API and CLI show. Pure.
 *
 * Per step k of n: `entered` = units reaching step k; `converted` = units reaching k+1;
 * conversionRate = converted / entered; dropped = entered − converted; dropOffRate = 1 −
 * conversionRate; overallRate = entered / entered(step 1). Rates are null when nothing entered,
 * and the last step has no next step (null). Times are seconds from reaching step k to reaching
 * step k+1 among the units that did (median and p90, linear interpolation: DuckDB quantile_cont).
 */
export interface FunnelTiming {
  readonly medianSeconds: number;
  readonly p90Seconds: number;
}

export interface FunnelStepResult {
  readonly step: number;
  readonly label: string;
  readonly entered: number;
  readonly converted: number | null;
  readonly conversionRate: number | null;
  readonly dropped: number | null;
  readonly dropOffRate: number | null;
  readonly overallRate: number | null;
  readonly timeToNext: FunnelTiming | null;
}

export interface FunnelGroup {
  readonly value: string;
  readonly entered: number;
  readonly completed: number;
  readonly conversionRate: number | null;
  readonly steps: readonly FunnelStepResult[];
}

export interface FunnelReport {
  readonly definition: FunnelSpec;
  readonly countBy: FunnelUnit;
  /** Units that did step 1 in the period, and those that reached the last step. */
  readonly entered: number;
  readonly completed: number;
  readonly conversionRate: number | null;
  readonly steps: readonly FunnelStepResult[];
  /** One group per breakdown value, largest first; null without a breakdown. */
  readonly breakdown: { readonly by: string; readonly groups: readonly FunnelGroup[] } | null;
}

/** One row of `funnelSummarySql`: `n1`..`nn`, `q1`..`q(n−1)` ([median, p90] seconds or null). */
export type FunnelSummaryRow = Record<string, unknown> & { grp: string | null; is_total: number };

const rate = (num: number, den: number): number | null => (den > 0 ? num / den : null);

function timing(value: unknown): FunnelTiming | null {
  if (!Array.isArray(value) || value.length < 2 || value[0] === null) return null;
  return { medianSeconds: Number(value[0]), p90Seconds: Number(value[1]) };
}

/** Step results from the counts of one summary row. */
export function toStepResults(d: FunnelDefinition, row: Record<string, unknown>): FunnelStepResult[] {
  const n = d.steps.length;
  const count = (k: number): number => Number(row[`n${k}`] ?? 0);
  const first = count(1);
  return d.steps.map((step, i) => {
    const k = i + 1;
    const entered = count(k);
    const last = k === n;
    const converted = last ? null : count(k + 1);
    return {
      step: k,
      label: formatStep(step),
      entered,
      converted,
      conversionRate: converted === null ? null : rate(converted, entered),
      dropped: converted === null ? null : entered - converted,
      dropOffRate: converted === null || entered === 0 ? null : 1 - converted / entered,
      overallRate: rate(entered, first),
      timeToNext: last ? null : timing(row[`q${k}`]),
    };
  });
}

/** The report from the summary rows (the total row, and one row per group with a breakdown). */
export function assembleFunnelReport(d: FunnelDefinition, rows: readonly FunnelSummaryRow[]): FunnelReport {
  const n = d.steps.length;
  const totalRow = rows.find((r) => Number(r.is_total) === 1) ?? {};
  const steps = toStepResults(d, totalRow);
  const entered = steps[0].entered;
  const completed = steps[n - 1].entered;
  const groups: FunnelGroup[] = rows
    .filter((r) => Number(r.is_total) !== 1)
    .map((r) => {
      const s = toStepResults(d, r);
      return { value: String(r.grp), entered: s[0].entered, completed: s[n - 1].entered, conversionRate: rate(s[n - 1].entered, s[0].entered), steps: s };
    })
    .sort((a, b) => b.entered - a.entered || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return {
    definition: toFunnelSpec(d),
    countBy: d.countBy,
    entered,
    completed,
    conversionRate: rate(completed, entered),
    steps,
    breakdown: d.breakdown === null ? null : { by: toFunnelSpec(d).by!, groups },
  };
}
