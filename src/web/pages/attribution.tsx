import { useMemo } from 'react';
import { useAttributionCompare, type AttributionComparison } from '../api/attribution.ts';
import { AttributionChart } from '../components/attribution-chart.tsx';
import { AttributionToolbar, GROUPINGS, ModelPicker, useAttributionSettings, type AttributionSettings } from '../components/attribution-controls.tsx';
import { compareModels } from '../components/attribution-data.ts';
import { ModelExplanations } from '../components/attribution-models.tsx';
import { AttributionTable } from '../components/attribution-table.tsx';
import { Empty, QueryView } from '../components/states.tsx';
import { rangeParams, useDateRange } from '../lib/date-range.ts';
import { formatCount, formatDecimal, formatMoney, formatPercent } from '../lib/format.ts';

function Totals({ data }: { data: AttributionComparison }) {
  const overall = data.results[0];
  const markov = data.results.find((r) => r.model === 'markov');
  if (!overall) return null;
  return (
    <div className="kpis" aria-label="Totals">
      <div className="kpi">
        <div className="label">Conversions ({data.conversion})</div>
        <div className="value" data-kpi="conversions">{formatCount(overall.totalConversions)}</div>
      </div>
      <div className="kpi">
        <div className="label">Conversion value</div>
        <div className="value" data-kpi="value">{formatMoney(overall.totalValue, 'USD', { compact: true })}</div>
      </div>
      <div className="kpi">
        <div className="label">Without a touch in the window</div>
        <div className="value" data-kpi="unattributed">{formatCount(overall.unattributed.conversions)}</div>
      </div>
      {markov ? (
        <div className="kpi">
          <div className="label">Journeys that convert</div>
          <div className="value" data-kpi="markov-rate">{formatPercent(markov.conversionProbability, 2)}</div>
        </div>
      ) : null}
    </div>
  );
}

function Notes({ data, settings }: { data: AttributionComparison; settings: AttributionSettings }) {
  const overall = data.results[0];
  const participation = settings.models.includes('participation');
  return (
    <p className="help">
      {overall && overall.unattributed.conversions > 0
        ? `${formatDecimal(overall.unattributed.conversions, 1)} ${overall.unattributed.conversions === 1 ? 'conversion' : 'conversions'} (${formatMoney(overall.unattributed.value)}) had no touch in the ${settings.lookback.slice(0, -1)}-day lookback window and ${overall.unattributed.conversions === 1 ? 'is' : 'are'} credited to no channel. `
        : ''}
      {participation ? 'Participation credits every channel of a journey in full, so its column adds up to more than the conversions. ' : ''}
      {settings.by === 'source-medium' ? 'Spend is recorded per channel and campaign, not per source / medium, so costs and ROAS are blank here.' : 'Cost per conversion is spend ÷ attributed conversions; ROAS is attributed value ÷ spend, over the same dates.'}
    </p>
  );
}

function Results({ data, settings, updating }: { data: AttributionComparison; settings: AttributionSettings; updating: boolean }) {
  const comparison = useMemo(() => compareModels(data, settings.models, settings.metric), [data, settings.models, settings.metric]);
  const grouping = GROUPINGS.find((g) => g.id === settings.by)?.label.toLowerCase() ?? 'channel';
  if (comparison.results.length === 0) return <Empty title="No model chosen">Tick one or more models above to compare their credit.</Empty>;
  return (
    <div aria-busy={updating} className={updating ? 'updating' : undefined}>
      <section className="card section" aria-labelledby="attribution-chart-title">
        <h2 id="attribution-chart-title">Attributed {settings.metric === 'value' ? 'value' : 'conversions'} per {grouping}</h2>
        <AttributionChart comparison={comparison} metric={settings.metric} grouping={grouping} />
      </section>
      <section className="card section" aria-labelledby="attribution-table-title">
        <h2 id="attribution-table-title">Credit, spend and return per {grouping}</h2>
        <AttributionTable comparison={comparison} grouping={settings.by} />
        <Notes data={data} settings={settings} />
      </section>
    </div>
  );
}

/** Model comparison: how first/last touch, rules and data-driven models credit each channel. */
export default function AttributionPage() {
  const [range] = useDateRange();
  const [settings, update] = useAttributionSettings();
  const query = useAttributionCompare({
    ...rangeParams(range),
    lookback: settings.lookback,
    order: settings.order,
    nulls: settings.nulls,
    by: settings.by,
    halfLife: settings.halfLife,
    models: settings.models,
  });
  const updating = query.isFetching && query.isPlaceholderData;

  return (
    <section aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">Attribution</h1>
        <span className="muted" role="status" aria-live="polite">
          {updating ? 'Updating…' : ''}
        </span>
      </div>
      <p className="help">
        The same journeys under different attribution models, side by side: where the models agree, the credit is safe; where they differ, the channel’s role
        (opening, closing or assisting) decides which one to trust.
      </p>
      <AttributionToolbar settings={settings} onChange={update} />
      <ModelPicker settings={settings} onChange={update} />
      <ModelExplanations />
      {settings.models.length === 0 ? (
        <Empty title="No model chosen">Tick one or more models above to compare their credit.</Empty>
      ) : (
      <QueryView
        query={query}
        isEmpty={(d) => (d.results[0]?.totalConversions ?? 0) === 0}
        empty={
          <Empty title="No conversions in this range">
            Attribution needs conversion events (e.g. <code>Order Completed</code>) and the touches before them. Pick a longer date range, or send events
            to <code>/v1/track</code> with a Segment library.
          </Empty>
        }
      >
        {(data) => (
          <>
            <Totals data={data} />
            <Results data={data} settings={settings} updating={updating} />
          </>
        )}
      </QueryView>
      )}
    </section>
  );
}
