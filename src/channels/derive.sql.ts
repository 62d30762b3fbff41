import { raw, sql, type Dialect, type Sql } from '../store/index.ts';

/**
 * SQL that derives traffic keys, sessions and touches from raw events, in the engine.
 *
 * A visitor is one device stream: `anonymousId`, or `user:<userId>` for messages without one
 * (GA4 likewise sessionises per client id). People are joined at query time through the
 * identity graph, so merges never rewrite sessions.
 */

function assertDuckDb(dialect: Dialect): void {
  if (dialect.name !== 'duckdb') throw new Error(`session derivation is not implemented for the ${dialect.name} engine yet`);
}

const HOST = `'^[a-zA-Z][a-zA-Z0-9+.-]*://([^/:?#]+)'`;
const CLICK_ID = `'[?&](gclid|gbraid|wbraid|msclkid|fbclid|ttclid|dclid)='`;

/** The visitor key of an events row aliased `e`. */
export const VISITOR_KEY = raw(`coalesce(e.anonymous_id, 'user:' || e.user_id)`);

/**
 * Events that can start a session or be a touch (page/screen views and events carrying an
 * explicit channel), with their traffic fields: utm tags, an external referrer host (a referrer
 * from the page's own site is navigation, not a source), an ad click id, the explicit channel,
 * and `traffic_key` joining them.
 */
export function trafficHitsSql(dialect: Dialect, where: Sql): Sql {
  assertDuckDb(dialect);
  return sql`
    SELECT *,
      concat_ws(chr(31), coalesce(explicit_channel, ''), coalesce(utm_source, ''), coalesce(utm_medium, ''),
                coalesce(utm_campaign, ''), coalesce(ext_referrer, ''), coalesce(click_id, '')) AS traffic_key,
      (utm_source IS NOT NULL OR utm_medium IS NOT NULL OR ext_referrer IS NOT NULL OR click_id IS NOT NULL) AS has_source
    FROM (
      SELECT *,
        CASE WHEN ref_host IS NULL OR ref_host = page_host OR ref_host LIKE '%.' || page_host OR page_host LIKE '%.' || ref_host
             THEN NULL ELSE ref_host END AS ext_referrer
      FROM (
        SELECT e.message_id, e.type, e.event, e.anonymous_id, e.user_id, e.timestamp AS ts,
          ${VISITOR_KEY} AS visitor_key,
          nullif(lower(trim(e.campaign_source)), '') AS utm_source,
          nullif(lower(trim(e.campaign_medium)), '') AS utm_medium,
          nullif(trim(e.campaign_name), '') AS utm_campaign,
          nullif(regexp_replace(lower(regexp_extract(e.page_referrer, ${raw(HOST)}, 1)), '^www\\.', ''), '') AS ref_host,
          nullif(regexp_replace(lower(regexp_extract(e.page_url, ${raw(HOST)}, 1)), '^www\\.', ''), '') AS page_host,
          nullif(regexp_extract(e.page_url, ${raw(CLICK_ID)}, 1), '') AS click_id,
          CASE WHEN e.type = 'track' THEN nullif(trim(e.channel), '') END AS explicit_channel,
          e.page_url, e.page_referrer,
          coalesce(json_extract_string(e.context, '$.device.type'), CASE WHEN e.type = 'screen' THEN 'mobile' END) AS device,
          coalesce(json_extract_string(e.context, '$.location.country'), json_extract_string(e.context, '$.traits.address.country')) AS country
        FROM events e
        WHERE (e.type IN ('page', 'screen') OR (e.type = 'track' AND e.channel IS NOT NULL AND trim(e.channel) <> ''))
          AND ${where}
      )
    )`;
}

/** Visitors with session-relevant events received since `sinceMs` (all when null), into a temp table. */
export function collectAffectedVisitorsSql(sinceMs: number | null): Sql {
  const since = sinceMs === null ? sql`TRUE` : sql`e.received_at >= ${new Date(sinceMs)}`;
  return sql`
    CREATE OR REPLACE TEMP TABLE derive_affected AS
    SELECT DISTINCT ${VISITOR_KEY} AS visitor_key FROM events e
    WHERE (e.type IN ('page', 'screen') OR (e.type = 'track' AND e.channel IS NOT NULL)) AND ${since}`;
}

