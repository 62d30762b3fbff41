import { ident, raw, sql, type Sql } from '../store/index.ts';

/**
 * Activity rollups: who was active when, kept per visitor identifier pair (userId, anonymousId),
 * so analytics never scans every event nor maps every event to its person:
 *
 * - `analytics_visitors`: per pair, its key `vk` = hash(user_id, anonymous_id), the time of its
 *   first event, and the hashes `uk`, `ak` of its ids;
 * - `analytics_activity`: (hour, vk) for every pair with an event in that hour — integers only;
 * - `analytics_conversions`: a copy of the track events named by any conversion definition
 *   (a small fraction of events), so "first conversion ever" never scans every event;
 * - `analytics_people`: the person of each pair, (vk, pk = hash(person_id)), computed by
 *   `eventsWithPersonSql` (the one mapping rule) and kept current with the identity graph (see
 *   kpis-people-map.sql.ts). A fact (touch, conversion) finds its person by its pair's key.
 *
 * The first three are only ever appended to, and each insert skips what is already there, so
 * reading an event twice is harmless: readers take DISTINCT / min() anyway, and
 * conversions are unique by (source_id, message_id).
 */
export const ACTIVITY_TABLES = {
  activity: 'analytics_activity',
  visitors: 'analytics_visitors',
  conversions: 'analytics_conversions',
  people: 'analytics_people',
  identitySnapshot: 'analytics_identity_snapshot',
  state: 'analytics_state',
} as const;

/** Key in `analytics_state` of the JSON list of event names copied into analytics_conversions. */
export const CONVERSION_EVENTS_KEY = 'conversions.events';

/** Key in `analytics_state` of the received_at (epoch ms) up to which events are rolled up. */
export const ACTIVITY_WATERMARK = 'activity.received_at';

const T = {
  activity: ident(ACTIVITY_TABLES.activity),
  visitors: ident(ACTIVITY_TABLES.visitors),
  conversions: ident(ACTIVITY_TABLES.conversions),
  people: ident(ACTIVITY_TABLES.people),
  snapshot: ident(ACTIVITY_TABLES.identitySnapshot),
  state: ident(ACTIVITY_TABLES.state),
};

/** Idempotent DDL (the tables are a cache of `events`: dropping them only costs a rebuild). */
export const readStateSql = (key: string): Sql => sql`SELECT value FROM ${T.state} WHERE key = ${key}`;
export const writeStateSql = (key: string, value: string): Sql => sql`INSERT OR REPLACE INTO ${T.state} VALUES (${key}, ${value})`;
export const conversionEventNamesSql = (): Sql => sql`SELECT DISTINCT event FROM conversion_definitions ORDER BY event`;
export const maxReceivedAtSql = (): Sql => sql`SELECT epoch_ms(max(received_at)) AS at FROM events`;
export const clearActivitySql = (): Sql[] =>
  [T.activity, T.visitors, T.conversions, T.people, T.snapshot, T.state].map((t) => sql`DELETE FROM ${t}`);

/**
 * The key of a visitor pair (64-bit; a collision would merge two pairs' activity, about one in
 * 10^7 for a million pairs, the same trade the journeys SQL makes for people).
 */
export const VISITOR_KEY = raw('hash(user_id, anonymous_id)');

/** New events (received since `sinceMs`; all when null) grouped by pair and hour, into a temp table. */
export function stageNewActivitySql(sinceMs: number | null): Sql {
  const since = sinceMs === null ? sql`TRUE` : sql`received_at >= ${new Date(sinceMs)}`;
  return sql`CREATE OR REPLACE TEMP TABLE analytics_new_activity AS
    SELECT date_trunc('hour', timestamp) AS hour, ${VISITOR_KEY} AS vk, user_id, anonymous_id, min(timestamp) AS first_at
    FROM events WHERE ${since} GROUP BY ALL`;
}

/** Pair-hours not yet recorded (the lookup is limited to the hours the new events touch). */
export function insertActivitySql(): Sql {
  return sql`INSERT INTO ${T.activity}
    SELECT DISTINCT n.hour, n.vk FROM analytics_new_activity n
    WHERE NOT EXISTS (
      SELECT 1 FROM ${T.activity} a
      WHERE a.hour = n.hour AND a.vk = n.vk
        AND a.hour BETWEEN (SELECT min(hour) FROM analytics_new_activity) AND (SELECT max(hour) FROM analytics_new_activity))
    ORDER BY n.hour`;
}

/** Pairs whose first event is new or earlier than recorded (a late event with an old timestamp). */
export function insertVisitorsSql(): Sql {
  return sql`INSERT INTO ${T.visitors}
    SELECT n.vk, n.user_id, n.anonymous_id, n.first_at, ${idKey('n.user_id')}, ${idKey('n.anonymous_id')}
    FROM (SELECT vk, any_value(user_id) AS user_id, any_value(anonymous_id) AS anonymous_id, min(first_at) AS first_at FROM analytics_new_activity GROUP BY vk) n
    WHERE NOT EXISTS (SELECT 1 FROM ${T.visitors} a WHERE a.vk = n.vk AND a.first_at <= n.first_at)
    ORDER BY n.first_at`;
}

/** The hash of an identifier column, NULL for NULL (`hash(NULL)` is a number). */
export function idKey(column: string): Sql {
  return raw(`CASE WHEN ${column} IS NOT NULL THEN hash(${column}) END`);
}

export const dropStagedActivitySql = (): Sql => sql`DROP TABLE IF EXISTS analytics_new_activity`;

/**
 * Copies conversion events (track events named in `events`) received since `sinceMs` (all when
 * null) that are not copied yet.
 */
export function insertConversionsSql(events: readonly string[], sinceMs: number | null): Sql {
  const since = sinceMs === null ? sql`TRUE` : sql`e.received_at >= ${new Date(sinceMs)}`;
  return sql`INSERT INTO ${T.conversions}
    SELECT e.source_id, e.message_id, e.event, e.user_id, e.anonymous_id, e.timestamp, e.revenue, e.properties
    FROM events e
    WHERE e.type = 'track' AND e.event IN (SELECT unnest(${events}::VARCHAR[])) AND ${since}
      AND NOT EXISTS (SELECT 1 FROM ${T.conversions} c WHERE c.source_id = e.source_id AND c.message_id = e.message_id)
    QUALIFY row_number() OVER (PARTITION BY e.source_id, e.message_id ORDER BY e.received_at) = 1
    ORDER BY e.timestamp`;
}
