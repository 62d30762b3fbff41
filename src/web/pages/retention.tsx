import { useMemo } from 'react';
import { useConversionDefinitions, useRetention, type CohortAnchor, type CohortLine, type CohortUnit, type RetentionMeasure, type RetentionReport } from '../api/retention.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { cohortLabel, formatMeasure, periodLabel, RetentionHeatmap } from '../components/retention-heatmap.tsx';
import { Empty, QueryView } from '../components/states.tsx';
import { rangeParams, useDateRange } from '../lib/date-range.ts';
import { formatCount, formatMoney } from '../lib/format.ts';
import { pickParam, useUrlParams } from '../lib/url-params.ts';

const UNITS: readonly CohortUnit[] = ['week', 'month'];
const ANCHORS: readonly CohortAnchor[] = ['first_conversion', 'first_seen'];
const MEASURES: readonly RetentionMeasure[] = ['repeat_purchase', 'active', 'revenue'];

const MEASURE_HELP: Record<RetentionMeasure, string> = {
  repeat_purchase: 'Share of each cohort that converted again in each period (a conversion other than their first).',
  active: 'Share of each cohort with any event in each period.',
  revenue: 'Revenue per cohort member in each period (every conversion, the first included).',
};

function Controls({ unit, anchor, measure, conversion, set }: { unit: CohortUnit; anchor: CohortAnchor; measure: RetentionMeasure; conversion: string; set: (patch: Record<string, string | null>) => void }) {
  const definitions = useConversionDefinitions();
  const usesConversion = anchor === 'first_conversion' || measure !== 'active';
  return (
    <div className="toolbar" role="group" aria-label="Cohort settings">
      <label>
        Cohorts by
        <select value={unit} onChange={(e) => set({ cohort: e.target.value })}>
          <option value="week">Week</option>
          <option value="month">Month</option>
        </select>
      </label>
      <label>
        People join a cohort at
        <select value={anchor} onChange={(e) => set({ anchor: e.target.value })}>
          <option value="first_conversion">Their first conversion</option>
          <option value="first_seen">Their first visit</option>
        </select>
      </label>
      <label>
        Show
        <select value={measure} onChange={(e) => set({ measure: e.target.value })}>
          <option value="repeat_purchase">Repeat conversions</option>
          <option value="active">Returning (any event)</option>
          <option value="revenue">Revenue per member</option>
        </select>
      </label>
      {usesConversion ? (
        <label>
          Conversion
          <select value={conversion} onChange={(e) => set({ conversion: e.target.value || null })} disabled={!definitions.data}>
            <option value="">{definitions.data?.find((d) => d.isDefault)?.name ?? 'Default'} (default)</option>
            {(definitions.data ?? [])
              .filter((d) => !d.isDefault)
              .map((d) => (
                <option key={d.name} value={d.name}>
                  {d.name}
                </option>
              ))}
          </select>
        </label>
      ) : null}
    </div>
  );
}

function CohortTable({ report }: { report: RetentionReport }) {
  const columns = useMemo<Column<CohortLine>[]>(
    () => [
      { key: 'cohort', header: 'Cohort', value: (l) => l.cohort, render: (l) => cohortLabel(report, l) },
      { key: 'size', header: 'People', numeric: true, value: (l) => l.size, render: (l) => formatCount(l.size) },
      ...Array.from(
        { length: report.periods },
        (_, k): Column<CohortLine> => ({
          key: `p${k}`,
          header: periodLabel(report, k),
          numeric: true,
          value: (l) => l.values[k] ?? null,
          render: (l) => (k < l.values.length ? formatMeasure(report, l.values[k]) : ''),
        }),
      ),
    ],
    [report],
  );
  return <DataTable name="retention" caption={`Cohorts by ${report.cohort}: size and ${report.measure.replace('_', ' ')} per period`} columns={columns} rows={report.cohorts} rowKey={(l) => `${l.cohort}|${l.key ?? ''}`} initialSort={{ key: 'cohort', desc: false }} />;
}

function Summary({ report }: { report: RetentionReport }) {
  const people = report.cohorts.reduce((s, l) => s + l.size, 0);
  const revenue = report.measure === 'revenue' ? report.cohorts.reduce((s, l) => s + l.counts.reduce((a, b) => a + b, 0), 0) : null;
  return (
    <p className="help" data-field="retention-summary">
      {formatCount(report.cohorts.length)} cohorts, {formatCount(people)} people{revenue !== null ? `, ${formatMoney(revenue)} revenue` : ''}. Conversion: {report.conversion}. Data through{' '}
      {report.observedThrough ? report.observedThrough.slice(0, 10) : '—'}; the last period may still be filling up.
    </p>
  );
}

/** Retention: cohorts of the shared range by week or month, as a heatmap and a table. */
export default function RetentionPage() {
  const [range] = useDateRange();
  const [params, setParams] = useUrlParams();
  const unit = pickParam(params.get('cohort'), UNITS, 'week');
  const anchor = pickParam(params.get('anchor'), ANCHORS, 'first_conversion');
  const measure = pickParam(params.get('measure'), MEASURES, 'repeat_purchase');
  const conversion = params.get('conversion') ?? '';
  const query = useRetention({ ...rangeParams(range), cohort: unit, anchor, measure, conversion });

  return (
    <section aria-labelledby="page-title" className="retention-page">
      <div className="page-head">
        <h1 id="page-title">Retention</h1>
        <p className="help">{MEASURE_HELP[measure]} Cohorts are the people whose {anchor === 'first_seen' ? 'first visit' : 'first conversion'} falls in the date range.</p>
      </div>
      <Controls unit={unit} anchor={anchor} measure={measure} conversion={conversion} set={setParams} />
      <QueryView
        query={query}
        height={320}
        isEmpty={(r) => r.cohorts.length === 0}
        empty={
          <Empty title="No cohorts in this range">
            {anchor === 'first_conversion'
              ? `Nobody converted for the first time (${query.data?.conversion ?? 'the conversion event'}) in this range. Pick a longer date range, join cohorts at the first visit instead, or send conversion events.`
              : 'Nobody was seen for the first time in this range. Pick a longer date range, or send events from your site or app.'}
          </Empty>
        }
      >
        {(report) => (
          <>
            <Summary report={report} />
            <section className="card section" aria-label="Retention heatmap">
              <RetentionHeatmap report={report} />
            </section>
            <section className="card section" aria-labelledby="cohorts-title">
              <h2 id="cohorts-title">Cohorts</h2>
              <CohortTable report={report} />
            </section>
          </>
        )}
      </QueryView>
    </section>
  );
}
