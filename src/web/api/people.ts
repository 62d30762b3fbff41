import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { ApiError, apiFetch } from './client.ts';
import { fetchEvents, type StoredEvent } from './data.ts';

/** What the search box can look a person up by (e-mail and phone are hashed by the server). */
export type IdentifierKind = 'userId' | 'anonymousId' | 'email' | 'phone';
export type SearchKind = IdentifierKind | 'auto';

export interface ProfileIdentifier {
  /** `user_id`, `anonymous_id`, `email`, `phone`, `external_id`… */
  readonly kind: string;
  /** As stored; e-mail and phone are keyed hashes, shown abbreviated. */
  readonly value: string;
  readonly hashed: boolean;
}

export interface ProfileTouch {
  readonly at: string;
  /** `session` (a visit's source) or `event` (an ad click, an e-mail click…). */
  readonly kind: string;
  readonly event: string | null;
  readonly channel: string;
  readonly source: string;
  readonly medium: string;
  readonly campaign: string | null;
}

export interface TimelineEvent {
  readonly messageId: string;
  readonly type: string;
  readonly event: string | null;
  readonly name: string | null;
  readonly timestamp: string;
  readonly channel: string | null;
  readonly revenue: number | null;
  readonly currency: string | null;
  readonly campaign: { readonly source: string | null; readonly medium: string | null; readonly name: string | null } | null;
  readonly pageUrl: string | null;
  readonly properties: Record<string, unknown> | null;
}

/** GET /api/people/:id (one page of the timeline). */
export interface Profile {
  readonly personId: string;
  readonly mergedFrom?: string;
  readonly identifiers: readonly ProfileIdentifier[];
  /** Latest traits, personal fields masked by the server. */
  readonly traits: Record<string, unknown>;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly events: number;
  readonly sessions: number;
  readonly touches: number;
  /** The latest touches (at most 20). */
  readonly recentTouches: readonly ProfileTouch[];
  readonly timeline: readonly TimelineEvent[];
  readonly nextCursor: string | null;
}

/** Pseudo-people the server answers for ids the identity graph has not linked (`anon:…`, `user:…`). */
const isPseudoPerson = (id: string): boolean => id.startsWith('anon:') || id.startsWith('user:');

/** The kind a typed value most likely is: `@` → e-mail, `+` and digits → phone, else a user or anonymous id. */
export function detectKind(value: string): SearchKind {
  const v = value.trim();
  if (v.includes('@')) return 'email';
  if (/^\+[\d\s().-]{6,}$/.test(v)) return 'phone';
  return 'auto';
}

const personPath = (personId: string): string => `/api/people/${encodeURIComponent(personId)}`;

/** Whether a person id has data at all (an unlinked id resolves to a pseudo-person that may not exist). */
async function exists(personId: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await apiFetch<Profile>(personPath(personId), { params: { limit: 1 }, signal });
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return false;
    throw err;
  }
}

/**
 * The person an identifier belongs to. A user or anonymous id nobody sent resolves to a
 * pseudo-person on the server, so those are checked for data; "auto" tries a user id, then an
 * anonymous id. Not found: an ApiError 404.
 */
async function lookUpPerson(kind: SearchKind, value: string, signal?: AbortSignal): Promise<string> {
  const kinds: IdentifierKind[] = kind === 'auto' ? ['userId', 'anonymousId'] : [kind];
  const pseudo: string[] = [];
  for (const k of kinds) {
    try {
      const { personId } = await apiFetch<{ personId: string }>('/api/people', { params: { [k]: value }, signal });
      if (!isPseudoPerson(personId)) return personId;
      pseudo.push(personId);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) throw err;
    }
  }
  for (const id of pseudo) if (await exists(id, signal)) return id;
  throw new ApiError(404, 'not_found', 'no person has that identifier');
}

/** GET /api/people?{kind}={value} → the person's id (disabled while the value is empty). */
export function usePersonLookup(kind: SearchKind, value: string) {
  const v = value.trim();
  return useQuery({
    queryKey: ['person-lookup', kind, v],
    queryFn: ({ signal }) => lookUpPerson(kind === 'auto' ? detectKind(v) : kind, v, signal),
    enabled: v !== '',
    staleTime: 60_000,
  });
}

/** Timeline events per page. */
export const TIMELINE_PAGE = 50;

