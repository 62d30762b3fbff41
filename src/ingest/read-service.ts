import { TributaryError } from '../errors/index.ts';
import { changedRows, type Store } from '../store/index.ts';
import type { Opener } from '../privacy/index.ts';
import {
  countEventsSql,
  countQuarantineSql,
  deleteQuarantineSql,
  eventsStateSql,
  listEventsSql,
  listQuarantineSql,
  quarantinePayloadsSql,
  type EventFilter,
} from './events.sql.ts';
import { replayableMessages } from './quarantine.ts';

type Dict = Record<string, unknown>;

/** A stored event as the API shows it: Segment field names, camelCase. */
export interface StoredEvent {
  messageId: string;
  sourceId: string;
  type: string;
  event: string | null;
  name: string | null;
  userId: string | null;
  anonymousId: string | null;
  groupId: string | null;
  previousId: string | null;
  timestamp: string;
  originalTimestamp: string | null;
  sentAt: string | null;
  receivedAt: string;
  channel: string | null;
  revenue: number | null;
  currency: string | null;
  properties: Dict | null;
  traits: Dict | null;
  context: Dict | null;
  integrations: Dict | null;
}

export interface QuarantinedMessage {
  id: string;
  sourceId: string | null;
  receivedAt: string;
  origin: string;
  index: number | null;
  messageId: string | null;
  reason: string;
  details: unknown;
  payload: string | null;
}

function parseJson(value: unknown): Dict | null {
  if (typeof value !== 'string') return null;
  try {
    return JSON.parse(value) as Dict;
  } catch {
    return null;
  }
}

function toStoredEvent(r: Dict): StoredEvent {
  return {
    messageId: r.message_id as string,
    sourceId: r.source_id as string,
    type: r.type as string,
    event: (r.event as string | null) ?? null,
    name: (r.name as string | null) ?? null,
    userId: (r.user_id as string | null) ?? null,
    anonymousId: (r.anonymous_id as string | null) ?? null,
    groupId: (r.group_id as string | null) ?? null,
    previousId: (r.previous_id as string | null) ?? null,
    timestamp: r.timestamp as string,
    originalTimestamp: (r.original_timestamp as string | null) ?? null,
    sentAt: (r.sent_at as string | null) ?? null,
    receivedAt: r.received_at as string,
    channel: (r.channel as string | null) ?? null,
    revenue: (r.revenue as number | null) ?? null,
    currency: (r.currency as string | null) ?? null,
    properties: parseJson(r.properties),
    traits: parseJson(r.traits),
    context: parseJson(r.context),
    integrations: parseJson(r.integrations),
  };
}

function encodeCursor(receivedMs: number, messageId: string): string {
  return Buffer.from(JSON.stringify([receivedMs, messageId])).toString('base64url');
}

function decodeCursor(cursor: string): EventFilter['before'] {
  try {
    const [receivedAt, messageId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof receivedAt === 'number' && typeof messageId === 'string') return { receivedAt, messageId };
  } catch {
    // fall through to the error below
  }
  throw new TributaryError('bad_request', 'cursor: is not a cursor returned by this API');
}

export interface EventPage {
  total: number;
  events: StoredEvent[];
  nextCursor: string | null;
}

/** Lists stored events, newest first, with a keyset cursor for the next page. */
export async function listEvents(
  store: Store,
  filter: Omit<EventFilter, 'before'>,
  limit: number,
  cursor?: string,
): Promise<EventPage> {
  const f: EventFilter = { ...filter, before: cursor ? decodeCursor(cursor) : undefined };
  const [rows, [{ n }]] = await Promise.all([store.query<Dict>(listEventsSql(f, limit)), store.query<{ n: number }>(countEventsSql(f))]);
  const last = rows[rows.length - 1];
  return {
    total: n,
    events: rows.map(toStoredEvent),
    nextCursor: rows.length === limit && last ? encodeCursor(last.received_ms as number, last.message_id as string) : null,
  };
}

/** What an export of the quarantine has written so far. */
export interface QuarantineTally {
  messages: number;
  /** Kept payloads it could not use (not JSON, cut short, a batch without messages). */
  skipped: number;
}

/**
 * The rejected messages received before `before` (all when null) as NDJSON, oldest first, personal
 * data opened: to fix and import again (`tributary import events`). Yields a chunk per page of
 * the quarantine, so an export of any size streams; `tally` counts as it goes.
 */
export async function* exportQuarantine(store: Store, open: Opener, before: Date | null, tally: QuarantineTally = { messages: 0, skipped: 0 }): AsyncGenerator<string> {
  const PAGE = 1000;
  for (let offset = 0; ; offset += PAGE) {
    const rows = await store.query<{ payload: string | null }>(quarantinePayloadsSql(before, PAGE, offset));
    let chunk = '';
    for (const row of rows) {
      const replay = replayableMessages(row.payload, open);
      if ('skipped' in replay) tally.skipped++;
      else {
        for (const m of replay.messages) chunk += `${JSON.stringify(m)}\n`;
        tally.messages += replay.messages.length;
      }
    }
    if (chunk !== '') yield chunk;
    if (rows.length < PAGE) return;
  }
}

/** Deletes the rejected messages received before `before` (all when null); answers how many. */
export async function clearQuarantine(store: Store, before: Date | null): Promise<number> {
  return changedRows(await store.query(deleteQuarantineSql(before)));
}

/** Rejected messages with their reasons, newest first. */
export async function listQuarantine(store: Store, limit: number, offset: number): Promise<{ total: number; messages: QuarantinedMessage[] }> {
  const [rows, [{ n }]] = await Promise.all([store.query<Dict>(listQuarantineSql(limit, offset)), store.query<{ n: number }>(countQuarantineSql())]);
  return {
    total: n,
    messages: rows.map((r) => ({
      id: r.id as string,
      sourceId: (r.source_id as string | null) ?? null,
      receivedAt: r.received_at as string,
      origin: r.origin as string,
      index: (r.message_index as number | null) ?? null,
      messageId: (r.message_id as string | null) ?? null,
      reason: r.reason as string,
      details: parseJson(r.details),
      payload: (r.payload as string | null) ?? null,
    })),
  };
}

/**
 * A cheap marker of the events table (`state`): it changes whenever events are stored or deleted,
 * so a loop that derives from events can tell that nothing arrived since its last run; and the
 * latest receive time (epoch ms, 0 when empty).
 */
export async function eventsState(store: Store): Promise<{ state: string; latest: number }> {
  const [row] = await store.query<{ state: string; latest: number }>(eventsStateSql());
  return { state: row.state, latest: Number(row.latest) };
}
