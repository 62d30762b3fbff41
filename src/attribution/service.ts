import type { Store } from '../store/index.ts';
import { getConversionDefinition } from '../channels/index.ts';
import { MODEL_NAMES, runAll, type ModelName, type RunAllOptions } from './run.ts';
import { pathAggregateSql, pathsWithTimeDecaySql, spendByLabelSql, STEP_SEPARATOR, type JourneyGranularity, type JourneyQuery } from './journeys.sql.ts';
import { toReportResult, type ReportResult } from './report.ts';
import type { AttributionResult, PathAggregate } from './types.ts';

/** Models a report can run: all but custom weights, which needs a weight table per channel. */
export const REPORT_MODELS: readonly ModelName[] = MODEL_NAMES.filter((m) => m !== 'custom-weights');

/** What `all` runs: the standard models (Shao & Li and Fractribution are available by name). */
export const DEFAULT_MODELS: readonly ModelName[] = REPORT_MODELS.filter((m) => m !== 'shao-li' && m !== 'fractribution');

export interface AttributionRequest {
  readonly models: readonly ModelName[];
  /** Markov order 1–4. */
  readonly order: number;
  readonly includeNulls: boolean;
  readonly lookbackDays: number;
  readonly from: number | null;
  readonly to: number | null;
  readonly granularity: JourneyGranularity;
  /** Conversion definition name; null: the default one. */
  readonly conversion: string | null;
  readonly halfLifeDays: number;
}

/** Unique paths of the store's journeys (the engine aggregates; only paths come back). */
export async function loadPathAggregates(store: Store, query: JourneyQuery): Promise<PathAggregate[]> {
  const c = await store.queryColumns<{ path: string; conversions: number; value: number; nulls: number }>(pathAggregateSql(store.dialect, query));
  const paths: PathAggregate[] = new Array(c.path.length);
  for (let i = 0; i < paths.length; i++) {
    const p = c.path[i];
    paths[i] = { path: p === '' ? [] : p.split(STEP_SEPARATOR), conversions: c.conversions[i], value: c.value[i], nulls: c.nulls[i] };
  }
  return paths;
}

/**
 * The path aggregate and the time-decay credit per label from one computation of the journeys
 * (`pathsWithTimeDecaySql`): the same values as `loadPathAggregates` and `timeDecaySql`.
 */
async function loadPathsWithTimeDecay(
  store: Store,
  query: JourneyQuery,
  halfLifeDays: number,
): Promise<{ paths: PathAggregate[]; timeDecay: Array<{ channel: string; conversions: number; value: number }> }> {
  const c = await store.queryColumns<{ part: string; path: string; conversions: number; value: number; nulls: number }>(
    pathsWithTimeDecaySql(store.dialect, query, halfLifeDays),
  );
  const paths: PathAggregate[] = [];
  const timeDecay: Array<{ channel: string; conversions: number; value: number }> = [];
  for (let i = 0; i < c.part.length; i++) {
    const p = c.path[i];
    if (c.part[i] === 'path') paths.push({ path: p === '' ? [] : p.split(STEP_SEPARATOR), conversions: c.conversions[i], value: c.value[i], nulls: c.nulls[i] });
    else timeDecay.push({ channel: p, conversions: c.conversions[i], value: c.value[i] });
  }
  return { paths, timeDecay };
}

/** Runs the requested models over path aggregates (no spend). Time decay needs timestamps. */
export function attributePaths(paths: readonly PathAggregate[], request: Pick<AttributionRequest, 'models' | 'order' | 'includeNulls'>): AttributionResult[] {
  const models = request.models.filter((m) => m !== 'time-decay');
  const options: RunAllOptions = {
    models,
    markov: { order: request.order, withNulls: request.includeNulls },
  };
  return runAll(paths, options).results;
}

function timeDecayResult(rows: Array<{ channel: string; conversions: number; value: number }>, paths: readonly PathAggregate[], halfLifeDays: number): AttributionResult {
  const totalConversions = paths.reduce((s, p) => s + p.conversions, 0);
  const totalValue = paths.reduce((s, p) => s + p.value, 0);
  const empty = paths.filter((p) => p.path.length === 0);
  return {
    model: 'time-decay',
    options: { halfLifeDays },
    totalConversions,
    totalValue,
    conversionProbability: null,
    creditsSumToTotals: true,
    unattributed: { conversions: empty.reduce((s, p) => s + p.conversions, 0), value: empty.reduce((s, p) => s + p.value, 0) },
    channels: rows.map((r) => ({ channel: r.channel, conversions: r.conversions, value: r.value, removalEffect: null })),
  };
}

/** The journeys a request asks for: its conversion definition looked up in the store. */
export async function resolveJourneyQuery(
  store: Store,
  request: Pick<AttributionRequest, 'conversion' | 'lookbackDays' | 'from' | 'to' | 'granularity' | 'includeNulls'>,
  personAllowed?: JourneyQuery['personAllowed'],
): Promise<{ conversion: string; query: JourneyQuery }> {
  const definition = await getConversionDefinition(store, request.conversion);
  return {
    conversion: definition.name,
    query: {
      conversionEvent: definition.event,
      valueProperty: definition.valueProperty,
      lookbackDays: request.lookbackDays,
      from: request.from,
      to: request.to,
      granularity: request.granularity,
      includeNulls: request.includeNulls,
      personAllowed,
    },
  };
}

/**
 * Attribution over the store's journeys: builds the path aggregate in the engine, runs the
 * models, and joins spend over the same period (cost per attributed conversion, ROAS).
 * `personAllowed` leaves out people who may not be used (consent for advertising).
 */
export async function attributeFromStore(
  store: Store,
  request: AttributionRequest,
  options: { personAllowed?: JourneyQuery['personAllowed'] } = {},
): Promise<{ conversion: string; results: ReportResult[] }> {
  const { conversion, query } = await resolveJourneyQuery(store, request, options.personAllowed);
  const withTimeDecay = request.models.includes('time-decay');
  const spendQuery = spendByLabelSql(query);
  // Spend is a small query: it runs on the other read connection meanwhile.
  const [journeys, spendRows] = await Promise.all([
    withTimeDecay ? loadPathsWithTimeDecay(store, query, request.halfLifeDays) : loadPathAggregates(store, query).then((paths) => ({ paths, timeDecay: null })),
    spendQuery ? store.query<{ label: string; spend: number }>(spendQuery) : Promise.resolve(null),
  ]);
  const { paths, timeDecay } = journeys;
  const results = attributePaths(paths, request);
  if (timeDecay) results.push(timeDecayResult(timeDecay, paths, request.halfLifeDays));
  const spend = spendRows ? new Map(spendRows.map((r) => [r.label, r.spend])) : null;
  const order = new Map<string, number>(MODEL_NAMES.map((m, i) => [m, i]));
  results.sort((a, b) => (order.get(a.model) ?? 99) - (order.get(b.model) ?? 99));
  return { conversion, results: results.map((r) => toReportResult(r, spend)) };
}
