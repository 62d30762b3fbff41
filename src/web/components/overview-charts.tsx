import { useMemo } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import type { KpiReport } from '../api/kpis.ts';
import { PALETTE } from '../charts/palette.ts';
import { chartValue, formatCount, formatMoney, formatMultiple } from '../lib/format.ts';
import { Chart } from './chart.tsx';
import { Empty } from './states.tsx';

const REVENUE_COLOR = PALETTE[0];
const SPEND_COLOR = PALETTE[1];
const CONVERSIONS_COLOR = PALETTE[2];
const DAY_MS = 86_400_000;

export interface TimePoint {
  /** First day of the period, YYYY-MM-DD. */
  readonly period: string;
  readonly conversions: number;
  readonly revenue: number;
}

/** The Monday (ISO week start) of a day, YYYY-MM-DD. */
export function weekStart(day: string): string {
  const ms = Date.parse(`${day.slice(0, 10)}T00:00:00Z`);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7;
  return new Date(ms - weekday * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Conversions and revenue per day, or per ISO week when `weekly` (both are sums, so a week is
 * the sum of its days; the first and last weeks may be partial).
 */
export function timePoints(series: KpiReport['series'], weekly: boolean): TimePoint[] {
  const out = new Map<string, { conversions: number; revenue: number }>();
  for (const row of series) {
    const period = weekly ? weekStart(row.period) : row.period.slice(0, 10);
    const acc = out.get(period) ?? { conversions: 0, revenue: 0 };
    acc.conversions += chartValue(row.conversions) ?? 0;
    acc.revenue += chartValue(row.revenue) ?? 0;
    out.set(period, acc);
  }
  return [...out.entries()].map(([period, v]) => ({ period, ...v }));
}

interface AxisParam {
  readonly axisValue?: string;
  readonly seriesName?: string;
  readonly value?: unknown;
  readonly marker?: string;
}

/** Conversions (left axis) and revenue (right axis) over time, daily or weekly. */
export function TrendChart({ report, weekly, height = 300 }: { report: KpiReport; weekly: boolean; height?: number }) {
  const points = useMemo(() => timePoints(report.series, weekly), [report.series, weekly]);
  const option = useMemo<EChartsCoreOption>(
    () => ({
      color: [CONVERSIONS_COLOR, REVENUE_COLOR],
      grid: { left: 8, right: 8, top: 56, bottom: 8, containLabel: true },
      legend: { top: 0, right: 0 },
      tooltip: {
        trigger: 'axis',
        formatter: (params: AxisParam[]) => {
          const head = `${weekly ? 'Week of ' : ''}${params[0]?.axisValue ?? ''}`;
          const lines = params.map((p) => `${p.marker ?? ''}${p.seriesName}: ${p.seriesName === 'Revenue' ? formatMoney(p.value as number) : formatCount(p.value as number)}`);
          return [head, ...lines].join('<br/>');
        },
      },
      xAxis: { type: 'category', data: points.map((p) => p.period), boundaryGap: false, axisLabel: { hideOverlap: true } },
      yAxis: [
        { type: 'value', name: 'Conversions', minInterval: 1, splitLine: { show: true } },
        { type: 'value', name: 'Revenue', splitLine: { show: false }, axisLabel: { formatter: (v: number) => formatMoney(v, 'USD', { compact: true }) } },
      ],
      series: [
        { name: 'Conversions', type: 'line', yAxisIndex: 0, data: points.map((p) => p.conversions), showSymbol: points.length < 40, smooth: false },
        { name: 'Revenue', type: 'line', yAxisIndex: 1, data: points.map((p) => p.revenue), showSymbol: points.length < 40, areaStyle: { opacity: 0.08 } },
      ],
    }),
    [points, weekly],
  );
  const total = points.reduce((s, p) => s + p.conversions, 0);
  return (
    <Chart
      name="overview-trend"
      label={`Conversions and revenue per ${weekly ? 'week' : 'day'}, ${points.length} periods, ${formatCount(total)} conversions in all`}
      option={option}
      height={height}
    />
  );
}

export interface ChannelMoney {
  readonly key: string;
  readonly spend: number | null;
  readonly revenue: number | null;
  readonly roas: number | null;
}

/** Channels with spend or revenue, largest first (people without a touch, "(none)", are left out). */
export function channelMoney(breakdown: KpiReport['breakdown']): ChannelMoney[] {
  return breakdown
    .filter((b) => b.key !== '(none)' && ((b.spend ?? 0) > 0 || (b.revenue ?? 0) > 0))
    .map((b) => ({ key: b.key, spend: b.spend ?? null, revenue: b.revenue ?? null, roas: b.roas ?? null }))
    .sort((a, b) => (b.revenue ?? 0) + (b.spend ?? 0) - ((a.revenue ?? 0) + (a.spend ?? 0)));
}

/** Room for a pair of bars per channel, and the legend and axis. */
export const channelChartHeight = (channels: number): number => Math.max(260, channels * 28 + 60);

/** Spend and revenue per channel as grouped horizontal bars, with ROAS on each revenue bar. */
export function ChannelMoneyChart({ report }: { report: KpiReport }) {
  const rows = useMemo(() => channelMoney(report.breakdown), [report.breakdown]);
  // ECharts draws the first category at the bottom: reverse so the largest channel is on top.
  const ordered = useMemo(() => [...rows].reverse(), [rows]);
  const option = useMemo<EChartsCoreOption>(
    () => ({
      color: [SPEND_COLOR, REVENUE_COLOR],
      grid: { left: 8, right: 56, top: 32, bottom: 8, containLabel: true },
      legend: { top: 0, left: 0 },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (params: AxisParam[]) => {
          const row = ordered.find((r) => r.key === params[0]?.axisValue);
          if (!row) return '';
          return [row.key, `Spend: ${formatMoney(row.spend)}`, `Revenue: ${formatMoney(row.revenue)}`, `ROAS: ${formatMultiple(row.roas)}`].join('<br/>');
        },
      },
      xAxis: { type: 'value', axisLabel: { hideOverlap: true, formatter: (v: number) => formatMoney(v, 'USD', { compact: true }) } },
      yAxis: { type: 'category', data: ordered.map((r) => r.key), axisLabel: { width: 130, overflow: 'truncate' } },
      series: [
        { name: 'Spend', type: 'bar', data: ordered.map((r) => chartValue(r.spend)), barGap: '10%' },
        {
          name: 'Revenue',
          type: 'bar',
          data: ordered.map((r) => chartValue(r.revenue)),
          label: {
            show: true,
            position: 'right',
            color: '#374151',
            formatter: (p: { dataIndex: number }) => {
              const roas = ordered[p.dataIndex]?.roas;
              return roas === null || roas === undefined ? '' : `${formatMultiple(roas)}`;
            },
          },
        },
      ],
    }),
    [ordered],
  );
  if (rows.length === 0) {
    return <Empty title="No spend or revenue by channel in this range">Import ad spend (Data page) and define a conversion with a value to compare them.</Empty>;
  }
  return (
    <Chart
      name="overview-channels"
      label={`Spend and revenue by channel, ${rows.length} channels; labels show ROAS (revenue ÷ spend)`}
      option={option}
      height={channelChartHeight(rows.length)}
    />
  );
}
