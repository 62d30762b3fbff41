import type { KpiMetric, KpiReport } from '../api/kpis.ts';
import { formatCount, formatMoney, formatMultiple, formatPercent } from '../lib/format.ts';
import { KpiCard, type Polarity } from './kpi-card.tsx';

interface KpiDef {
  readonly metric: KpiMetric;
  readonly label: string;
  readonly polarity: Polarity;
  readonly format: (v: number | null | undefined) => string;
  /** The full-precision text for the tooltip, when the card rounds. */
  readonly exact?: (v: number | null | undefined) => string;
  readonly definition: (conversion: string) => string;
}

const money = (v: number | null | undefined) => formatMoney(v, 'USD', { compact: true });
const exactMoney = (v: number | null | undefined) => formatMoney(v, 'USD');

/** The headline metrics, in reading order: audience, outcome, money in, money out. */
export const OVERVIEW_KPIS: readonly KpiDef[] = [
  { metric: 'people', label: 'People', polarity: 'up', format: formatCount, definition: () => 'Distinct people with any event in the range (devices a person signed in on count once).' },
  { metric: 'sessions', label: 'Sessions', polarity: 'up', format: formatCount, definition: () => 'Sessions started in the range.' },
  { metric: 'conversions', label: 'Conversions', polarity: 'up', format: formatCount, definition: (c) => `"${c}" events in the range.` },
  {
    metric: 'conversionRate',
    label: 'Conversion rate',
    polarity: 'up',
    format: (v) => formatPercent(v, 2),
    definition: (c) => `People with a "${c}" in the range ÷ people active in the range.`,
  },
  { metric: 'revenue', label: 'Revenue', polarity: 'up', format: money, exact: exactMoney, definition: (c) => `Sum of the "${c}" values in the range.` },
  { metric: 'aov', label: 'Avg. order value', polarity: 'up', format: money, exact: exactMoney, definition: () => 'Revenue ÷ conversions.' },
  { metric: 'spend', label: 'Ad spend', polarity: 'neutral', format: money, exact: exactMoney, definition: () => 'Sum of the imported spend rows for the days in the range.' },
  { metric: 'roas', label: 'ROAS', polarity: 'up', format: formatMultiple, definition: () => 'Return on ad spend: revenue ÷ spend.' },
  { metric: 'cac', label: 'CAC', polarity: 'down', format: money, exact: exactMoney, definition: () => 'Customer acquisition cost: spend ÷ new customers (people whose first conversion ever is in the range).' },
  { metric: 'cpa', label: 'CPA', polarity: 'down', format: money, exact: exactMoney, definition: () => 'Cost per acquisition: spend ÷ conversions.' },
];

/** The KPI cards of a report, each compared with the previous period of the same length. */
export function OverviewKpis({ report, days }: { report: KpiReport; days: number }) {
  const previousLabel = `Previous ${days} days (${report.previous.from} – ${report.previous.to})`;
  return (
    <div className="kpis overview-kpis" role="list" aria-label="Key metrics">
      {OVERVIEW_KPIS.map((k) => (
        <div role="listitem" key={k.metric} className="overview-kpi-item">
          <KpiCard
            id={k.metric}
            label={k.label}
            value={k.format(report.totals[k.metric])}
            exact={k.exact?.(report.totals[k.metric])}
            current={report.totals[k.metric]}
            previous={report.previous.totals[k.metric]}
            previousText={k.format(report.previous.totals[k.metric])}
            previousLabel={previousLabel}
            polarity={k.polarity}
            series={report.series.map((p) => p[k.metric])}
            definition={k.definition(report.conversion)}
          />
        </div>
      ))}
    </div>
  );
}
