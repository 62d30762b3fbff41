import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiFetch } from './client.ts';

export type CatalogType = 'track' | 'page' | 'screen';

export interface CatalogEvent {
  readonly type: CatalogType;
  /** Track event name, or page/screen name (null: views sent without a name). */
  readonly name: string | null;
  /** The funnel step text that matches these events (`Product Viewed`, `page:Cart`, `page`). */
  readonly step: string;
  readonly count: number;
  /** Most frequent top-level property keys, with how many of the events carry each. */
  readonly properties: ReadonlyArray<{ readonly key: string; readonly count: number }>;
}

/** GET /api/events/catalog: the events of a range of days, most frequent first. */
export interface EventCatalog {
  readonly from: string;
  readonly to: string;
  readonly events: readonly CatalogEvent[];
}

/** The events people can build funnels from, over the shared range. */
export function useEventCatalog(range: { from: string; to: string }) {
  return useQuery({
    queryKey: ['events', 'catalog', range.from, range.to],
    queryFn: ({ signal }) => apiFetch<EventCatalog>('/api/events/catalog', { params: { from: range.from, to: range.to }, signal }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}
