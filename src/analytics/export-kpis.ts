import type { KpiMetric, MetricValues } from './kpis-metrics.ts';
import type { KpiReport } from './kpis-report.ts';
import { toCsv, type CsvCell } from './export-csv.ts';

/**
 * A KPI breakdown as an export (pure): one row per breakdown key with the asked metrics, rows of
 * small groups suppressed.
 *
 * A row's group is the people behind it; its size is taken as max(people, convertingPeople) of
 * the key — a lower bound of the people behind it (people with a touch under the key, people
 * whose conversions are credited to it), so a row is never kept on a guess that is too large.
 * Rows with 0 < size < k are suppressed; rows with no people at all (spend only) carry nothing
 * about anyone and are kept. No total row is written: the total minus the kept rows would give
 * back the suppressed ones.
 */
export interface KpiExport {
  readonly from: string;
  readonly to: string;
  readonly by: string;
  readonly conversion: string;
  readonly metrics: readonly KpiMetric[];
  /** k: rows of fewer people are suppressed. */
  readonly minGroupSize: number;
  readonly rows: ReadonlyArray<{ readonly key: string } & Partial<MetricValues>>;
  readonly suppressedGroups: number;
}

/** The metrics a row's group size is read from (always computed for an export). */
export const GROUP_SIZE_METRICS = ['people', 'convertingPeople'] as const satisfies readonly KpiMetric[];

/** People behind a breakdown row (a lower bound, see the file comment). */
export function groupSize(row: Partial<MetricValues>): number {
  return Math.max(row.people ?? 0, row.convertingPeople ?? 0);
}

/** Whether a group of `size` people is too small to export under `k` (empty groups are not). */
export function isSuppressed(size: number, k: number): boolean {
  return size > 0 && size < k;
}

/** The breakdown of `report` (computed with the group-size metrics) as an export of `metrics`. */
export function kpiExport(report: KpiReport, metrics: readonly KpiMetric[], k: number): KpiExport {
  if (report.by === null) throw new RangeError('by: an export needs a breakdown');
  const kept = report.breakdown.filter((row) => !isSuppressed(groupSize(row), k));
  return {
    from: report.from,
    to: report.to,
    by: report.by,
    conversion: report.conversion,
    metrics,
    minGroupSize: k,
    rows: kept.map((row) => ({ key: row.key, ...Object.fromEntries(metrics.map((m) => [m, row[m] ?? null])) })),
    suppressedGroups: report.breakdown.length - kept.length,
  };
}

/** The label of the row standing for the suppressed groups. */
export function suppressedLabel(groups: number, k: number): string {
  return `(suppressed: ${groups} ${groups === 1 ? 'group' : 'groups'} under ${k} people)`;
}

/**
 * The CSV: a header (`<by>`, then the metrics), a row per kept key, and when groups were
 * suppressed one last row naming how many, with empty metric cells.
 */
export function kpiExportCsv(e: KpiExport): string {
  const rows: CsvCell[][] = e.rows.map((row) => [row.key, ...e.metrics.map((m) => row[m] ?? null)]);
  if (e.suppressedGroups > 0) rows.push([suppressedLabel(e.suppressedGroups, e.minGroupSize), ...e.metrics.map(() => null)]);
  return toCsv([e.by, ...e.metrics], rows);
}
