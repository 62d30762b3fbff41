import { useMemo } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import type { CohortLine, RetentionReport } from '../api/retention.ts';
import { formatCount, formatMoney, formatPercent } from '../lib/format.ts';
import { useNarrow } from '../lib/use-narrow.ts';
import { Chart } from './chart.tsx';

/** How a measure's values read: shares as percentages, revenue per member as money. */
export function formatMeasure(report: Pick<RetentionReport, 'measure'>, v: number | null | undefined, digits = 1): string {
  return report.measure === 'revenue' ? formatMoney(v) : formatPercent(v, digits);
}

export function periodLabel(report: Pick<RetentionReport, 'cohort'>, k: number): string {
  return `${report.cohort === 'week' ? 'Week' : 'Month'} ${k}`;
}

/** `Week of Mar 3, 2025` / `Mar 2025`; `short` drops the year and "Week of" (phone axis labels). */
export function cohortLabel(report: Pick<RetentionReport, 'cohort'>, line: Pick<CohortLine, 'cohort'>, short = false): string {
  const d = new Date(`${line.cohort}T00:00:00Z`);
  if (!Number.isFinite(d.getTime())) return line.cohort;
  if (report.cohort === 'month') return d.toLocaleDateString('en-US', { month: 'short', year: short ? '2-digit' : 'numeric', timeZone: 'UTC' });
  const day = d.toLocaleDateString('en-US', short ? { month: 'short', day: 'numeric', timeZone: 'UTC' } : { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
  return short ? day : `Week of ${day}`;
}

/**
 * The scale's top: the largest value after period 0 when there is one, because period 0 of the
 * "active" measure is 100% by definition and would wash out every later cell.
 */
function scaleMax(report: RetentionReport): number {
  let later = 0;
  let all = 0;
  for (const line of report.cohorts) {
    line.values.forEach((v, k) => {
      if (!Number.isFinite(v)) return;
      all = Math.max(all, v);
      if (k > 0) later = Math.max(later, v);
    });
  }
  const max = later > 0 ? later : all;
  return max > 0 ? max : 1;
}

/** Cohort rows (oldest on top, with their size) × periods since joining, coloured by the measure. */
export function RetentionHeatmap({ report }: { report: RetentionReport }) {
  const narrow = useNarrow();
  const option = useMemo<EChartsCoreOption>(() => {
    const rows = report.cohorts;
    const max = scaleMax(report);
    const yLabels = rows.map((line) => `${cohortLabel(report, line, narrow)}  (${formatCount(line.size)})`);
    const data: Array<[number, number, number]> = [];
    rows.forEach((line, r) => line.values.forEach((v, k) => Number.isFinite(v) && data.push([k, r, v])));
    return {
      grid: { left: 8, right: 16, top: 8, bottom: narrow ? 84 : 64, containLabel: true },
      tooltip: {
        position: 'top',
        formatter: (p: { value: [number, number, number] }) => {
          const [k, r, v] = p.value;
          const line = rows[r];
          const count = report.measure === 'revenue' ? formatMoney(line.counts[k]) : `${formatCount(line.counts[k])} of ${formatCount(line.size)}`;
          return `${cohortLabel(report, line)} · ${periodLabel(report, k)}<br/><b>${formatMeasure(report, v)}</b> (${count})`;
        },
      },
      xAxis: { type: 'category', data: Array.from({ length: report.periods }, (_, k) => (narrow ? String(k) : periodLabel(report, k))), name: narrow ? `${report.cohort}s since joining` : undefined, nameLocation: 'middle', nameGap: 24, splitArea: { show: true } },
      yAxis: { type: 'category', inverse: true, data: yLabels, splitArea: { show: true } },
      visualMap: {
        min: 0,
        max,
        calculable: false,
        text: [formatMeasure(report, max, 0), formatMeasure(report, 0, 0)],
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemHeight: 160,
        inRange: { color: ['#eff6ff', '#93c5fd', '#1d4ed8'] },
        formatter: (v: number) => formatMeasure(report, v, 0),
      },
      series: [
        {
          name: 'Retention',
          type: 'heatmap',
          data,
          label: { show: !narrow && report.periods <= 14, fontSize: 11, formatter: (p: { value: [number, number, number] }) => formatMeasure(report, p.value[2], 0) },
          emphasis: { itemStyle: { borderColor: '#111827', borderWidth: 1 } },
        },
      ],
    };
  }, [report, narrow]);
  const height = Math.max(220, 64 + 30 * report.cohorts.length + 40);
  return <Chart name="retention" label={`Retention heatmap: ${report.cohorts.length} cohorts by ${report.cohort}, ${report.periods} periods`} option={option} height={height} />;
}
