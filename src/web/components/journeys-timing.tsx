import { useMemo } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import type { Distribution, TimingReport } from '../api/journeys.ts';
import { PALETTE } from '../charts/palette.ts';
import { chartValue, formatCount, formatDecimal, formatPercent } from '../lib/format.ts';
import { Chart } from './chart.tsx';

interface HistogramSpec {
  readonly name: string;
  readonly title: string;
  readonly axis: string;
  readonly unit: (v: number | null) => string;
  readonly color: string;
}

/** Days under one read better in hours; the API gives fractional days. */
function formatDays(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return formatDecimal(v);
  if (v < 1) return `${formatDecimal(v * 24, 1)} hours`;
  return `${formatDecimal(v, 1)} days`;
}

const formatTouches = (v: number | null) => (v === null ? formatDecimal(v) : `${formatDecimal(v, 1)} ${v === 1 ? 'touch' : 'touches'}`);

const SPECS = {
  days: { name: 'time-to-convert', title: 'Time to convert', axis: 'Days from first touch', unit: formatDays, color: PALETTE[0] },
  touches: { name: 'touches-to-convert', title: 'Touches to convert', axis: 'Touches in the journey', unit: formatTouches, color: PALETTE[4] },
} satisfies Record<string, HistogramSpec>;

function histogramOption(dist: Distribution, spec: HistogramSpec, total: number): EChartsCoreOption {
  return {
    grid: { left: 8, right: 16, top: 24, bottom: 30, containLabel: true },
    tooltip: {
      trigger: 'item',
      formatter: (p: { name: string; value: number }) => `${spec.axis}: ${p.name}<br>${formatCount(p.value)} journeys (${formatPercent(total > 0 ? p.value / total : null)})`,
    },
    xAxis: { type: 'category', data: dist.histogram.map((b) => b.label), name: spec.axis, nameLocation: 'middle', nameGap: 26 },
    yAxis: { type: 'value', name: 'Journeys', minInterval: 1 },
    series: [
      {
        type: 'bar',
        name: 'Journeys',
        barMaxWidth: 48,
        itemStyle: { color: spec.color },
        label: { show: true, position: 'top', formatter: (p: { value: number }) => (p.value > 0 ? formatCount(p.value) : '') },
        data: dist.histogram.map((b) => chartValue(b.journeys)),
      },
    ],
  };
}

function Histogram({ dist, spec, total }: { dist: Distribution; spec: HistogramSpec; total: number }) {
  const option = useMemo(() => histogramOption(dist, spec, total), [dist, spec, total]);
  return (
    <section className="card" aria-labelledby={`${spec.name}-title`}>
      <h2 id={`${spec.name}-title`}>{spec.title}</h2>
      <dl className="stat-line" data-stats={spec.name}>
        <div>
          <dt>Median</dt>
          <dd data-stat="median">{spec.unit(dist.median)}</dd>
        </div>
        <div>
          <dt>90th percentile</dt>
          <dd data-stat="p90">{spec.unit(dist.p90)}</dd>
        </div>
        <div>
          <dt>Mean</dt>
          <dd data-stat="mean">{spec.unit(dist.mean)}</dd>
        </div>
      </dl>
      <Chart name={spec.name} label={`${spec.title}: journeys by ${spec.axis.toLowerCase()}; median ${spec.unit(dist.median)}, 90th percentile ${spec.unit(dist.p90)}`} option={option} height={260} />
    </section>
  );
}

/** How long and how many touches converting journeys take, as histograms with median and p90. */
export function JourneyTiming({ timing }: { timing: TimingReport }) {
  return (
    <>
      <div className="grid grid-2 section">
        <Histogram dist={timing.daysToConvert} spec={SPECS.days} total={timing.journeys} />
        <Histogram dist={timing.touchesToConvert} spec={SPECS.touches} total={timing.journeys} />
      </div>
      <p className="help">
        Across the {formatCount(timing.journeys)} converting journeys with at least one touch, counted from the first touch inside the {formatCount(timing.lookbackDays)}-day
        lookback window.
        {timing.conversionsWithoutTouches > 0
          ? ` ${formatCount(timing.conversionsWithoutTouches)} ${timing.conversionsWithoutTouches === 1 ? 'conversion' : 'conversions'} had no touch in the window and ${timing.conversionsWithoutTouches === 1 ? 'is' : 'are'} left out.`
          : ''}
      </p>
    </>
  );
}
