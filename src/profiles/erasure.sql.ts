import { sql, type Sql } from '../store/index.ts';

/** A person's stored identifiers: ids in the clear, e-mail and phone as keyed hashes. */
export interface ErasureTarget {
  readonly personId: string;
  readonly userIds: readonly string[];
  readonly anonymousIds: readonly string[];
  /** Every identifier value (ids and hashes) and the person id: what no row may mention afterwards. */
  readonly values: readonly string[];
}

// An empty list is written out: an empty bound array has no type the engine can infer.
const list = (values: readonly string[]): Sql => (values.length === 0 ? sql`[]::VARCHAR[]` : sql`${[...values]}::VARCHAR[]`);

/** Whether any event carries the id (for visitors the identity graph never linked). */
export const visitorHasEventsSql = (kind: 'user_id' | 'anonymous_id', id: string): Sql =>
  kind === 'user_id' ? sql`SELECT count(*) > 0 AS found FROM events WHERE user_id = ${id}` : sql`SELECT count(*) > 0 AS found FROM events WHERE anonymous_id = ${id}`;

export const personIdentifiersSql = (personId: string): Sql =>
  sql`SELECT kind, value FROM identities WHERE person_id = ${personId} ORDER BY kind, value`;

/** Events and derived rows that carry the person's ids. */
const byIds = (t: ErasureTarget): Sql =>
  sql`(list_contains(${list(t.userIds)}, user_id) OR list_contains(${list(t.anonymousIds)}, anonymous_id))`;

/** A text column mentioning any of the values (JSON documents: identifiers, payloads, traits). */
const mentions = (column: Sql, t: ErasureTarget): Sql =>
  sql`EXISTS (SELECT 1 FROM unnest(${list(t.values)}) AS v(x) WHERE contains(${column}, v.x))`;

/**
 * The deletes of an erasure, table by table, each answering the rows it removed. Aggregates that
 * identify nobody (spend, the event catalog, funnel definitions) are kept.
 */
export function erasureStatements(t: ErasureTarget): Array<{ table: string; sql: Sql }> {
  const p = t.personId;
  const ids = [...t.userIds, ...t.anonymousIds];
  return [
    {
      table: 'events',
      sql: sql`DELETE FROM events WHERE ${byIds(t)} OR (previous_id IS NOT NULL AND list_contains(${list(ids)}, previous_id))`,
    },
    { table: 'sessions', sql: sql`DELETE FROM sessions WHERE ${byIds(t)}` },
    { table: 'touches', sql: sql`DELETE FROM touches WHERE ${byIds(t)}` },
    { table: 'conversion_events', sql: sql`DELETE FROM conversion_events WHERE ${byIds(t)}` },
    {
      table: 'analytics_activity',
      sql: sql`DELETE FROM analytics_activity WHERE vk IN (SELECT vk FROM analytics_visitors WHERE ${byIds(t)})`,
    },
    { table: 'analytics_people', sql: sql`DELETE FROM analytics_people WHERE vk IN (SELECT vk FROM analytics_visitors WHERE ${byIds(t)})` },
    { table: 'analytics_visitors', sql: sql`DELETE FROM analytics_visitors WHERE ${byIds(t)}` },
    { table: 'analytics_conversions', sql: sql`DELETE FROM analytics_conversions WHERE ${byIds(t)}` },
    {
      table: 'analytics_identity_snapshot',
      sql: sql`DELETE FROM analytics_identity_snapshot WHERE person_id = ${p} OR list_contains(${list(t.values)}, value)`,
    },
    { table: 'identity_merges', sql: sql`DELETE FROM identity_merges WHERE into_person = ${p} OR from_person = ${p} OR list_contains(${list(t.values)}, via_value)` },
    { table: 'identity_flags', sql: sql`DELETE FROM identity_flags WHERE person_id = ${p} OR list_contains(${list(t.values)}, value)` },
    {
      table: 'identity_conflicts',
      sql: sql`DELETE FROM identity_conflicts WHERE person_id = ${p} OR other_person = ${p} OR list_contains(${list(t.values)}, value)`,
    },
    { table: 'identity_imports', sql: sql`DELETE FROM identity_imports WHERE ${mentions(sql`identifiers`, t)} OR list_contains(${list(ids)}, external_id)` },
    { table: 'quarantine', sql: sql`DELETE FROM quarantine WHERE payload IS NOT NULL AND ${mentions(sql`payload`, t)}` },
    { table: 'identities', sql: sql`DELETE FROM identities WHERE person_id = ${p}` },
    { table: 'people', sql: sql`DELETE FROM people WHERE person_id = ${p}` },
  ];
}

export const insertSuppressionSql = (kind: string, hash: string, at: Date): Sql =>
  sql`INSERT INTO suppressions (kind, hash, created_at, reason) VALUES (${kind}, ${hash}, ${at}, 'erasure') ON CONFLICT DO NOTHING`;

/** Everything stored about a person, for the right of access. */
export const personEventsSql = (t: ErasureTarget): Sql =>
  sql`SELECT * EXCLUDE (received_at, timestamp, original_timestamp, sent_at),
        strftime(timestamp, '%Y-%m-%dT%H:%M:%S.%gZ') AS timestamp, strftime(received_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS received_at
      FROM events WHERE ${byIds(t)} ORDER BY events.timestamp, message_id`;
export const personSessionsSql = (t: ErasureTarget): Sql =>
  sql`SELECT session_id, anonymous_id, user_id, strftime(started_at, '%Y-%m-%dT%H:%M:%SZ') AS started_at, strftime(ended_at, '%Y-%m-%dT%H:%M:%SZ') AS ended_at,
        hits, channel, source, medium, campaign, landing_url, referrer, device, country
      FROM sessions WHERE ${byIds(t)} ORDER BY sessions.started_at`;
export const personTouchRowsSql = (t: ErasureTarget): Sql =>
  sql`SELECT touch_id, anonymous_id, user_id, strftime(occurred_at, '%Y-%m-%dT%H:%M:%SZ') AS occurred_at, kind, event, channel, source, medium, campaign
      FROM touches WHERE ${byIds(t)} ORDER BY touches.occurred_at`;
export const personRowSql = (personId: string): Sql =>
  sql`SELECT person_id, strftime(first_seen, '%Y-%m-%dT%H:%M:%SZ') AS first_seen, strftime(last_seen, '%Y-%m-%dT%H:%M:%SZ') AS last_seen, traits
      FROM people WHERE person_id = ${personId}`;
export const personMergesSql = (personId: string): Sql =>
  sql`SELECT strftime(merged_at, '%Y-%m-%dT%H:%M:%SZ') AS merged_at, from_person, reason, via_kind FROM identity_merges WHERE into_person = ${personId} ORDER BY merged_at`;
