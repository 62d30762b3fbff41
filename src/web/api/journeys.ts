import { useQuery } from '@tanstack/react-query';
import type { FlowsReport, JourneysQuery, TimingReport, TopPathsReport } from '../../analytics/index.ts';
import { apiFetch } from './client.ts';

/** The answers of GET /api/journeys/top, /timing and /flows (src/analytics/funnels-and-paths.md). */
export type { PathRow, TopPathsReport, Distribution, TimingReport, FlowsReport } from '../../analytics/index.ts';

/** Journey labels (`by=`), as attribution groups them. */
export type JourneyGrouping = NonNullable<JourneysQuery['by']>;

/** What every journeys endpoint takes: the range, the lookback window and the grouping. */
export interface JourneyParams {
  readonly from: string;
  /** Last day, inclusive. */
  readonly to: string;
  /** e.g. "30d". */
  readonly lookback: string;
  readonly by: JourneyGrouping;
}

/**
 * Whether a previous answer may stay on screen while a setting changes: not across groupings,
 * where channel steps under a campaign heading would mislead.
 */
function sameGrouping(previousKey: readonly unknown[] | undefined, by: JourneyGrouping): boolean {
  return (previousKey?.[2] as JourneyParams | undefined)?.by === by;
}

/** GET /api/journeys/top: the most converting and most non-converting paths. */
export function useTopPaths(params: JourneyParams & { readonly limit: number }) {
  return useQuery({
    queryKey: ['journeys', 'top', params],
    queryFn: ({ signal }) => apiFetch<TopPathsReport>('/api/journeys/top', { params: { ...params }, signal }),
    placeholderData: (previous, previousQuery) => (sameGrouping(previousQuery?.queryKey, params.by) ? previous : undefined),
  });
}

/** GET /api/journeys/timing: time and touches to convert. */
export function useJourneyTiming(params: JourneyParams) {
  return useQuery({
    queryKey: ['journeys', 'timing', params],
    queryFn: ({ signal }) => apiFetch<TimingReport>('/api/journeys/timing', { params: { ...params }, signal }),
    placeholderData: (previous, previousQuery) => (sameGrouping(previousQuery?.queryKey, params.by) ? previous : undefined),
  });
}

/** GET /api/journeys/flows: channel flows step by step, `depth` steps deep. */
export function useJourneyFlows(params: JourneyParams & { readonly depth: number }) {
  return useQuery({
    queryKey: ['journeys', 'flows', params],
    queryFn: ({ signal }) => apiFetch<FlowsReport>('/api/journeys/flows', { params: { ...params }, signal }),
    placeholderData: (previous, previousQuery) => (sameGrouping(previousQuery?.queryKey, params.by) ? previous : undefined),
  });
}