const AFFECTED = sql`${VISITOR_KEY} IN (SELECT visitor_key FROM derive_affected)`;

/** Traffic keys of affected visitors that have no channel yet, with the fields to classify. */
export function unclassifiedTrafficKeysSql(dialect: Dialect): Sql {
  return sql`
    SELECT DISTINCT traffic_key, explicit_channel, utm_source, utm_medium, utm_campaign, ext_referrer, click_id
    FROM (${trafficHitsSql(dialect, AFFECTED)}) h
    WHERE NOT EXISTS (SELECT 1 FROM traffic_channels t WHERE t.traffic_key = h.traffic_key)`;
}

export interface TrafficChannelRow {
  readonly trafficKey: string;
  readonly channel: string;
  readonly source: string;
  readonly medium: string;
  readonly campaign: string | null;
  readonly rule: string;
}

export function insertTrafficChannelsSql(rows: readonly TrafficChannelRow[]): Sql {
  const values = rows.map((r) => sql`(${r.trafficKey}, ${r.channel}, ${r.source}, ${r.medium}, ${r.campaign}, ${r.rule})`);
  let joined = values[0];
  for (let i = 1; i < values.length; i++) joined = sql`${joined}, ${values[i]}`;
  return sql`INSERT OR REPLACE INTO traffic_channels VALUES ${joined}`;
}

export const deleteAffectedSql = (table: 'sessions' | 'touches'): Sql =>
  sql`DELETE FROM ${raw(table)} WHERE visitor_key IN (SELECT visitor_key FROM derive_affected)`;

/**
 * Sessions of the affected visitors, rebuilt from all their page/screen views: a new session
 * starts after 30 minutes without a hit, or when a hit brings a traffic source (utm tags, an
 * external referrer, an ad click id) other than the session's current one (GA's convention).
 */
export function insertSessionsSql(dialect: Dialect, timeoutMinutes: number): Sql {
  const gap = raw(`INTERVAL ${Math.max(1, Math.floor(timeoutMinutes))} MINUTE`);
  return sql`
    INSERT INTO sessions
    WITH hits AS (
      SELECT * FROM (${trafficHitsSql(dialect, AFFECTED)}) WHERE type IN ('page', 'screen')
    ),
    gaps AS (
      SELECT *, CASE WHEN lag(ts) OVER w IS NULL OR ts > lag(ts) OVER w + ${gap} THEN 1 ELSE 0 END AS gap_start
      FROM hits WINDOW w AS (PARTITION BY visitor_key ORDER BY ts, message_id)
    ),
    gap_numbered AS (
      SELECT *, sum(gap_start) OVER (PARTITION BY visitor_key ORDER BY ts, message_id ROWS UNBOUNDED PRECEDING) AS gap_no FROM gaps
    ),
    with_previous AS (
      SELECT *, coalesce(
        last_value(CASE WHEN has_source THEN traffic_key END IGNORE NULLS)
          OVER (PARTITION BY visitor_key, gap_no ORDER BY ts, message_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
        '(direct)') AS previous_key
      FROM gap_numbered
    ),
    starts AS (
      SELECT *, CASE WHEN gap_start = 1 OR (has_source AND traffic_key <> previous_key) THEN 1 ELSE 0 END AS is_start FROM with_previous
    ),
    numbered AS (
      SELECT *, sum(is_start) OVER (PARTITION BY visitor_key ORDER BY ts, message_id ROWS UNBOUNDED PRECEDING) AS session_no FROM starts
    ),
    grouped AS (
      SELECT visitor_key,
        first(message_id ORDER BY ts, message_id) AS session_id,
        first(anonymous_id ORDER BY ts, message_id) AS anonymous_id,
        first(user_id ORDER BY ts, message_id) FILTER (WHERE user_id IS NOT NULL) AS user_id,
        min(ts) AS started_at, max(ts) AS ended_at, count(*)::INTEGER AS hits,
        first(traffic_key ORDER BY ts, message_id) AS traffic_key,
        first(page_url ORDER BY ts, message_id) AS landing_url,
        first(page_referrer ORDER BY ts, message_id) AS referrer,
        first(device ORDER BY ts, message_id) AS device,
        first(country ORDER BY ts, message_id) AS country
      FROM numbered GROUP BY visitor_key, session_no
    )
    SELECT g.session_id, g.visitor_key, g.anonymous_id, g.user_id, g.started_at, g.ended_at, g.hits, g.traffic_key,
      t.channel, t.source, t.medium, t.campaign, g.landing_url, g.referrer, g.device, g.country, hash(g.user_id, g.anonymous_id)
    FROM grouped g JOIN traffic_channels t USING (traffic_key)`;
}

