import { TributaryError } from '../errors/index.ts';
import { sql, type Store } from '../store/index.ts';
import { getConversionDefinition } from '../attribution/index.ts';
import { refreshActivity } from './kpis-activity-service.ts';
import { requiredCounts, type CountMetric } from './kpis-metrics.ts';
import { assembleKpiReport, type KpiReport, type KpiRow } from './kpis-report.ts';
import type { KpiRequest } from './kpis-request.ts';
import { kpiSql, spendHasDimension, type KpiDimension, type KpiFamily } from './kpis.sql.ts';
import { periodStarts, previousRange, resolveRange } from './kpis-time.ts';
import { scopeSizeSql, type PersonScope } from './kpis-scope.sql.ts';

/** Conversions are credited (by channel, campaign, …) to the last touch this many days before. */
export const KPI_LOOKBACK_DAYS = 30;
/** The range when none is asked: this many days up to the end of the latest event's day. */
export const DEFAULT_RANGE_DAYS = 30;
/** More periods than this is a chart nobody can read: ask for a coarser granularity. */
export const MAX_PERIODS = 5000;

const FAMILY_OF: Readonly<Record<CountMetric, KpiFamily>> = {
  people: 'people',
  newPeople: 'people',
  sessions: 'traffic',
  touches: 'traffic',
  conversions: 'conversions',
  convertingPeople: 'conversions',
  revenue: 'conversions',
  newCustomers: 'conversions',
  spend: 'spend',
  impressions: 'spend',
  clicks: 'spend',
};

/** Which people the numbers may count (consent for analytics, see `consentScope`); absent: everyone. */
export interface AnalyticsOptions {
  readonly scope?: PersonScope;
  /** Fallback end (epoch ms) of the default range when there are no events. */
  readonly now?: number;
}

/**
 * The scope a statement needs: null when it leaves nobody out (an `except` scope listing nobody,
 * the usual case: its probe, or else the count of its list, says so), so that the statement then
 * carries no filter at all.
 */
export async function effectiveScope(store: Store, scope: PersonScope | undefined): Promise<PersonScope | null> {
  if (scope === undefined) return null;
  if (scope.kind === 'only') return scope;
  const [row] = await store.query<{ n: number }>(scope.probe ?? scopeSizeSql(scope));
  return Number(row?.n ?? 0) > 0 ? scope : null;
}

/** The time of the latest event (epoch ms), null for an empty store. */
export async function latestEventMs(store: Store): Promise<number | null> {
  const [row] = await store.query<{ at: number | null }>(sql`SELECT epoch_ms(max(timestamp)) AS at FROM events`);
  return row?.at ?? null;
}

function labelOf(dimension: KpiDimension | null): string | null {
  if (dimension === null) return null;
  if (dimension.kind === 'trait') return dimension.path.join('.');
  return dimension.kind === 'source_medium' ? 'source / medium' : dimension.kind;
}

/**
 * KPIs for a range, with a series by period, an optional breakdown and the previous range of the
 * same length: brings the activity rollups up to date, runs one statement, assembles the
 * document. People outside `options.scope` are left out of every person-based figure.
 */
export async function kpisFromStore(store: Store, request: KpiRequest, options: AnalyticsOptions = {}): Promise<KpiReport> {
  const definition = await getConversionDefinition(store, request.conversion);
  const latest = request.to === null ? await latestEventMs(store) : null;
  const range = resolveRange(request, latest, options.now ?? Date.now(), DEFAULT_RANGE_DAYS);
  if (range.to <= range.from) throw new TributaryError('bad_request', 'from: must be before to (the latest event is earlier)');
  const periods = periodStarts(request.granularity, range).length;
  if (periods > MAX_PERIODS) {
    throw new TributaryError('bad_request', `granularity: ${periods} ${request.granularity} periods is more than ${MAX_PERIODS}; use a coarser granularity or a shorter range`);
  }
  const families = new Set([...requiredCounts(request.metrics)].map((m) => FAMILY_OF[m]));
  await refreshActivity(store);
  const scope = await effectiveScope(store, options.scope);
  const previous = previousRange(range);
  const rows = await store.query<KpiRow>(
    kpiSql(store.dialect, {
      from: range.from,
      to: range.to,
      prevFrom: previous.from,
      granularity: request.granularity,
      dimension: request.dimension,
      conversionEvent: definition.event,
      valueProperty: definition.valueProperty,
      lookbackDays: KPI_LOOKBACK_DAYS,
      families,
      scope,
    }),
  );
  return assembleKpiReport(rows, {
    range,
    previous,
    granularity: request.granularity,
    by: request.by,
    byLabel: labelOf(request.dimension),
    byPerson: request.dimension?.kind === 'trait',
    spendByKey: spendHasDimension(request.dimension),
    conversion: definition.name,
    metrics: request.metrics,
  });
}
