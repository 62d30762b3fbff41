import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Source } from '../../privacy/index.ts';
import { apiFetch } from './client.ts';
import { useSession } from './session.ts';

/** A source (GET /api/sources): its write key is stored as a hash, so only a hint (`keyHint`) is known. */
export type { Source } from '../../privacy/index.ts';

/** POST /api/sources: the only answer that ever carries the write key. */
export interface CreatedSource {
  readonly source: Source;
  readonly writeKey: string;
}

/** A stored event as GET /api/events shows it (the fields the dashboard reads). */
export interface StoredEvent {
  readonly messageId: string;
  readonly sourceId: string;
  readonly type: string;
  readonly event: string | null;
  readonly name: string | null;
  readonly userId: string | null;
  readonly anonymousId: string | null;
  readonly timestamp: string;
  readonly receivedAt: string;
  readonly channel: string | null;
  readonly revenue: number | null;
  readonly currency: string | null;
  readonly properties: Record<string, unknown> | null;
}

export interface EventPage {
  readonly total: number;
  readonly events: readonly StoredEvent[];
  readonly nextCursor: string | null;
}

export interface EventFilter {
  readonly type?: string;
  readonly event?: string;
  readonly userId?: string;
  readonly anonymousId?: string;
  readonly limit?: number;
}

/** A rejected message (GET /api/quarantine): why, where from, and what was sent. */
export interface QuarantinedMessage {
  readonly id: string;
  readonly sourceId: string | null;
  readonly receivedAt: string;
  /** `api` (HTTP) or `import:<file>`. */
  readonly origin: string;
  /** Index in the batch, or the line number of an import. */
  readonly index: number | null;
  readonly messageId: string | null;
  /** `field: message`. */
  readonly reason: string;
  readonly details: unknown;
  /** The message or raw line as received (cut at 64 KB). */
  readonly payload: string | null;
}

export interface QuarantinePage {
  readonly total: number;
  readonly messages: readonly QuarantinedMessage[];
}

/** One import run (GET /api/imports). */
export interface ImportEntry {
  readonly id: string;
  readonly kind: 'events' | 'customers' | 'spend' | string;
  readonly file: string;
  readonly sourceId: string | null;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly read: number;
  readonly stored: number;
  readonly duplicates: number;
  readonly rejected: number;
}

/** GET /api/events, for hooks that read events with their own cache key. */
export function fetchEvents(filter: EventFilter, signal?: AbortSignal): Promise<EventPage> {
  return apiFetch<EventPage>('/api/events', { params: { ...filter }, signal });
}

/** GET /api/sources. */
export function useSources() {
  return useQuery({ queryKey: ['sources'], queryFn: ({ signal }) => apiFetch<{ sources: Source[] }>('/api/sources', { signal }) });
}

/**
 * POST /api/sources. The write key lives only in the mutation's result (component state), never
 * in the query cache, so it disappears when the page is left.
 */
export function useCreateSource() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => apiFetch<CreatedSource>('/api/sources', { method: 'POST', body: { name } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['sources'] }),
  });
}

/** POST /api/sources/:id/rotate: a new key (shown once); the old one stops working at once. */
export function useRotateSource() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<CreatedSource>(`/api/sources/${encodeURIComponent(id)}/rotate`, { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['sources'] }),
  });
}

/** DELETE /api/sources/:id: the key is refused from now on; the source's events stay. */
export function useRevokeSource() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<{ source: Source }>(`/api/sources/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['sources'] }),
  });
}

/** Whether the signed-in role holds a permission (a server that does not list them allows all). */
export function useCan(permission: string): boolean {
  const permissions = useSession().data?.permissions;
  return permissions === undefined || permissions.includes(permission);
}

/** Live refresh period of the recent-events table. */
export const LIVE_REFRESH_MS = 3000;

/**
 * GET /api/events, newest received first. While `live`, it refetches every few seconds; react-query
 * stops the interval while the tab is hidden.
 */
export function useEvents(filter: EventFilter, live: boolean) {
  return useQuery({
    queryKey: ['events', filter],
    queryFn: ({ signal }) => fetchEvents(filter, signal),
    refetchInterval: live ? LIVE_REFRESH_MS : false,
    refetchIntervalInBackground: false,
    staleTime: 0,
    placeholderData: keepPreviousData,
  });
}

/** GET /api/quarantine, newest first, paged by offset; refreshed like the events while `live`. */
export function useQuarantine(limit: number, offset: number, live: boolean) {
  return useQuery({
    queryKey: ['quarantine', limit, offset],
    queryFn: ({ signal }) => apiFetch<QuarantinePage>('/api/quarantine', { params: { limit, offset }, signal }),
    refetchInterval: live ? LIVE_REFRESH_MS : false,
    refetchIntervalInBackground: false,
    staleTime: 0,
    placeholderData: keepPreviousData,
  });
}

/** DELETE /api/quarantine: every rejected message goes (audited). */
export function useClearQuarantine() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<{ deleted: number }>('/api/quarantine', { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['quarantine'] }),
  });
}

/** GET /api/imports, newest first. */
export function useImports(limit = 100) {
  return useQuery({
    queryKey: ['imports', limit],
    queryFn: ({ signal }) => apiFetch<{ imports: ImportEntry[] }>('/api/imports', { params: { limit }, signal }),
  });
}
