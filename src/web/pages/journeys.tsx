import { useJourneyFlows, useJourneyTiming, useTopPaths, type JourneyParams, type TopPathsReport } from '../api/journeys.ts';
import { DepthControl, JOURNEY_GROUPINGS, JourneyToolbar, LimitControl, useJourneySettings } from '../components/journeys-controls.tsx';
import { TopPaths } from '../components/journeys-paths.tsx';
import { JourneySankey } from '../components/journeys-sankey.tsx';
import { JourneyTiming } from '../components/journeys-timing.tsx';
import { Empty, QueryView } from '../components/states.tsx';
import { rangeParams, useDateRange } from '../lib/date-range.ts';
import { formatCount, formatMoney, formatPercent } from '../lib/format.ts';

const NO_JOURNEYS = (
  <Empty title="No journeys in this range">
    Journeys are built from touches (visits with a channel) and conversion events. Pick a longer date range, or send page views and conversions to{' '}
    <code>/v1/page</code> and <code>/v1/track</code> with a Segment library.
  </Empty>
);

function Totals({ report }: { report: TopPathsReport }) {
  const t = report.totals;
  const items = [
    { key: 'journeys', label: 'Journeys', value: formatCount(t.journeys) },
    { key: 'conversions', label: `Converted (${report.conversion})`, value: formatCount(t.conversions) },
    { key: 'rate', label: 'Conversion rate', value: formatPercent(t.conversionRate, 2) },
    { key: 'value', label: 'Conversion value', value: formatMoney(t.value, 'USD', { compact: true }) },
    { key: 'paths', label: 'Distinct paths', value: formatCount(t.uniquePaths) },
  ];
  return (
    <div className="kpis" aria-label="Journey totals">
      {items.map((i) => (
        <div className="kpi" key={i.key}>
          <div className="label">{i.label}</div>
          <div className="value" data-kpi={i.key}>
            {i.value}
          </div>
        </div>
      ))}
    </div>
  );
}

/** Journeys: how people move between channels before converting, which paths work, and how long it takes. */
export default function JourneysPage() {
  const [range] = useDateRange();
  const [settings, update] = useJourneySettings();
  const base: JourneyParams = { ...rangeParams(range), lookback: settings.lookback, by: settings.by };
  const top = useTopPaths({ ...base, limit: settings.limit });
  const flows = useJourneyFlows({ ...base, depth: settings.depth });
  const timing = useJourneyTiming(base);
  const grouping = JOURNEY_GROUPINGS.find((g) => g.id === settings.by)?.label.toLowerCase() ?? 'channel';
  const busy = (q: { isFetching: boolean; isPlaceholderData: boolean }) => q.isFetching && q.isPlaceholderData;

  return (
    <section aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">Journeys</h1>
        <span className="muted" role="status" aria-live="polite">
          {busy(top) || busy(flows) || busy(timing) ? 'Updating…' : ''}
        </span>
      </div>
      <p className="help">
        A journey is a person’s touches since their previous conversion, inside the lookback window; touches after the last conversion form a journey that has
        not converted (yet). These are the same journeys Attribution credits.
      </p>
      <JourneyToolbar settings={settings} onChange={update} />
      <QueryView query={top} isEmpty={(d) => d.totals.journeys === 0} empty={NO_JOURNEYS}>
        {(report) => <Totals report={report} />}
      </QueryView>

      <section className={`card section${busy(flows) ? ' updating' : ''}`} aria-labelledby="flows-title" aria-busy={busy(flows)}>
        <div className="panel-head">
          <h2 id="flows-title">Flows between {grouping === 'channel' ? 'channels' : `${grouping}s`}</h2>
          <DepthControl depth={settings.depth} onChange={(depth) => update({ depth })} />
        </div>
        <QueryView query={flows} isEmpty={(d) => d.links.length === 0} empty={NO_JOURNEYS} height={360}>
          {(data) => (
            <>
              <JourneySankey flows={data} />
              <p className="help">
                Each column is a step of the journey, up to {data.depth}; every journey then ends in <strong>Converted</strong> ({formatCount(data.conversions)}) or{' '}
                <strong>No conversion</strong> ({formatCount(data.drops)}). Hover a flow to see its journeys.
              </p>
            </>
          )}
        </QueryView>
      </section>

      <section className={`card section${busy(top) ? ' updating' : ''}`} aria-labelledby="paths-title" aria-busy={busy(top)}>
        <div className="panel-head">
          <h2 id="paths-title">Top paths</h2>
          <LimitControl limit={settings.limit} onChange={(limit) => update({ limit })} />
        </div>
        <QueryView query={top} isEmpty={(d) => d.totals.journeys === 0} empty={NO_JOURNEYS}>
          {(report) => <TopPaths report={report} />}
        </QueryView>
      </section>

      <div className={busy(timing) ? 'updating' : undefined} aria-busy={busy(timing)}>
        <QueryView
          query={timing}
          isEmpty={(d) => d.journeys === 0}
          empty={<Empty title="No converting journeys in this range">Time and touches to convert need conversions; pick a longer date range.</Empty>}
        >
          {(data) => <JourneyTiming timing={data} />}
        </QueryView>
      </div>
    </section>
  );
}
