import { Link } from 'wouter';
import { isEmptyReport, useKpis } from '../api/kpis.ts';
import { ChannelMoneyChart, channelChartHeight, channelMoney, TrendChart } from '../components/overview-charts.tsx';
import { OverviewKpis } from '../components/overview-kpis.tsx';
import { Empty, QueryView } from '../components/states.tsx';
import { rangeParams, useDateRange, type DateRange } from '../lib/date-range.ts';

/** The shared range as a query string, for links to other pages. */
const rangeSearch = (range: DateRange): string =>
  new URLSearchParams(range.preset === 'custom' ? { range: 'custom', from: range.from, to: range.to } : { range: range.preset }).toString();

const today = (): string => new Date().toISOString().slice(0, 10);

const CHANNEL_METRICS = ['spend', 'revenue', 'roas'] as const;
/** The API answers at most 5,000 periods: past that many days, ask for weeks (sparklines too). */
const MAX_DAILY_DAYS = 5000;

/** Past this many days the trend is drawn per week: a daily line of half a year is noise. */
const WEEKLY_AFTER_DAYS = 90;

function NoData() {
  return (
    <Empty title="Nothing happened in this range">
      Pick a longer date range above, or send a first event to <code>POST /v1/track</code> with your write key (see the{' '}
      <Link href="~/data">Data</Link> page for the snippet and for importing history and ad spend).
    </Empty>
  );
}

/** Overview: the headline KPIs with their change, conversions and revenue over time, spend and revenue by channel. */
export default function OverviewPage() {
  const [range] = useDateRange();
  // Two requests, made at once: totals with the previous period and the daily series, and money by
  // channel. Asking the second for spend and revenue only spares the server counting people per
  // channel, the dearest part of the KPI statement, which this page does not show.
  const query = useKpis({ ...rangeParams(range), granularity: range.days > MAX_DAILY_DAYS ? 'week' : 'day' });
  const channels = useKpis({ ...rangeParams(range), granularity: 'month', by: 'channel', metrics: CHANNEL_METRICS });
  const weekly = range.days > WEEKLY_AFTER_DAYS;
  const busy = query.isFetching || channels.isFetching;
  const channelRows = channels.data ? channelMoney(channels.data.breakdown).length : 0;

  return (
    <section aria-labelledby="page-title" aria-busy={busy} className="overview" data-loading={busy ? 'true' : 'false'}>
      <h1 id="page-title">Overview</h1>
      {query.data ? (
        <p className="help page-sub">
          {query.data.from} – {query.data.to}, compared with the previous {range.days} days ({query.data.previous.from} – {query.data.previous.to}). Conversions are{' '}
          <span className="tag">{query.data.conversion}</span> events.
          {query.data.to >= today() ? ' Today is still in progress, so its figures are partial.' : null}
        </p>
      ) : null}
      <QueryView query={query} isEmpty={isEmptyReport} empty={<NoData />} height={400}>
        {(report) => (
          <div className={query.isPlaceholderData ? 'stale' : undefined}>
            <OverviewKpis report={report} days={range.days} />
            <div className="grid grid-2">
              <div className="panel">
                <h2>Conversions and revenue per {weekly ? 'week' : 'day'}</h2>
                {/* As tall as the channel panel beside it (its chart grows with the channels, plus a line of help). */}
                <TrendChart report={report} weekly={weekly} height={channelChartHeight(channelRows) + 48} />
              </div>
              <div className="panel">
                <div className="panel-head">
                  <h2>Spend and revenue by channel</h2>
                  <Link href={`~/channels?${rangeSearch(range)}`}>All channel KPIs</Link>
                </div>
                <p className="help">Revenue is credited to the last touch before each conversion (within 30 days); the label on each bar is its ROAS.</p>
                <QueryView query={channels} height={260}>
                  {(byChannel) => (
                    <div className={channels.isPlaceholderData ? 'stale' : undefined}>
                      <ChannelMoneyChart report={byChannel} />
                    </div>
                  )}
                </QueryView>
              </div>
            </div>
          </div>
        )}
      </QueryView>
    </section>
  );
}
