import { useMemo } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import type { FlowsReport } from '../api/journeys.ts';
import { colorFor } from '../charts/palette.ts';
import { formatCount, formatPercent } from '../lib/format.ts';
import { Chart } from './chart.tsx';

const OUTCOME_COLORS: Record<string, string> = { conversion: '#047857', drop: '#9ca3af' };
/** Nodes with fewer journeys than this share of all are drawn without a label. */
const MIN_LABEL_SHARE = 0.015;
const OUTCOME_LABELS: Record<string, string> = { conversion: 'Converted', drop: 'No conversion' };

interface SankeyParams {
  readonly dataType: 'node' | 'edge';
  readonly name: string;
  readonly value: number;
  readonly data: { source?: string; target?: string };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function buildOption(flows: FlowsReport): EChartsCoreOption {
  const labels = [...new Set(flows.nodes.filter((n) => n.step !== null).map((n) => n.label))].sort();
  const byId = new Map(flows.nodes.map((n) => [n.id, n]));
  const describe = (id: string) => {
    const n = byId.get(id);
    if (!n) return id;
    return n.step === null ? (OUTCOME_LABELS[n.id] ?? n.label) : `${n.label} (step ${n.step})`;
  };
  const lastColumn = Math.max(1, ...flows.nodes.map((n) => n.step ?? 1));
  return {
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (p: SankeyParams) => {
        const share = formatPercent(flows.journeys > 0 ? p.value / flows.journeys : null);
        const what = p.dataType === 'edge' ? `${describe(p.data.source ?? '')} → ${describe(p.data.target ?? '')}` : describe(p.name);
        return `${escapeHtml(what)}<br>${formatCount(p.value)} journeys (${share} of all)`;
      },
    },
    series: [
      {
        type: 'sankey',
        left: 8,
        right: 110,
        top: 8,
        bottom: 8,
        nodeGap: 6,
        nodeWidth: 14,
        draggable: false,
        layoutIterations: 32,
        emphasis: { focus: 'adjacency' },
        lineStyle: { color: 'gradient', opacity: 0.35, curveness: 0.5 },
        label: { fontSize: 11, formatter: (p: { name: string }) => (byId.get(p.name)?.step === null ? (OUTCOME_LABELS[p.name] ?? p.name) : (byId.get(p.name)?.label ?? p.name)) },
        // Outcomes sit in the last column, whichever step a journey ended on.
        data: flows.nodes.map((n) => ({
          name: n.id,
          value: n.journeys,
          depth: n.step === null ? lastColumn : n.step - 1,
          itemStyle: { color: n.step === null ? (OUTCOME_COLORS[n.id] ?? '#6b7280') : colorFor(n.label, labels) },
          // Thin nodes' labels would overlap their neighbours'; the tooltip still names them.
          label: { show: n.step === null || n.journeys >= flows.journeys * MIN_LABEL_SHARE },
        })),
        links: flows.links.map((l) => ({ source: l.source, target: l.target, value: l.journeys })),
      },
    ],
  };
}

/** Journeys step by step: step-1 channel → step-2 channel → … → converted or not. */
export function JourneySankey({ flows }: { flows: FlowsReport }) {
  const option = useMemo(() => buildOption(flows), [flows]);
  const columns = Math.max(...flows.nodes.map((n) => (n.step === null ? 0 : n.step)), 1);
  const tallest = Math.max(...Array.from({ length: columns }, (_, i) => flows.nodes.filter((n) => n.step === i + 1).length), 2);
  const height = Math.min(900, Math.max(360, tallest * 24 + 40));
  // On a phone the columns would crush their labels: the chart keeps a readable width and scrolls.
  return (
    <div className="sankey-scroll" tabIndex={0} role="region" aria-label="Journey flows">
      <div style={{ minWidth: 110 * (columns + 1) }}>
        <Chart
          name="journey-flows"
          label={`Sankey of ${formatCount(flows.journeys)} journeys over ${flows.depth} steps: ${formatCount(flows.conversions)} converted, ${formatCount(flows.drops)} did not`}
          option={option}
          height={height}
        />
      </div>
    </div>
  );
}
