import { useState } from 'react';
import { Link, useSearchParams } from 'wouter';
import { isEmptyReport, useKpis, type KpiBreakdown, type KpiMetric } from '../api/kpis.ts';
import { ChannelsBarChart } from '../components/channels-chart.tsx';
import { ChannelsNotes } from '../components/channels-notes.tsx';
import { CHANNEL_COLUMNS, ChannelsTable, hasSpend } from '../components/channels-table.tsx';
import { Empty, QueryView } from '../components/states.tsx';
import { rangeParams, useDateRange, type DateRange } from '../lib/date-range.ts';

/** The shared range as a query string, for links to other pages. */
const rangeSearch = (range: DateRange): string =>
  new URLSearchParams(range.preset === 'custom' ? { range: 'custom', from: range.from, to: range.to } : { range: range.preset }).toString();

const BREAKDOWNS: readonly { id: KpiBreakdown; label: string; header: string; noun: string }[] = [
  { id: 'channel', label: 'Channel', header: 'Channel', noun: 'channel' },
  { id: 'campaign', label: 'Campaign', header: 'Campaign', noun: 'campaign' },
  { id: 'source_medium', label: 'Source / medium', header: 'Source / medium', noun: 'source / medium' },
];

const CHART_METRICS: readonly KpiMetric[] = ['revenue', 'roas', 'conversions', 'conversionRate', 'people', 'sessions', 'spend', 'cac', 'cpa'];

/** The breakdown in the URL (`?by=campaign`), so a shared link opens the same table. */
function useBreakdown(): [(typeof BREAKDOWNS)[number], (id: KpiBreakdown) => void] {
  const [params, setParams] = useSearchParams();
  const current = BREAKDOWNS.find((b) => b.id === params.get('by')) ?? BREAKDOWNS[0];
  const set = (id: KpiBreakdown) =>
    setParams((prev) => {
      const p = new URLSearchParams(prev);
      if (id === 'channel') p.delete('by');
      else p.set('by', id);
      return p;
    });
  return [current, set];
}

function BreakdownSwitch({ value, onChange }: { value: KpiBreakdown; onChange: (id: KpiBreakdown) => void }) {
  return (
    <div className="seg-switch" role="radiogroup" aria-label="Break down by">
      {BREAKDOWNS.map((b) => (
        <label key={b.id} className={b.id === value ? 'active' : undefined}>
          <input type="radio" name="breakdown" value={b.id} checked={b.id === value} onChange={() => onChange(b.id)} />
          {b.label}
        </label>
      ))}
    </div>
  );
}

/** Channels: the KPI table by channel, campaign or source / medium, with a bar chart of one metric. */
export default function ChannelsPage() {
  const [range] = useDateRange();
  const [breakdown, setBreakdown] = useBreakdown();
  const [chartMetric, setChartMetric] = useState<KpiMetric>('revenue');
  // Every metric of the breakdown; the series is not shown, so months keep the answer small.
  const query = useKpis({ ...rangeParams(range), granularity: 'month', by: breakdown.id });
  // While another breakdown loads, the previous rows would sit under the new heading: wait instead.
  const showing = query.data?.by === breakdown.id ? query : { ...query, data: undefined, isPending: !query.error, error: query.error };

  return (
    <section aria-labelledby="page-title" aria-busy={query.isFetching} className="channels" data-loading={query.isFetching ? 'true' : 'false'}>
      <div className="page-head">
        <h1 id="page-title">Channels</h1>
        <p className="help">
          {range.from} – {range.to}. Conversions are credited to the last touch; see <Link href={`~/attribution?${rangeSearch(range)}`}>Attribution</Link> for
          other models.
        </p>
      </div>
      <div className="toolbar">
        <BreakdownSwitch value={breakdown.id} onChange={setBreakdown} />
        <label>
          Chart
          <select name="chart-metric" value={chartMetric} onChange={(e) => setChartMetric(e.target.value as KpiMetric)}>
            {CHART_METRICS.filter((m) => breakdown.id !== 'source_medium' || !CHANNEL_COLUMNS.find((c) => c.metric === m)?.spend).map((m) => (
              <option key={m} value={m}>
                {CHANNEL_COLUMNS.find((c) => c.metric === m)?.header ?? m}
              </option>
            ))}
          </select>
        </label>
      </div>
      <QueryView
        query={showing}
        isEmpty={isEmptyReport}
        empty={<Empty title="Nothing happened in this range">Pick a longer date range, or send events with UTM parameters (see the <Link href="~/data">Data</Link> page).</Empty>}
        height={400}
      >
        {(report) => {
          const spend = hasSpend(report);
          const column = CHANNEL_COLUMNS.find((c) => c.metric === chartMetric && (spend || !c.spend)) ?? CHANNEL_COLUMNS.find((c) => c.metric === 'revenue')!;
          return (
            <div className={query.isPlaceholderData ? 'stale' : undefined}>
              <div className="panel section">
                <h2>
                  {column.header} by {breakdown.noun}
                </h2>
                <ChannelsBarChart report={report} column={column} byChannel={breakdown.id === 'channel'} keyLabel={breakdown.noun} />
              </div>
              <div className="panel section">
                <h2>KPIs by {breakdown.noun}</h2>
                <ChannelsTable report={report} keyHeader={breakdown.header} caption={`KPIs by ${breakdown.noun}, ${report.from} to ${report.to}; click a column header to sort`} />
                <ChannelsNotes report={report} keyLabel={breakdown.noun} spend={spend} />
              </div>
            </div>
          );
        }}
      </QueryView>
    </section>
  );
}