/** Touches of the affected visitors: every session start, and every event with an explicit channel. */
export function insertTouchesSql(dialect: Dialect): Sql {
  return sql`
    INSERT INTO touches
    SELECT s.session_id, s.visitor_key, s.anonymous_id, s.user_id, s.started_at, 'session', NULL, s.channel, s.source, s.medium, s.campaign, s.vk
    FROM sessions s WHERE s.visitor_key IN (SELECT visitor_key FROM derive_affected)
    UNION ALL
    SELECT h.message_id, h.visitor_key, h.anonymous_id, h.user_id, h.ts, 'event', h.event, t.channel, t.source, t.medium, t.campaign, hash(h.user_id, h.anonymous_id)
    FROM (${trafficHitsSql(dialect, AFFECTED)}) h JOIN traffic_channels t USING (traffic_key)
    WHERE h.type = 'track'`;
}

export const readStateSql = (key: string): Sql => sql`SELECT value FROM derive_state WHERE key = ${key}`;
export const writeStateSql = (key: string, value: string): Sql => sql`INSERT OR REPLACE INTO derive_state VALUES (${key}, ${value})`;
export const maxReceivedSql = (): Sql => sql`SELECT epoch_ms(max(received_at)) AS at FROM events`;
export const clearDerivedSql = (): Sql[] => [
  sql`DELETE FROM sessions`,
  sql`DELETE FROM touches`,
  sql`DELETE FROM traffic_channels`,
  sql`DELETE FROM conversion_events`,
  sql`DELETE FROM derive_state`,
];

/** Key in `derive_state` of the JSON list of event names `conversion_events` holds. */
export const COPIED_CONVERSIONS = 'conversions.events';

/** The track event names conversion definitions name, sorted. */
export const conversionEventNamesSql = (): Sql => sql`SELECT DISTINCT event FROM conversion_definitions ORDER BY event`;

/**
 * Deletes the copies of events received since `sinceMs` (all when null), to copy them again, and
 * those older than every stored event (events past the retention period, deleted since).
 */
export function deleteCopiedConversionsSql(sinceMs: number | null): Sql {
  const since = sinceMs === null ? sql`TRUE` : sql`received_at >= ${new Date(sinceMs)}`;
  return sql`DELETE FROM conversion_events
    WHERE ${since} OR timestamp < (SELECT coalesce(min(timestamp), 'infinity'::TIMESTAMP) FROM events)`;
}

/** Copies the track events named `names` received since `sinceMs` (all when null) into `conversion_events`. */
export function copyConversionsSql(names: readonly string[], sinceMs: number | null): Sql {
  const since = sinceMs === null ? sql`TRUE` : sql`e.received_at >= ${new Date(sinceMs)}`;
  return sql`INSERT INTO conversion_events
    SELECT e.source_id, e.message_id, e.event, e.user_id, e.anonymous_id, e.timestamp, e.received_at, e.revenue, e.properties
    FROM events e WHERE e.type = 'track' AND list_contains(${[...names]}::VARCHAR[], e.event) AND ${since}`;
}

/** The copied event names and the derive watermark (epoch ms), each null when not written yet. */
export const conversionCopyStateSql = (watermarkKey: string): Sql => sql`
  SELECT (SELECT value FROM derive_state WHERE key = ${COPIED_CONVERSIONS}) AS events,
    (SELECT value FROM derive_state WHERE key = ${watermarkKey}) AS watermark`;
