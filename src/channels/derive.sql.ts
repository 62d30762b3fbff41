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

/**
 * The visitors with session-relevant events received after `afterMs` (all when null) and up to
 * `upToMs`, into a temp table, each with the window of its rows to derive again, in the
 * (timestamp, message id) order sessions are cut in. Every statement of a run reads only events
 * received up to `upToMs`, so the derived rows always stand for exactly the events up to the
 * watermark.
 *
 * Whether a hit starts a session depends only on the hits before it (the gap since the previous
 * hit, the last traffic source since the last gap), so new hits change nothing before them: the
 * visitor's sessions are derived again from its last session that began before the earliest new
 * hit, `(from_ts, from_id)`, or from that hit when there is none; that session may grow.
 *
 * Events are read from `(read_ts, read_id)`. When that session is the visitor's last, the part of
 * it before the earliest new hit stands in as one row (`derive_seeds`), so only events from that
 * hit on are read with their traffic fields: a session's first hit gives its source, landing page
 * and device, and nothing later changes the source state a later hit is compared with. The seed
 * sits at the last of those hits and carries their count and first user: the session row's own
 * values when all its hits precede the new ones (live traffic), else a narrow count of its hits
 * before them (`derive_reread`). A visitor with a long history thus costs its new events.
 */
export function collectAffectedVisitorsSql(afterMs: number | null, upToMs: number): Sql[] {
  const upTo = new Date(upToMs);
  const isNew = afterMs === null ? sql`e.received_at <= ${upTo}` : sql`e.received_at > ${new Date(afterMs)} AND e.received_at <= ${upTo}`;
  return [
    sql`
    CREATE OR REPLACE TEMP TABLE derive_affected AS
    WITH fresh AS (
      SELECT ${VISITOR_KEY} AS visitor_key, min(e.timestamp) AS first_new FROM events e
      WHERE (e.type IN ('page', 'screen') OR (e.type = 'track' AND e.channel IS NOT NULL)) AND ${isNew}
      GROUP BY 1
    ),
    known AS (
      SELECT s.visitor_key, s.started_at, s.session_id, s.ended_at, f.first_new FROM sessions s JOIN fresh f USING (visitor_key)
    ),
    prior AS (
      SELECT visitor_key, max(started_at) AS started_at FROM known WHERE started_at < first_new GROUP BY 1
    ),
    prior_session AS (
      -- Two sessions may start at the same time: the first of them in message id order.
      SELECT k.visitor_key, k.started_at, min(k.session_id) AS session_id, max(k.ended_at) AS ended_at, count(*) AS starting
      FROM known k JOIN prior p ON k.visitor_key = p.visitor_key AND k.started_at = p.started_at
      GROUP BY ALL
    ),
    latest AS (
      SELECT visitor_key, max(started_at) AS started_at FROM known GROUP BY 1
    )
    SELECT visitor_key, first_new, from_ts, from_id, seeded, seeded AND ended_at >= first_new AS split,
      CASE WHEN seeded THEN first_new ELSE from_ts END AS read_ts, CASE WHEN seeded THEN '' ELSE from_id END AS read_id
    FROM (
      SELECT f.visitor_key, f.first_new, p.ended_at,
        coalesce(p.started_at, f.first_new) AS from_ts, coalesce(p.session_id, '') AS from_id,
        -- The session before the new hits is the visitor's latest (and the only one starting then).
        coalesce(p.started_at = l.started_at AND p.starting = 1, FALSE) AS seeded
      FROM fresh f LEFT JOIN prior_session p USING (visitor_key) LEFT JOIN latest l USING (visitor_key)
    )`,
    // For a session cut by the new hits, its hits before them: how many, the last, the first user
    // (a narrow scan: no traffic fields are parsed).
    sql`
    CREATE OR REPLACE TEMP TABLE derive_reread AS
    SELECT a.visitor_key, count(*) AS hits, max(e.timestamp) AS last_ts,
      first(e.user_id ORDER BY e.timestamp, e.message_id) FILTER (WHERE e.user_id IS NOT NULL) AS first_user
    FROM events e JOIN derive_affected a ON a.split AND a.visitor_key = ${VISITOR_KEY}
    WHERE e.type IN ('page', 'screen') AND e.timestamp >= (SELECT min(from_ts) FROM derive_affected WHERE split)
      AND (e.timestamp > a.from_ts OR (e.timestamp = a.from_ts AND e.message_id >= a.from_id)) AND e.timestamp < a.first_new
      AND e.received_at <= ${upTo}
    GROUP BY 1`,
    sql`
    CREATE OR REPLACE TEMP TABLE derive_seeds AS
    SELECT s.visitor_key, s.session_id, s.started_at, s.anonymous_id, s.traffic_key, s.landing_url, s.referrer, s.device, s.country,
      CASE WHEN a.split THEN r.first_user ELSE s.user_id END AS user_id,
      CASE WHEN a.split THEN r.last_ts ELSE s.ended_at END AS seed_ts,
      CASE WHEN a.split THEN r.hits ELSE s.hits END AS seed_hits
    FROM sessions s JOIN derive_affected a ON a.seeded AND s.visitor_key = a.visitor_key AND s.started_at = a.from_ts AND s.session_id = a.from_id
    LEFT JOIN derive_reread r ON r.visitor_key = a.visitor_key`,
  ];
}

export const dropAffectedSql = (): Sql[] =>
  ['derive_affected', 'derive_reread', 'derive_seeds', 'derive_hits'].map((t) => sql`DROP TABLE IF EXISTS ${raw(t)}`);

