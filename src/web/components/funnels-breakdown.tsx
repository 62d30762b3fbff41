import { useMemo } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import type { FunnelGroup, FunnelReport } from '../api/funnels.ts';
import { colorFor } from '../charts/palette.ts';
import { chartValue, formatCount, formatPercent } from '../lib/format.ts';
import { useNarrow } from '../lib/use-narrow.ts';
import { Chart } from './chart.tsx';
import { DataTable, type Column } from './data-table.tsx';
import { Empty } from './states.tsx';
import { shortStep, stepAxisLabel } from './funnels-chart.tsx';

/** Groups drawn as bars; the table lists every group. */
const CHART_GROUPS = 8;

function breakdownTitle(by: string): string {
  return by === 'channel' ? 'Channel' : by === 'campaign' ? 'Campaign' : by.replace(/^properties\./, 'Property ');
}

/**
 * The funnel per breakdown group: each group's share of its own step-1 units at every step as
 * grouped bars (so small and large groups compare), and a table of counts.
 */
export function FunnelBreakdown({ report }: { report: FunnelReport }) {
  const breakdown = report.breakdown;
  const groups = useMemo(() => breakdown?.groups ?? [], [breakdown]);
  const keys = useMemo(() => groups.map((g) => g.value).sort(), [groups]);
  const narrow = useNarrow();
  const option = useMemo<EChartsCoreOption>(() => {
    const shown = groups.slice(0, CHART_GROUPS);
    return {
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: { type: 'scroll', top: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => formatPercent(v) },
      xAxis: { type: 'category', data: report.steps.map((s) => `${s.step}. ${shortStep(s.label)}`), axisLabel: stepAxisLabel(narrow) },
      yAxis: { type: 'value', max: 1, axisLabel: { formatter: (v: number) => formatPercent(v, 0) } },
      series: shown.map((g) => ({
        name: g.value,
        type: 'bar',
        itemStyle: { color: colorFor(g.value, keys) },
        data: g.steps.map((s) => chartValue(s.overallRate)),
      })),
    };
  }, [groups, keys, report.steps, narrow]);

  const columns = useMemo<Column<FunnelGroup>[]>(
    () => [
      { key: 'value', header: breakdown ? breakdownTitle(breakdown.by) : 'Group', value: (g) => g.value },
      ...report.steps.map(
        (s, i): Column<FunnelGroup> => ({
          key: `step${s.step}`,
          header: `${s.step}. ${shortStep(s.label)}`,
          numeric: true,
          value: (g) => g.steps[i]?.entered ?? null,
          render: (g) => formatCount(g.steps[i]?.entered),
        }),
      ),
      { key: 'conversion', header: 'Conversion', numeric: true, value: (g) => g.conversionRate, render: (g) => formatPercent(g.conversionRate) },
    ],
    [breakdown, report.steps],
  );

  if (!breakdown) return null;
  if (groups.length === 0) return <Empty title="No groups to compare">Nobody did step 1 in this range, so there is nothing to break down.</Empty>;
  return (
    <div className="funnel-breakdown">
      <Chart name="funnel-breakdown" label={`Share of step-1 ${report.countBy === 'session' ? 'sessions' : 'people'} reaching each step, by ${breakdownTitle(breakdown.by).toLowerCase()}`} option={option} height={320} />
      <DataTable name="funnel-breakdown" caption={`Funnel by ${breakdownTitle(breakdown.by).toLowerCase()}: units reaching each step and conversion`} columns={columns} rows={groups} rowKey={(g) => g.value} initialSort={{ key: 'step1', desc: true }} />
    </div>
  );
}
