import type { Store } from '../store/index.ts';
import { resolveJourneyQuery, type JourneyQuery } from '../attribution/index.ts';
import { assembleFlows, assembleTiming, assembleTopPaths, type FlowSqlRow, type FlowsReport, type JourneysRequest, type TimingReport, type TimingSqlRow, type TopPathsReport, type TopPathsSqlRow } from './paths.ts';
import { pathFlowsSql, pathTimingSql, topPathsSql } from './paths.sql.ts';

/** Which people the path views may count (consent for analytics); absent: everyone. */
export interface PathOptions {
  readonly personAllowed?: JourneyQuery['personAllowed'];
}

/** The journey query of a request: null journeys always count in the path views. */
const journeyQuery = (store: Store, request: JourneysRequest, options: PathOptions) =>
  resolveJourneyQuery(store, { ...request, includeNulls: true }, options.personAllowed);

/** Top paths to conversion and to no conversion, with totals. */
export async function topPathsFromStore(store: Store, request: JourneysRequest, options: PathOptions = {}): Promise<TopPathsReport> {
  const { conversion, query } = await journeyQuery(store, request, options);
  const rows = await store.query<TopPathsSqlRow>(topPathsSql(store.dialect, query, request.limit));
  return assembleTopPaths({ conversion, lookbackDays: request.lookbackDays, by: request.granularity }, rows);
}

/** Time and touches from the first touch to conversion (median, p90, mean, histograms). */
export async function pathTimingFromStore(store: Store, request: JourneysRequest, options: PathOptions = {}): Promise<TimingReport> {
  const { conversion, query } = await journeyQuery(store, request, options);
  const [row] = await store.query<TimingSqlRow>(pathTimingSql(store.dialect, query));
  return assembleTiming({ conversion, lookbackDays: request.lookbackDays }, row);
}

/** Channel transition flows for a Sankey, `request.depth` steps deep. */
export async function pathFlowsFromStore(store: Store, request: JourneysRequest, options: PathOptions = {}): Promise<FlowsReport> {
  const { conversion, query } = await journeyQuery(store, request, options);
  const rows = await store.query<FlowSqlRow>(pathFlowsSql(store.dialect, query, request.depth));
  return assembleFlows({ conversion, lookbackDays: request.lookbackDays, depth: request.depth }, rows);
}
