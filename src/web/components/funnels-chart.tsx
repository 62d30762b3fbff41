import { useMemo } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import type { FunnelReport, FunnelStepResult } from '../api/funnels.ts';
import { PALETTE } from '../charts/palette.ts';
import { chartValue, formatCount, formatDuration, formatPercent } from '../lib/format.ts';
import { useNarrow } from '../lib/use-narrow.ts';
import { Chart } from './chart.tsx';

/** The dropped segment's colour: a light red that still reads against white. */
const DROP_COLOR = '#fca5a5';

/** Short axis labels for steps (`Product Viewed where …` → `Product Viewed *`). */
export function shortStep(label: string): string {
  const head = label.split(/\s+where\s+/i)[0];
  const text = head === 'page' ? 'Any page' : head === 'screen' ? 'Any screen' : head.replace(/^page:/, 'Page: ').replace(/^screen:/, 'Screen: ');
  return head === label ? text : `${text} *`;
}

/** Step names under the bars: wrapped on wide screens, slanted and shortened on phones. */
export function stepAxisLabel(narrow: boolean) {
  return narrow ? { interval: 0, rotate: 35, width: 90, overflow: 'truncate', fontSize: 11 } : { interval: 0, width: 120, overflow: 'break' };
}

const unitWord = (report: FunnelReport, n: number) => (report.countBy === 'session' ? (n === 1 ? 'session' : 'sessions') : n === 1 ? 'person' : 'people');

/**
 * Each step's units as a bar, with the units lost since the previous step stacked above it in
 * red: clicking a red segment lists the people who dropped there.
 */
export function FunnelChart({ report, onDropClick }: { report: FunnelReport; onDropClick: ((step: number) => void) | null }) {
  const narrow = useNarrow();
  const listable = onDropClick !== null;
  const option = useMemo<EChartsCoreOption>(() => {
    const steps = report.steps;
    const lost = steps.map((s, i) => (i === 0 ? 0 : chartValue(steps[i - 1].dropped)));
    return {
      grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
      legend: { top: 0, right: 0, data: ['Reached', 'Dropped before this step'] },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (items: Array<{ dataIndex: number }>) => {
          const s = steps[items[0]?.dataIndex ?? 0];
          if (!s) return '';
          const prev = s.step > 1 ? steps[s.step - 2] : null;
          const lines = [`<b>${s.step}. ${escapeHtml(s.label)}</b>`, `${formatCount(s.entered)} ${unitWord(report, s.entered)} (${formatPercent(s.overallRate)} of step 1)`];
          if (prev) lines.push(`${formatCount(prev.dropped)} dropped after step ${prev.step} (${formatPercent(prev.dropOffRate)})`);
          if (prev && listable) lines.push('Click the red segment to list them');
          return lines.join('<br/>');
        },
      },
      xAxis: { type: 'category', data: steps.map((s) => `${s.step}. ${shortStep(s.label)}`), axisLabel: stepAxisLabel(narrow) },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatCount(v) } },
      series: [
        {
          name: 'Reached',
          type: 'bar',
          stack: 'funnel',
          barMaxWidth: 72,
          itemStyle: { color: PALETTE[0] },
          data: steps.map((s) => chartValue(s.entered)),
          label: { show: true, position: 'insideTop', color: '#fff', formatter: (p: { dataIndex: number }) => formatPercent(steps[p.dataIndex].overallRate, 0) },
        },
        {
          name: 'Dropped before this step',
          type: 'bar',
          stack: 'funnel',
          barMaxWidth: 72,
          cursor: listable ? 'pointer' : 'default',
          itemStyle: { color: DROP_COLOR },
          data: lost,
        },
      ],
    };
  }, [report, narrow, listable]);
  return (
    <div data-steps={report.steps.length}>
      <Chart
        name="funnel"
        label={`Funnel of ${report.steps.length} steps: ${report.steps.map((s) => `${s.label} ${formatCount(s.entered)}`).join(', ')}`}
        option={option}
        height={340}
        onClick={(p) => {
          if (onDropClick && p.seriesName === 'Dropped before this step' && p.dataIndex > 0) onDropClick(p.dataIndex);
        }}
      />
    </div>
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function TimeCell({ s }: { s: FunnelStepResult }) {
  if (!s.timeToNext) return <>—</>;
  return (
    <>
      {formatDuration(s.timeToNext.medianSeconds * 1000)} <span className="muted">/ {formatDuration(s.timeToNext.p90Seconds * 1000)}</span>
    </>
  );
}

/** Per step: units, rates, drop-offs (a button lists who dropped) and time to the next step. */
export function FunnelStepsTable({ report, selected, onDropClick }: { report: FunnelReport; selected: number | null; onDropClick: ((step: number) => void) | null }) {
  const unit = report.countBy === 'session' ? 'Sessions' : 'People';
  return (
    <div className="table-wrap">
      <table className="data-table" data-table="funnel-steps">
        <caption className="visually-hidden">Funnel steps: {unit.toLowerCase()} reaching each step, conversion to the next step, drop-off and time to the next step</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col" className="num">
              {unit}
            </th>
            <th scope="col" className="num">
              Of step 1
            </th>
            <th scope="col" className="num">
              To next step
            </th>
            <th scope="col" className="num">
              Dropped
            </th>
            <th scope="col" className="num">
              Time to next
              <div className="th-sub">median / p90</div>
            </th>
          </tr>
        </thead>
        <tbody>
          {report.steps.map((s) => (
            <tr key={s.step} data-step={s.step} className={selected === s.step ? 'selected' : undefined}>
              <th scope="row" className="funnel-step-label">
                {s.step}. {s.label}
              </th>
              <td className="num" data-field="entered">
                {formatCount(s.entered)}
              </td>
              <td className="num">{formatPercent(s.overallRate)}</td>
              <td className="num">{formatPercent(s.conversionRate)}</td>
              <td className="num">
                {s.dropped === null ? (
                  '—'
                ) : !onDropClick ? (
                  `${formatCount(s.dropped)} (${formatPercent(s.dropOffRate)})`
                ) : (
                  <button type="button" className="link" aria-pressed={selected === s.step} disabled={s.dropped === 0} onClick={() => onDropClick(s.step)} aria-label={`${formatCount(s.dropped)} dropped after step ${s.step}: list them`}>
                    {formatCount(s.dropped)} ({formatPercent(s.dropOffRate)})
                  </button>
                )}
              </td>
              <td className="num">
                <TimeCell s={s} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
