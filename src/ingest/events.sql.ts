import { join, sql, type Sql } from '../store/index.ts';

export interface EventFilter {
  readonly type?: string;
  readonly event?: string;
  readonly userId?: string;
  readonly anonymousId?: string;
  /** Keyset cursor: events strictly older than (receivedAt, messageId) in the listing order. */
  readonly before?: { readonly receivedAt: number; readonly messageId: string };
}

function whereClause(f: EventFilter, withCursor: boolean): Sql {
  const conditions: Sql[] = [sql`TRUE`];
  if (f.type) conditions.push(sql`type = ${f.type}`);
  if (f.event) conditions.push(sql`event = ${f.event}`);
  if (f.userId) conditions.push(sql`user_id = ${f.userId}`);
  if (f.anonymousId) conditions.push(sql`anonymous_id = ${f.anonymousId}`);
  if (withCursor && f.before) {
    const at = new Date(f.before.receivedAt);
    conditions.push(sql`(received_at < ${at} OR (received_at = ${at} AND message_id < ${f.before.messageId}))`);
  }
  return join(conditions, ' AND ');
}

/** Newest first, by receive time then messageId (a stable keyset order). */
export const listEventsSql = (f: EventFilter, limit: number): Sql =>
  sql`SELECT *, epoch_ms(received_at) AS received_ms FROM events WHERE ${whereClause(f, true)}
      ORDER BY received_at DESC, message_id DESC LIMIT ${limit}`;

export const countEventsSql = (f: EventFilter): Sql => sql`SELECT count(*) AS n FROM events WHERE ${whereClause(f, false)}`;

/** The events' count and latest receive time as one text (both are answered from table metadata in a few ms). */
export const eventsStateSql = (): Sql =>
  sql`SELECT count(*) || ':' || coalesce(epoch_ms(max(received_at)), 0) AS state, coalesce(epoch_ms(max(received_at)), 0) AS latest FROM events`;

export const listQuarantineSql = (limit: number, offset: number): Sql =>
  sql`SELECT * FROM quarantine ORDER BY received_at DESC, id LIMIT ${limit} OFFSET ${offset}`;

export const countQuarantineSql = (): Sql => sql`SELECT count(*) AS n FROM quarantine`;

const receivedBefore = (before: Date | null): Sql => (before === null ? sql`TRUE` : sql`received_at < ${before}`);

/** Kept payloads in the order they arrived, by batch index or file line (to import again in that order), a page at a time. */
export const quarantinePayloadsSql = (before: Date | null, limit: number, offset: number): Sql =>
  sql`SELECT payload FROM quarantine WHERE ${receivedBefore(before)} ORDER BY received_at, message_index NULLS FIRST, id LIMIT ${limit} OFFSET ${offset}`;

/** Removes the rejected messages received before `before` (all when null). */
export const deleteQuarantineSql = (before: Date | null): Sql => sql`DELETE FROM quarantine WHERE ${receivedBefore(before)}`;
