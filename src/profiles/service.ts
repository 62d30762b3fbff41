import { TributaryError } from '../errors/index.ts';
import type { Store } from '../store/index.ts';
import type { IdentityService, PersonQuery } from '../identity/index.ts';
import { cannotOpen, revealDocument, type Opener, type Section } from '../privacy/index.ts';
import { personSummarySql, personTimelineSql, personTouchesSql, type PersonIds } from './profile.sql.ts';

export interface TimelineEvent {
  messageId: string;
  type: string;
  event: string | null;
  name: string | null;
  timestamp: string;
  channel: string | null;
  revenue: number | null;
  currency: string | null;
  campaign: { source: string | null; medium: string | null; name: string | null } | null;
  pageUrl: string | null;
  properties: Record<string, unknown> | null;
}

export interface Profile {
  personId: string;
  mergedFrom?: string;
  identifiers: ReadonlyArray<{ kind: string; value: string; hashed: boolean }>;
  /** Latest known traits (personal fields masked for roles without personal-data access). */
  traits: Record<string, unknown>;
  firstSeen: string | null;
  lastSeen: string | null;
  events: number;
  sessions: number;
  touches: number;
  recentTouches: Array<{ at: string; kind: string; event: string | null; channel: string; source: string; medium: string; campaign: string | null }>;
  timeline: TimelineEvent[];
  /** Pass as `before` for the next (older) page of the timeline; null at the end. */
  nextCursor: string | null;
}

function parseJson(text: unknown): Record<string, unknown> | null {
  if (typeof text !== 'string') return null;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/**
 * One customer: identifiers, traits, activity counts, recent touches and the event timeline
 * (newest first, paged). Personal fields of traits and event properties are masked unless the
 * caller may see personal data (`unmasked`). `personId` may be a person id, or the
 * `anon:<id>` / `user:<id>` pseudo-person of a visitor the identity graph has not linked yet.
 */
export async function getProfile(
  store: Store,
  identity: IdentityService,
  personId: string,
  page: { limit: number; before?: string | null },
  options: { unmasked?: boolean; open?: Opener } = {},
): Promise<Profile> {
  const open = options.open ?? cannotOpen;
  const mode = options.unmasked ? 'clear' : 'mask';
  const show = (doc: Record<string, unknown> | null, section: Section) => (doc === null ? null : revealDocument(doc, section, open, mode));
  let ids: PersonIds;
  let view: Awaited<ReturnType<IdentityService['getPerson']>> = null;
  if (personId.startsWith('anon:')) ids = { userIds: [], anonymousIds: [personId.slice(5)] };
  else if (personId.startsWith('user:')) ids = { userIds: [personId.slice(5)], anonymousIds: [] };
  else {
    view = await identity.getPerson(personId);
    if (!view) throw new TributaryError('not_found', `no person ${personId}`);
    ids = {
      userIds: view.identifiers.filter((i) => i.kind === 'user_id').map((i) => i.value),
      anonymousIds: view.identifiers.filter((i) => i.kind === 'anonymous_id').map((i) => i.value),
    };
  }
  const id = view?.personId ?? personId;
  const before = page.before ? Number(page.before) : null;
  if (before !== null && !Number.isFinite(before)) throw new TributaryError('bad_request', 'before: is not a cursor returned by this API');
  const [summary] = await store.query<{ events: number; first_seen: string | null; last_seen: string | null; sessions: number; touches: number }>(
    personSummarySql(store.dialect, id, ids),
  );
  if (!view && summary.events === 0) throw new TributaryError('not_found', `no person ${personId}`);
  const rows = await store.query<Record<string, unknown>>(personTimelineSql(store.dialect, id, ids, page.limit, before));
  const touches = await store.query<Record<string, unknown>>(personTouchesSql(ids, 20));
  const last = rows[rows.length - 1];
  return {
    personId: id,
    ...(view?.mergedFrom ? { mergedFrom: view.mergedFrom } : {}),
    identifiers: view ? view.identifiers.map(({ kind, value, hashed }) => ({ kind, value, hashed })) : ids.anonymousIds.map((v) => ({ kind: 'anonymous_id', value: v, hashed: false })).concat(ids.userIds.map((v) => ({ kind: 'user_id', value: v, hashed: false }))),
    traits: show(view?.traits ?? {}, 'traits')!,
    firstSeen: summary.first_seen,
    lastSeen: summary.last_seen,
    events: summary.events,
    sessions: summary.sessions,
    touches: summary.touches,
    recentTouches: touches.map((t) => ({
      at: t.occurred_at as string,
      kind: t.kind as string,
      event: (t.event as string | null) ?? null,
      channel: t.channel as string,
      source: t.source as string,
      medium: t.medium as string,
      campaign: (t.campaign as string | null) ?? null,
    })),
    timeline: rows.map((r) => ({
      messageId: r.message_id as string,
      type: r.type as string,
      event: (r.event as string | null) ?? null,
      name: (r.name as string | null) ?? null,
      timestamp: r.timestamp as string,
      channel: (r.channel as string | null) ?? null,
      revenue: (r.revenue as number | null) ?? null,
      currency: (r.currency as string | null) ?? null,
      campaign: r.campaign_source || r.campaign_medium || r.campaign_name
        ? { source: (r.campaign_source as string | null) ?? null, medium: (r.campaign_medium as string | null) ?? null, name: (r.campaign_name as string | null) ?? null }
        : null,
      pageUrl: (r.page_url as string | null) ?? null,
      properties: show(parseJson(r.properties), 'properties'),
    })),
    nextCursor: rows.length === page.limit && last ? String(last.ts_ms) : null,
  };
}

/** The person an identifier belongs to (e-mail and phone are hashed for the lookup). */
export async function findPersonId(identity: IdentityService, query: PersonQuery): Promise<string | null> {
  const found = await identity.findPerson(query);
  if (found) return found;
  if ('anonymousId' in query) return `anon:${query.anonymousId}`;
  if ('userId' in query) return `user:${query.userId}`;
  return null;
}
