import { useEffect, useMemo, useState } from 'react';
import { Link } from 'wouter';
import { useEventCatalog } from '../api/catalog.ts';
import { useFunnel, type FunnelReport, type FunnelSpec, type SavedFunnel } from '../api/funnels.ts';
import { usePermission } from '../api/session.ts';
import { FunnelBuilder } from '../components/funnels-builder.tsx';
import { FunnelBreakdown } from '../components/funnels-breakdown.tsx';
import { FunnelChart, FunnelStepsTable } from '../components/funnels-chart.tsx';
import { DroppedPeople } from '../components/funnels-dropped.tsx';
import { SavedFunnels, SaveFunnelForm } from '../components/funnels-saved.tsx';
import { decodeDraft, defaultDraft, draftSpec, encodeDraft, specDraft, type FunnelDraft } from '../components/funnels-state.ts';
import { Empty, ErrorState, Loading } from '../components/states.tsx';
import { rangeParams, useDateRange } from '../lib/date-range.ts';
import { formatCount, formatPercent } from '../lib/format.ts';
import { useUrlParams } from '../lib/url-params.ts';
import { KpiTile } from '../components/kpi-tile.tsx';

/** The value after it has stopped changing for `ms` (typing a filter value asks once, not per key). */
function useSettled<T>(value: T, ms = 350): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

function NoEvents() {
  return (
    <Empty title="No events in this range">
      Funnels are built from the events you send. Send a first event with any Segment library pointed at this server (for example{' '}
      <code>analytics.track('Product Viewed')</code>), import a file on the <Link href="~/data">Data</Link> page, or pick a longer date range.
    </Empty>
  );
}

function FunnelKpis({ report }: { report: FunnelReport }) {
  const unit = report.countBy === 'session' ? 'sessions' : 'people';
  return (
    <div className="kpis" aria-label="Funnel totals">
      <KpiTile label="Started (step 1)" name="entered" note={unit}>
        {formatCount(report.entered)}
      </KpiTile>
      <KpiTile label="Completed (last step)" name="completed" note={unit}>
        {formatCount(report.completed)}
      </KpiTile>
      <KpiTile label="Overall conversion" name="conversion" note="of those who started">
        {formatPercent(report.conversionRate)}
      </KpiTile>
    </div>
  );
}

/** `onDropClick` is null when the role may not see people (the drop-offs are then plain numbers). */
function FunnelResult({ spec, onDropClick, selected }: { spec: FunnelSpec; onDropClick: ((step: number) => void) | null; selected: number | null }) {
  const report = useFunnel(spec);
  if (report.isPending) return <Loading label="Counting the funnel…" height={340} />;
  if (report.error) return <ErrorState error={report.error} retry={() => void report.refetch()} />;
  const data = report.data;
  return (
    <div aria-busy={report.isFetching} className={report.isPlaceholderData ? 'stale' : undefined}>
      <FunnelKpis report={data} />
      {data.entered === 0 ? (
        <Empty title="Nobody did step 1 in this range">Pick another first step, remove its filters, or choose a longer date range.</Empty>
      ) : (
        <>
          <FunnelChart report={data} onDropClick={onDropClick} />
          <FunnelStepsTable report={data} selected={selected} onDropClick={onDropClick} />
        </>
      )}
      {data.breakdown && data.entered > 0 ? (
        <section className="section funnel-breakdown-section" aria-labelledby="breakdown-title">
          <h2 id="breakdown-title">By {data.breakdown.by.replace(/^properties\./, 'property ')}</h2>
          <FunnelBreakdown report={data} />
        </section>
      ) : null}
    </div>
  );
}

/** Funnels: build from the event catalog, see conversion and drop-off per step, save, and list who dropped. */
export default function FunnelsPage() {
  const [range] = useDateRange();
  const [params, setParams] = useUrlParams();
  const catalog = useEventCatalog(rangeParams(range));
  const [draft, setDraftState] = useState<FunnelDraft | null>(() => decodeDraft(params.get('funnel')));
  const [savedName, setSavedName] = useState<string | null>(null);
  const [dropStep, setDropStep] = useState<number | null>(null);
  const canEdit = usePermission('definitions:write');
  const canSeePeople = usePermission('people:read');

  const events = useMemo(() => catalog.data?.events ?? [], [catalog.data]);
  useEffect(() => {
    if (draft === null && catalog.data && catalog.data.events.length > 0) setDraftState(defaultDraft(catalog.data.events));
  }, [draft, catalog.data]);

  const setDraft = (next: FunnelDraft) => {
    setDraftState(next);
    setDropStep(null);
    const encoded = encodeDraft(next);
    if (encoded !== null) setParams({ funnel: encoded });
  };
  const load = (f: SavedFunnel) => {
    setDraft(specDraft(f.definition));
    setSavedName(f.name);
  };

  const rawSpec = useMemo(() => (draft ? draftSpec(draft) : null), [draft]);
  const specKey = JSON.stringify(rawSpec);
  const settledKey = useSettled(specKey);
  const spec = useMemo<FunnelSpec | null>(() => {
    const parsed = JSON.parse(settledKey) as FunnelSpec | null;
    return parsed ? { ...parsed, ...rangeParams(range) } : null;
  }, [settledKey, range]);

  return (
    <section aria-labelledby="page-title" className="funnels-page">
      <div className="page-head">
        <h1 id="page-title">Funnels</h1>
        <p className="help">
          How many {draft?.countBy === 'session' ? 'sessions' : 'people'} go from each step to the next. Step 1 must fall in the date range; later steps count within the
          conversion window after it.
        </p>
      </div>
      {catalog.isPending && !draft ? (
        <Loading label="Loading your events…" />
      ) : catalog.error && !draft ? (
        <ErrorState error={catalog.error} retry={() => void catalog.refetch()} />
      ) : !draft ? (
        <NoEvents />
      ) : (
        <>
          <section className="card section" aria-labelledby="builder-title">
            <h2 id="builder-title">Steps</h2>
            <FunnelBuilder draft={draft} events={events} onChange={setDraft} />
          </section>
          <section className="card section" aria-labelledby="result-title">
            <h2 id="result-title">Conversion by step</h2>
            {spec ? <FunnelResult spec={spec} selected={dropStep} onDropClick={canSeePeople ? setDropStep : null} /> : <Empty title="Add a second step">A funnel needs at least two steps.</Empty>}
          </section>
          {spec && dropStep !== null && canSeePeople ? <DroppedPeople spec={spec} step={dropStep} onClose={() => setDropStep(null)} /> : null}
          <section className="card section" aria-labelledby="saved-title">
            <h2 id="saved-title">Saved funnels</h2>
            {canEdit ? <SaveFunnelForm key={savedName ?? ''} spec={rawSpec} initialName={savedName ?? ''} /> : <p className="help">Your role can load saved funnels but not save or delete them.</p>}
            <SavedFunnels current={savedName} onLoad={load} canEdit={canEdit} />
          </section>
        </>
      )}
    </section>
  );
}
