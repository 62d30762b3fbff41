import { join, sql, type Dialect, type Sql } from '../store/index.ts';
import { eventsWithPersonSql } from '../identity/index.ts';

/** The ids events carry for a person: its userIds and anonymousIds. */
export interface PersonIds {
  readonly userIds: readonly string[];
  readonly anonymousIds: readonly string[];
}

/** Events of one person: pre-filtered by its ids, then checked through the mapping (shared devices). */
function personEvents(dialect: Dialect, personId: string, ids: PersonIds): Sql {
  const ors: Sql[] = [sql`FALSE`];
  if (ids.userIds.length > 0) ors.push(sql`user_id IN (SELECT unnest(${ids.userIds}::VARCHAR[]))`);
  if (ids.anonymousIds.length > 0) ors.push(sql`anonymous_id IN (SELECT unnest(${ids.anonymousIds}::VARCHAR[]))`);
  const candidates = sql`(SELECT * FROM events WHERE ${join(ors, ' OR ')})`;
  return sql`(SELECT * FROM ${eventsWithPersonSql(dialect, { events: candidates })} AS pe WHERE pe.person_id = ${personId})`;
}

export function personTimelineSql(dialect: Dialect, personId: string, ids: PersonIds, limit: number, before: number | null): Sql {
  const cursor = before === null ? sql`TRUE` : sql`timestamp < ${new Date(before)}`;
  return sql`SELECT message_id, type, event, name, timestamp, epoch_ms(timestamp) AS ts_ms, channel, revenue, currency,
      campaign_source, campaign_medium, campaign_name, page_url, properties
    FROM ${personEvents(dialect, personId, ids)} AS ev WHERE ${cursor}
    ORDER BY timestamp DESC, message_id DESC LIMIT ${limit}`;
}

export function personSummarySql(dialect: Dialect, personId: string, ids: PersonIds): Sql {
  const visitorKeys = [...ids.anonymousIds, ...ids.userIds.map((u) => `user:${u}`)];
  return sql`SELECT
      (SELECT count(*) FROM ${personEvents(dialect, personId, ids)} AS ev) AS events,
      (SELECT min(timestamp) FROM ${personEvents(dialect, personId, ids)} AS ev) AS first_seen,
      (SELECT max(timestamp) FROM ${personEvents(dialect, personId, ids)} AS ev) AS last_seen,
      (SELECT count(*) FROM sessions WHERE visitor_key IN (SELECT unnest(${visitorKeys}::VARCHAR[]))) AS sessions,
      (SELECT count(*) FROM touches WHERE visitor_key IN (SELECT unnest(${visitorKeys}::VARCHAR[]))) AS touches`;
}

export function personTouchesSql(personIds: PersonIds, limit: number): Sql {
  const visitorKeys = [...personIds.anonymousIds, ...personIds.userIds.map((u) => `user:${u}`)];
  return sql`SELECT occurred_at, kind, event, channel, source, medium, campaign FROM touches
    WHERE visitor_key IN (SELECT unnest(${visitorKeys}::VARCHAR[])) ORDER BY occurred_at DESC LIMIT ${limit}`;
}