/** Whether a row (time column `ts`, id column `id`, visitor key `key`) lies in its visitor's window from `(ts, id)` columns of `derive_affected`. */
function inWindow(key: Sql, ts: Sql, id: Sql, from: 'from' | 'read'): Sql {
  const [fromTs, fromId] = [raw(`a.${from}_ts`), raw(`a.${from}_id`)];
  return sql`EXISTS (SELECT 1 FROM derive_affected a WHERE a.visitor_key = ${key} AND (${ts} > ${fromTs} OR (${ts} = ${fromTs} AND ${id} >= ${fromId})))`;
}

/** Events up to `upToMs` to read again (the time bound lets the scan skip older row groups). */
const affected = (upToMs: number): Sql =>
  sql`e.timestamp >= (SELECT min(read_ts) FROM derive_affected) AND e.received_at <= ${new Date(upToMs)} AND ${inWindow(VISITOR_KEY, raw('e.timestamp'), raw('e.message_id'), 'read')}`;

/**
 * The traffic hits to derive from, read once into a temp table for the three statements that use
 * them (classifying new keys, sessions, touches): parsing their URLs and context is most of a
 * run's work. A rebuild, which reads every event, passes the query instead (`hitsQuery`).
 */
export const stageHitsSql = (dialect: Dialect, upToMs: number): Sql =>
  sql`CREATE OR REPLACE TEMP TABLE derive_hits AS ${trafficHitsSql(dialect, affected(upToMs))}`;

/**
 * The hits of a run: the staged table (a run over new events), or for a rebuild, which derives
 * every visitor from its first hit, the query over all events up to `upToMs`.
 */
export const hitsQuery = (dialect: Dialect, upToMs: number, staged: boolean): Sql =>
  staged ? sql`SELECT * FROM derive_hits` : trafficHitsSql(dialect, sql`e.received_at <= ${new Date(upToMs)}`);

/** Whether a traffic key (`trafficHitsSql`) names a source: utm source or medium, an external referrer, a click id. */
const KEY_HAS_SOURCE = (key: string): Sql =>
  raw(`list_bool_or([f <> '' FOR f IN list_select(string_split(${key}, chr(31)), [2, 3, 5, 6])])`);

/** Traffic keys of affected visitors that have no channel yet, with the fields to classify. */
export function unclassifiedTrafficKeysSql(hits: Sql): Sql {
  return sql`
    SELECT DISTINCT traffic_key, explicit_channel, utm_source, utm_medium, utm_campaign, ext_referrer, click_id
    FROM (${hits}) h
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

/** Sessions and touches in the re-derivation windows, to derive them again. */
export const deleteAffectedSql = (table: 'sessions' | 'touches'): Sql =>
  table === 'sessions'
    ? sql`DELETE FROM sessions s WHERE ${inWindow(raw('s.visitor_key'), raw('s.started_at'), raw('s.session_id'), 'from')}`
    : // Session touches go with their sessions; event touches with the events read again.
      sql`DELETE FROM touches t WHERE CASE WHEN t.kind = 'session'
        THEN ${inWindow(raw('t.visitor_key'), raw('t.occurred_at'), raw('t.touch_id'), 'from')}
        ELSE ${inWindow(raw('t.visitor_key'), raw('t.occurred_at'), raw('t.touch_id'), 'read')} END`;

/**
 * Sessions of the affected visitors' windows, derived from their page/screen views: a new session
 * starts after 30 minutes without a hit, or when a hit brings a traffic source (utm tags, an
 * external referrer, an ad click id) other than the session's current one (GA's convention).
 */
export function insertSessionsSql(hits: Sql, timeoutMinutes: number): Sql {
  const gap = raw(`INTERVAL ${Math.max(1, Math.floor(timeoutMinutes))} MINUTE`);
  return sql`
    INSERT INTO sessions
    WITH hits AS (
      SELECT * FROM (${hits}) WHERE type IN ('page', 'screen')
      UNION ALL BY NAME
      -- The part of a session before the new hits as one hit, with its first hit's fields and source.
      SELECT session_id AS message_id, 'page' AS type, seed_ts AS ts, visitor_key, anonymous_id, user_id, traffic_key,
        ${KEY_HAS_SOURCE('traffic_key')} AS has_source, landing_url AS page_url, referrer AS page_referrer, device, country,
        started_at AS seed_started_at, seed_hits
      FROM derive_seeds
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
        min(coalesce(seed_started_at, ts)) AS started_at, max(ts) AS ended_at, sum(coalesce(seed_hits, 1))::INTEGER AS hits,
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

/** Touches of the affected visitors' windows: every session start, and every event with an explicit channel. */
export function insertTouchesSql(hits: Sql): Sql {
  return sql`
    INSERT INTO touches
    SELECT s.session_id, s.visitor_key, s.anonymous_id, s.user_id, s.started_at, 'session', NULL, s.channel, s.source, s.medium, s.campaign, s.vk
    FROM sessions s WHERE ${inWindow(raw('s.visitor_key'), raw('s.started_at'), raw('s.session_id'), 'from')}
    UNION ALL
    SELECT h.message_id, h.visitor_key, h.anonymous_id, h.user_id, h.ts, 'event', h.event, t.channel, t.source, t.medium, t.campaign, hash(h.user_id, h.anonymous_id)
    FROM (${hits}) h JOIN traffic_channels t USING (traffic_key)
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
