import { useMemo } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import type { KpiMetric, KpiReport } from '../api/kpis.ts';
import { colorFor, PALETTE } from '../charts/palette.ts';
import { chartValue } from '../lib/format.ts';
import { Chart } from './chart.tsx';
import { Empty } from './states.tsx';
import type { MetricColumn } from './channels-table.tsx';

/** Bars past this many are unreadable; the table below has every row. */
export const CHART_ROWS = 12;

/** The rows with a value for the metric, largest first, at most `limit`. */
export function topRows(breakdown: KpiReport['breakdown'], metric: KpiMetric, limit = CHART_ROWS): { key: string; value: number }[] {
  return breakdown
    .map((r) => ({ key: r.key, value: chartValue(r[metric]) }))
    .filter((r): r is { key: string; value: number } => r.value !== null && r.value !== 0)
    .sort((a, b) => b.value - a.value)
    .slice(0, limit);
}

/** One metric by breakdown key as horizontal bars; channels keep their colour across the dashboard. */
export function ChannelsBarChart({ report, column, byChannel, keyLabel }: { report: KpiReport; column: MetricColumn; byChannel: boolean; keyLabel: string }) {
  const rows = useMemo(() => topRows(report.breakdown, column.metric), [report.breakdown, column.metric]);
  const keys = useMemo(() => report.breakdown.map((r) => r.key).sort(), [report.breakdown]);
  const ordered = useMemo(() => [...rows].reverse(), [rows]);
  const option = useMemo<EChartsCoreOption>(
    () => ({
      grid: { left: 8, right: 72, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'item', formatter: (p: { name: string; value: number }) => `${p.name}<br/>${column.header}: ${column.format(p.value)}` },
      xAxis: { type: 'value', axisLabel: { hideOverlap: true, formatter: (v: number) => column.format(v) } },
      yAxis: { type: 'category', data: ordered.map((r) => r.key), axisLabel: { width: 160, overflow: 'truncate' } },
      series: [
        {
          name: column.header,
          type: 'bar',
          data: ordered.map((r) => ({ value: r.value, itemStyle: { color: byChannel ? colorFor(r.key, keys) : PALETTE[0] } })),
          label: { show: true, position: 'right', color: '#374151', formatter: (p: { value: number }) => column.format(p.value) },
        },
      ],
    }),
    [ordered, column, byChannel, keys],
  );
  if (rows.length === 0) return <Empty title={`No ${column.header.toLowerCase()} by ${keyLabel} in this range`}>Pick another metric or a longer date range.</Empty>;
  const more = report.breakdown.length - rows.length;
  return (
    <>
      <Chart
        name="channels-bars"
        label={`${column.header} by ${keyLabel}, ${rows.length} largest`}
        option={option}
        height={Math.max(200, rows.length * 30 + 40)}
      />
      {more > 0 ? (
        <p className="help">
          Showing the {rows.length} {keyLabel} values with the most {column.header.toLowerCase()}; the table has all {report.breakdown.length}.
        </p>
      ) : null}
    </>
  );
}
