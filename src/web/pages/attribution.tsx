import { useMemo, useRef, useState, type ReactNode } from 'react';
import { useAttributionCompare, usePathFileAttribution, type AttributionComparison, type AttributionGrouping, type PathUpload } from '../api/attribution.ts';
import { AttributionChart } from '../components/attribution-chart.tsx';
import { AttributionToolbar, GROUPINGS, ModelPicker, useAttributionSettings, type AttributionSettings } from '../components/attribution-controls.tsx';
import { compareModels } from '../components/attribution-data.ts';
import { MarkovRateTile, PathFileBar, PathFileNotes, PathFileState, PathFileTotals, RANGE_UNUSED_FOR_FILE } from '../components/attribution-file.tsx';
import { ModelExplanations } from '../components/attribution-models.tsx';
import { AttributionTable } from '../components/attribution-table.tsx';
import { Empty, QueryView } from '../components/states.tsx';
import { rangeParams, useDateRange } from '../lib/date-range.ts';
import { formatCount, formatDecimal, formatMoney } from '../lib/format.ts';
import { useMarkRangeUnused } from '../lib/range-unused.ts';
import { KpiTile } from '../components/kpi-tile.tsx';

function Totals({ data }: { data: AttributionComparison }) {
  const overall = data.results[0];
  if (!overall) return null;
  return (
    <div className="kpis" aria-label="Totals">
      <KpiTile label={`Conversions (${data.conversion})`} name="conversions">
        {formatCount(overall.totalConversions)}
      </KpiTile>
      <KpiTile label="Conversion value" name="value">
        {formatMoney(overall.totalValue, 'USD', { compact: true })}
      </KpiTile>
      <KpiTile label="Without a touch in the window" name="unattributed">
        {formatCount(overall.unattributed.conversions)}
      </KpiTile>
      <MarkovRateTile results={data.results} />
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

/**
 * Chart and table of the chosen models, for the store's comparison or a path file's answer. A file
 * (`file`: its name) is per channel and has no spend.
 */
function Results({ data, settings, updating, notes, file }: { data: Pick<AttributionComparison, 'results' | 'channels'>; settings: AttributionSettings; updating: boolean; notes: ReactNode; file?: string }) {
  const comparison = useMemo(() => compareModels(data, settings.models, settings.metric), [data, settings.models, settings.metric]);
  const by: AttributionGrouping = file === undefined ? settings.by : 'channel';
  const grouping = GROUPINGS.find((g) => g.id === by)?.label.toLowerCase() ?? 'channel';
  const source = file === undefined ? '' : ` in ${file}`;
  if (comparison.results.length === 0) return <Empty title="No model chosen">Tick one or more models above to compare their credit.</Empty>;
  return (
    <div aria-busy={updating} className={updating ? 'updating' : undefined}>
      <section className="card section" aria-labelledby="attribution-chart-title">
        <h2 id="attribution-chart-title">
          Attributed {settings.metric === 'value' ? 'value' : 'conversions'} per {grouping}
          {source}
        </h2>
        <AttributionChart comparison={comparison} metric={settings.metric} grouping={grouping} />
      </section>
      <section className="card section" aria-labelledby="attribution-table-title">
        <h2 id="attribution-table-title">{file === undefined ? `Credit, spend and return per ${grouping}` : `Credit per ${grouping}${source}`}</h2>
        <AttributionTable comparison={comparison} grouping={by} withSpend={file === undefined} />
        {notes}
      </section>
    </div>
  );
}

/**
 * Model comparison: how first/last touch, rules and data-driven models credit each channel, over
 * the store's journeys or over the paths of a file the analyst uploads (kept in the page, not the
 * URL: a link cannot carry the file).
 */
export default function AttributionPage() {
  const [range] = useDateRange();
  const [settings, update] = useAttributionSettings();
  const [upload, setUpload] = useState<PathUpload | null>(null);
  const query = useAttributionCompare(
    {
      ...rangeParams(range),
      lookback: settings.lookback,
      order: settings.order,
      nulls: settings.nulls,
      by: settings.by,
      halfLife: settings.halfLife,
      models: settings.models,
    },
    { enabled: upload === null },
  );
  const fileQuery = usePathFileAttribution(upload, settings);
  useMarkRangeUnused(upload ? RANGE_UNUSED_FOR_FILE : null);
  const shown = upload ? fileQuery : query;
  const updating = shown.isFetching && shown.isPlaceholderData;
  // Every choice gets a new id, also after going back to the store: a cached answer belongs to one choice.
  const uploads = useRef(0);
  const pick = (file: File) => setUpload({ id: ++uploads.current, file });

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
      <PathFileBar upload={upload} onPick={pick} onBack={() => setUpload(null)} />
      <AttributionToolbar settings={settings} onChange={update} pathFile={upload !== null} />
      <ModelPicker settings={settings} onChange={update} />
      <ModelExplanations />
      {settings.models.length === 0 ? (
        <Empty title="No model chosen">Tick one or more models above to compare their credit.</Empty>
      ) : upload ? (
        <PathFileState upload={upload} query={fileQuery}>
          {(data) => (
            <>
              <PathFileTotals data={data} />
              <Results data={data} settings={settings} updating={updating} notes={<PathFileNotes settings={settings} />} file={upload.file.name} />
            </>
          )}
        </PathFileState>
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
            <Results data={data} settings={settings} updating={updating} notes={<Notes data={data} settings={settings} />} />
          </>
        )}
      </QueryView>
      )}
    </section>
  );
}
