import type { ReactNode } from 'react';
import type { KpiMetric, KpiReport, KpiValues } from '../api/kpis.ts';
import { chartValue, formatCount, formatMoney, formatMultiple, formatPercent } from '../lib/format.ts';
import { DataTable, type Column } from './data-table.tsx';

export type BreakdownRow = { readonly key: string } & KpiValues;

export interface MetricColumn {
  readonly metric: KpiMetric;
  readonly header: string;
  readonly format: (v: number | null | undefined) => string;
  /** Spend-based columns disappear when the breakdown has no spend (source / medium). */
  readonly spend?: boolean;
  /** Drawn with an inline bar (share of the largest row). */
  readonly bar?: boolean;
}

/** The table's metric columns, in the order a marketer reads them: reach, outcome, money, efficiency. */
export const CHANNEL_COLUMNS: readonly MetricColumn[] = [
  { metric: 'people', header: 'People', format: formatCount },
  { metric: 'sessions', header: 'Sessions', format: formatCount },
  { metric: 'conversions', header: 'Conversions', format: formatCount },
  { metric: 'conversionRate', header: 'Conv. rate', format: (v) => formatPercent(v, 2) },
  { metric: 'revenue', header: 'Revenue', format: (v) => formatMoney(v), bar: true },
  { metric: 'spend', header: 'Spend', format: (v) => formatMoney(v), spend: true },
  { metric: 'roas', header: 'ROAS', format: formatMultiple, spend: true },
  { metric: 'cac', header: 'CAC', format: (v) => formatMoney(v), spend: true },
  { metric: 'cpa', header: 'CPA', format: (v) => formatMoney(v), spend: true },
  { metric: 'cpc', header: 'CPC', format: (v) => formatMoney(v), spend: true },
  { metric: 'ctr', header: 'CTR', format: (v) => formatPercent(v, 2), spend: true },
];

/** True when the breakdown carries spend (channels and campaigns do; source / medium does not). */
export function hasSpend(report: KpiReport): boolean {
  return report.breakdown.some((r) => r.spend !== null && r.spend !== undefined);
}

function BarCell({ value, max, text }: { value: number | null; max: number; text: string }) {
  const share = value !== null && max > 0 ? Math.max(0, Math.min(1, value / max)) : 0;
  return (
    <span className="bar-cell">
      <span className="bar-cell-bar" aria-hidden="true" style={{ width: `${(share * 100).toFixed(1)}%` }} />
      <span className="bar-cell-text">{text}</span>
    </span>
  );
}

function columnsFor(report: KpiReport, keyHeader: string, columns: readonly MetricColumn[]): Column<BreakdownRow>[] {
  const max = (m: KpiMetric) => Math.max(0, ...report.breakdown.map((r) => chartValue(r[m]) ?? 0));
  return [
    { key: 'key', header: keyHeader, value: (r) => r.key, render: (r) => <span className="row-key">{r.key}</span> },
    ...columns.map(
      (c): Column<BreakdownRow> => ({
        key: c.metric,
        header: c.header,
        numeric: true,
        value: (r) => chartValue(r[c.metric]),
        render: c.bar ? (r) => <BarCell value={chartValue(r[c.metric])} max={max(c.metric)} text={c.format(r[c.metric])} /> : (r) => c.format(r[c.metric]),
      }),
    ),
  ];
}

/**
 * The KPI table of a breakdown, sortable on every column, with a totals row below. The totals
 * are the range's (distinct people once), which is why the People column need not add up to it.
 */
export function ChannelsTable({ report, keyHeader, caption }: { report: KpiReport; keyHeader: string; caption: string }) {
  const spend = hasSpend(report);
  const metricColumns = CHANNEL_COLUMNS.filter((c) => spend || !c.spend);
  const columns = columnsFor(report, keyHeader, metricColumns);
  const totals: ReactNode = (
    <tr className="totals-row" data-row="total">
      <th scope="row">Total</th>
      {metricColumns.map((c) => (
        <td key={c.metric} className="num">
          {c.format(report.totals[c.metric])}
        </td>
      ))}
    </tr>
  );
  return (
    <DataTable<BreakdownRow>
      name="channels"
      caption={caption}
      columns={columns}
      rows={report.breakdown}
      rowKey={(r) => r.key}
      initialSort={{ key: 'revenue', desc: true }}
      footer={totals}
    />
  );
}
