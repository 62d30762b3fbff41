import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DroppedPeoplePage, FunnelReport, FunnelSpec, SavedFunnel } from '../../analytics/index.ts';
import { apiFetch } from './client.ts';

/**
 * Funnels (src/analytics/funnels-and-paths.md): a definition's report, the people who dropped
 * after a step, and saved definitions.
 */

export type { FunnelMode, FunnelUnit, FunnelSpec, FunnelReport, FunnelStepResult, FunnelGroup, SavedFunnel } from '../../analytics/index.ts';

/** POST /api/funnels: the report of a definition (null: not enough steps yet, nothing is asked). */
export function useFunnel(spec: FunnelSpec | null) {
  return useQuery({
    queryKey: ['funnels', 'report', spec],
    queryFn: ({ signal }) => apiFetch<FunnelReport>('/api/funnels', { body: spec, signal }),
    enabled: spec !== null,
    placeholderData: keepPreviousData,
  });
}

/** People per page of the dropped list. */
export const DROPPED_PAGE_SIZE = 50;

/** POST /api/funnels/dropped, page after page (keyset cursor); null `step` asks nothing. */
export function useDroppedPeople(spec: FunnelSpec | null, step: number | null) {
  return useInfiniteQuery({
    queryKey: ['funnels', 'dropped', spec, step],
    queryFn: ({ pageParam, signal }) =>
      apiFetch<DroppedPeoplePage>('/api/funnels/dropped', {
        body: { ...spec, step, limit: DROPPED_PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: spec !== null && step !== null,
  });
}

/** GET /api/funnels/saved: every saved definition, by name. */
export function useSavedFunnels() {
  return useQuery({
    queryKey: ['funnels', 'saved'],
    queryFn: ({ signal }) => apiFetch<{ funnels: SavedFunnel[] }>('/api/funnels/saved', { signal }).then((r) => r.funnels),
  });
}

/** POST /api/funnels/saved: saves (or replaces) a definition under a name. */
export function useSaveFunnel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; definition: FunnelSpec }) => apiFetch<SavedFunnel>('/api/funnels/saved', { body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['funnels', 'saved'] }),
  });
}

/** DELETE /api/funnels/saved/:name. */
export function useDeleteFunnel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => apiFetch<{ deleted: string }>(`/api/funnels/saved/${encodeURIComponent(name)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['funnels', 'saved'] }),
  });
}
