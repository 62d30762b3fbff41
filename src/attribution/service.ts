import type { Store } from '../store/index.ts';
import { TributaryError } from '../errors/index.ts';
import { parsePathFile, PathFileError } from './paths.ts';
import { getConversionDefinition, readConversionCopy, type ConversionCopy } from '../channels/index.ts';
import { MODEL_NAMES, runAll, type ModelName, type RunAllOptions } from './run.ts';
import { spendByLabelSql, type JourneyGranularity, type JourneyQuery } from './journeys.sql.ts';
import { PATH_ROW, pathBlocksSql } from './path-blocks.sql.ts';
import { pathAggregatesFromBlocks, type PathBlock } from './path-blocks.ts';
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

const copiedThrough = (copy: ConversionCopy | null, event: string): number | null => (copy && copy.events.includes(event) ? copy.through : null);

/**
 * The query reading its conversions from the copy derive keeps when it holds the query's event
 * (`JourneyQuery.conversionsCopiedThrough`); a query that says already is returned as it is.
 */
export async function withConversionCopy(store: Pick<Store, 'query'>, query: JourneyQuery): Promise<JourneyQuery> {
  if (query.conversionsCopiedThrough !== undefined) return query;
  return { ...query, conversionsCopiedThrough: copiedThrough(await readConversionCopy(store), query.conversionEvent) };
}

type TimeDecayRow = { channel: string; conversions: number; value: number };

/**
 * The path aggregate (ordered by path, label by label) and, given a half-life, the time-decay
 * credit per label, from one statement (`pathBlocksSql`).
 */
async function loadJourneys(store: Store, query: JourneyQuery, halfLifeDays?: number): Promise<{ paths: PathAggregate[]; timeDecay: TimeDecayRow[] }> {
  const q = await withConversionCopy(store, query);
  const c = await store.queryColumns<{ part: number; path: string; n: number; conversions: number; value: number }>(
    pathBlocksSql(store.dialect, q, { timeDecayHalfLifeDays: halfLifeDays }),
  );
  const names: string[] = [];
  const blocks: PathBlock[] = [];
  const timeDecay: TimeDecayRow[] = [];
  let bits = 1;
  for (let i = 0; i < c.part.length; i++) {
    const part = c.part[i];
    if (part === PATH_ROW.label) names[c.n[i]] = c.path[i];
    else if (part === PATH_ROW.keyBits) bits = c.n[i];
    else if (part === PATH_ROW.block) blocks.push({ start: c.n[i], text: c.path[i] });
    else timeDecay.push({ channel: c.path[i], conversions: c.conversions[i], value: c.value[i] });
  }
  return { paths: pathAggregatesFromBlocks(blocks, names, bits), timeDecay };
}

/** Unique paths of the store's journeys (the engine aggregates; only paths come back), ordered by path label by label. */
export async function loadPathAggregates(store: Store, query: JourneyQuery): Promise<PathAggregate[]> {
  return (await loadJourneys(store, query)).paths;
}

/** A path file's aggregates; a malformed line is the caller's error (400, exit code 1), naming the line. */
export function readPathFile(text: string): PathAggregate[] {
  try {
    return parsePathFile(text);
  } catch (err) {
    if (err instanceof PathFileError) throw new TributaryError('bad_request', err.message, { line: err.line });
    throw err;
  }
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

function timeDecayResult(rows: readonly TimeDecayRow[], paths: readonly PathAggregate[], halfLifeDays: number): AttributionResult {
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

/**
 * The journeys a request asks for: its conversion definition looked up in the store, reading
 * conversions from derive's copy where it has them.
 */
export async function resolveJourneyQuery(
  store: Store,
  request: Pick<AttributionRequest, 'conversion' | 'lookbackDays' | 'from' | 'to' | 'granularity' | 'includeNulls'>,
  personAllowed?: JourneyQuery['personAllowed'],
): Promise<{ conversion: string; query: JourneyQuery }> {
  const [definition, copy] = await Promise.all([getConversionDefinition(store, request.conversion), readConversionCopy(store)]);
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
      conversionsCopiedThrough: copiedThrough(copy, definition.event),
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
    loadJourneys(store, query, withTimeDecay ? request.halfLifeDays : undefined),
    spendQuery ? store.query<{ label: string; spend: number }>(spendQuery) : Promise.resolve(null),
  ]);
  const { paths, timeDecay } = journeys;
  const results = attributePaths(paths, request);
  if (withTimeDecay) results.push(timeDecayResult(timeDecay, paths, request.halfLifeDays));
  const spend = spendRows ? new Map(spendRows.map((r) => [r.label, r.spend])) : null;
  const order = new Map<string, number>(MODEL_NAMES.map((m, i) => [m, i]));
  results.sort((a, b) => (order.get(a.model) ?? 99) - (order.get(b.model) ?? 99));
  return { conversion, results: results.map((r) => toReportResult(r, spend)) };
}