/** GET /api/people/:id, the timeline paged with `before` (each page repeats the profile). */
export function usePerson(personId: string) {
  return useInfiniteQuery({
    queryKey: ['person', personId, TIMELINE_PAGE],
    queryFn: ({ pageParam, signal }) => apiFetch<Profile>(personPath(personId), { params: { limit: TIMELINE_PAGE, before: pageParam }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** A person's orders: the default conversion's events sent with any of their ids. */
export interface PersonOrders {
  readonly conversion: string;
  readonly orders: number;
  /** Revenue per currency (orders without a currency under ""). */
  readonly revenue: ReadonlyArray<{ readonly currency: string; readonly amount: number }>;
  readonly lastOrderAt: string | null;
  /** Some id had more orders than one page holds: the numbers are a lower bound. */
  readonly partial: boolean;
}

const ORDERS_PAGE = 1000;

function orderValue(e: StoredEvent, valueProperty: string | null): number | null {
  const v = valueProperty ? e.properties?.[valueProperty] : undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  return typeof e.revenue === 'number' && Number.isFinite(e.revenue) ? e.revenue : null;
}

/** Sums orders found under each id once (an event carrying both a user and an anonymous id is found twice). */
async function fetchPersonOrders(ids: readonly ProfileIdentifier[], signal?: AbortSignal): Promise<PersonOrders> {
  const { conversions } = await apiFetch<{ conversions: Array<{ name: string; event: string; valueProperty: string | null; isDefault: boolean }> }>('/api/conversions', {
    signal,
  });
  const def = conversions.find((c) => c.isDefault) ?? conversions[0];
  if (!def) return { conversion: '', orders: 0, revenue: [], lastOrderAt: null, partial: false };
  const filters = ids
    .filter((i) => !i.hashed && (i.kind === 'user_id' || i.kind === 'anonymous_id'))
    .map((i) => (i.kind === 'user_id' ? { userId: i.value } : { anonymousId: i.value }));
  const pages = await Promise.all(filters.map((f) => fetchEvents({ ...f, event: def.event, limit: ORDERS_PAGE }, signal)));
  const seen = new Map<string, StoredEvent>();
  for (const p of pages) for (const e of p.events) seen.set(e.messageId, e);
  const revenue = new Map<string, number>();
  let lastOrderAt: string | null = null;
  for (const e of seen.values()) {
    const v = orderValue(e, def.valueProperty);
    if (v !== null) revenue.set(e.currency ?? '', (revenue.get(e.currency ?? '') ?? 0) + v);
    if (lastOrderAt === null || e.timestamp > lastOrderAt) lastOrderAt = e.timestamp;
  }
  return {
    conversion: def.name,
    orders: seen.size,
    revenue: [...revenue].map(([currency, amount]) => ({ currency, amount })).sort((a, b) => b.amount - a.amount),
    lastOrderAt,
    partial: pages.some((p) => p.nextCursor !== null),
  };
}

/** The person's orders and revenue (GET /api/conversions, then GET /api/events per id). */
export function usePersonOrders(personId: string, ids: readonly ProfileIdentifier[] | undefined) {
  return useQuery({
    queryKey: ['person-orders', personId, ids?.map((i) => `${i.kind}:${i.value}`) ?? []],
    queryFn: ({ signal }) => fetchPersonOrders(ids ?? [], signal),
    enabled: ids !== undefined,
  });
}

/** GET /api/people/:id/consent: stated preferences, the decision per purpose, and the changes. */
export interface PersonConsent {
  /** Category → granted (lower-case ids); null when the person never stated any. */
  readonly preferences: Readonly<Record<string, boolean>> | null;
  readonly updatedAt: string | null;
  readonly purposes: Readonly<Record<string, { readonly allowed: boolean; readonly basis: 'consent' | 'region' | 'default' | string }>>;
  readonly history: ReadonlyArray<{ readonly changedAt: string; readonly via: string; readonly messageId: string; readonly origin: string; readonly preferences: Readonly<Record<string, boolean>> }>;
}

/** GET /api/people/:id/consent (a server without consent tracking answers 404: the page shows none). */
export function usePersonConsent(personId: string) {
  return useQuery({
    queryKey: ['person-consent', personId],
    queryFn: ({ signal }) => apiFetch<PersonConsent>(`${personPath(personId)}/consent`, { signal }),
  });
}
