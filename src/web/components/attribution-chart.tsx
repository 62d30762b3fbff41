import { useMemo } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import type { CompareModel } from '../api/attribution.ts';
import { PALETTE } from '../charts/palette.ts';
import { chartValue, formatDecimal, formatMoney } from '../lib/format.ts';
import { Chart } from './chart.tsx';
import type { AttributionMetric } from './attribution-controls.tsx';
import type { ModelComparison } from './attribution-data.ts';
import { modelLabel } from './attribution-models.tsx';

/**
 * A fixed colour per model, so a model keeps its colour whichever others are shown; the default
 * four (first, last, linear, Markov) get the four most distinct.
 */
const MODEL_COLORS: Readonly<Record<CompareModel, string>> = {
  first: PALETTE[0],
  last: PALETTE[1],
  linear: PALETTE[2],
  markov: PALETTE[3],
  shapley: PALETTE[4],
  'time-decay': PALETTE[5],
  position: PALETTE[6],
  'last-non-direct': PALETTE[7],
  participation: PALETTE[8],
  'inverse-j': PALETTE[9],
  'j-curve': PALETTE[10],
};

const formatMetric = (metric: AttributionMetric, v: number | null | undefined) => (metric === 'value' ? formatMoney(v) : formatDecimal(v, 1));

interface TooltipItem {
  readonly axisValueLabel: string;
  readonly seriesName: string;
  readonly value: number | null;
  readonly marker: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function buildOption(cmp: ModelComparison, metric: AttributionMetric): EChartsCoreOption {
  return {
    color: cmp.results.map((r) => MODEL_COLORS[r.model as CompareModel] ?? PALETTE[9]),
    legend: { top: 0, type: 'scroll' },
    grid: { left: 8, right: 24, top: 36, bottom: 30, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      confine: true,
      formatter: (items: TooltipItem[]) =>
        [`<strong>${escapeHtml(items[0]?.axisValueLabel ?? '')}</strong>`, ...items.map((i) => `${i.marker}${escapeHtml(i.seriesName)}: ${formatMetric(metric, i.value)}`)].join('<br>'),
    },
    xAxis: { type: 'value', name: metric === 'value' ? 'Attributed value' : 'Attributed conversions', nameLocation: 'middle', nameGap: 28, axisLabel: { hideOverlap: true, formatter: (v: number) => (metric === 'value' ? formatMoney(v, 'USD', { compact: true }) : formatDecimal(v, 1)) } },
    yAxis: { type: 'category', inverse: true, data: cmp.labels, axisLabel: { width: 150, overflow: 'truncate' } },
    series: cmp.results.map((r) => ({
      type: 'bar',
      name: modelLabel(r.model),
      barMaxWidth: 14,
      emphasis: { focus: 'series' },
      data: cmp.labels.map((label) => chartValue(cmp.cell(label, r.model)?.[metric] ?? 0)),
    })),
  };
}

/** Grouped bars: one group per channel, one bar per chosen model. */
export function AttributionChart({ comparison, metric, grouping }: { comparison: ModelComparison; metric: AttributionMetric; grouping: string }) {
  const option = useMemo(() => buildOption(comparison, metric), [comparison, metric]);
  const perLabel = comparison.results.length * 12 + 10;
  const height = Math.min(1600, Math.max(300, comparison.labels.length * perLabel + 90));
  return (
    <Chart
      name="attribution-models"
      label={`Attributed ${metric === 'value' ? 'value' : 'conversions'} per ${grouping} under ${comparison.results.map((r) => modelLabel(r.model)).join(', ')}`}
      option={option}
      height={height}
    />
  );
}
