import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Granularity, KpiDimension, KpiMetric, KpiReport, MetricValues } from '../../analytics/index.ts';
import { apiFetch } from './client.ts';

/** The KPI document (GET /api/kpis, src/analytics/README.md) and its metric names. */
export type { KpiReport, KpiMetric, ReconciliationLine as KpiReconciliationLine } from '../../analytics/index.ts';

/** Metric values of one row (totals, a period, a breakdown key); null: not broken down, or a zero denominator. */
export type KpiValues = Readonly<Partial<MetricValues>>;
/** The fixed breakdowns (the API also takes `trait:NAME`). */
export type KpiBreakdown = Exclude<KpiDimension['kind'], 'trait'>;

export interface KpiParams {
  /** First day, YYYY-MM-DD. */
  readonly from: string;
  /** Last day, inclusive. */
  readonly to: string;
  readonly granularity?: Granularity;
  readonly by?: KpiBreakdown;
  /** Only these metrics (a ratio brings its inputs); every metric when left out. */
  readonly metrics?: readonly KpiMetric[];
  /** Conversion definition name; the default one when left out. */
  readonly conversion?: string;
}

/**
 * GET /api/kpis. Ask only for the metrics a breakdown needs: the server computes each family of
 * metrics (people, traffic, conversions, spend) only when asked, and people per channel is the
 * dearest part of the statement. While a new range loads, the previous answer stays on screen
 * (`isPlaceholderData` says so) instead of a spinner replacing every chart.
 */
export function useKpis(params: KpiParams) {
  const query = {
    from: params.from,
    to: params.to,
    granularity: params.granularity ?? 'day',
    by: params.by ?? null,
    metrics: params.metrics?.join(',') ?? null,
    conversion: params.conversion ?? null,
  };
  return useQuery({
    queryKey: ['kpis', query],
    queryFn: ({ signal }) => apiFetch<KpiReport>('/api/kpis', { params: query, signal }),
    placeholderData: keepPreviousData,
  });
}

/** True when nothing at all happened in the range (no people, sessions, conversions or spend). */
export function isEmptyReport(report: KpiReport): boolean {
  const t = report.totals;
  return !t.people && !t.sessions && !t.conversions && !t.spend && !t.touches;
}
