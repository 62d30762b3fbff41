import { ident, sql, type Sql } from '../store/index.ts';
import { ACTIVITY_TABLES } from './kpis-activity.sql.ts';

/**
 * The event catalog: which track events, page views and screen views exist, how often, and which
 * property keys they carry. Counting keys means parsing every event's properties (seconds at a
 * million events), so a small roll-up keeps the counts instead:
 *
 *   analytics_event_catalog (received_hour, day, type, name, key, n)
 *
 * one row per hour of receipt, day of the event, (type, name) and top-level property key, with
 * `key` NULL for the row that counts the events themselves. A catalog request sums the rows of its
 * days (a few thousand at most). Each refresh counts the events received after its watermark and
 * up to `store.receipts.settled()` (so an event write still under way is counted by a later run,
 * never twice), then merges the rows of the receipt hours it touched into one row per key.
 */
export const CATALOG_TABLE = 'analytics_event_catalog';

/** Key in `analytics_state` of the received_at (epoch ms) up to which the catalog is counted. */
export const CATALOG_WATERMARK = 'catalog.received_at';

const T = ident(CATALOG_TABLE);
const STATE = ident(ACTIVITY_TABLES.state);

export const readCatalogWatermarkSql = (): Sql => sql`SELECT value FROM ${STATE} WHERE key = ${CATALOG_WATERMARK}`;
export const writeCatalogWatermarkSql = (ms: number): Sql => sql`INSERT OR REPLACE INTO ${STATE} VALUES (${CATALOG_WATERMARK}, ${String(ms)})`;
export const maxReceivedSql = (): Sql => sql`SELECT epoch_ms(max(received_at)) AS at FROM events`;
export const clearCatalogSql = (): Sql => sql`DELETE FROM ${T}`;

/**
 * Merges the rows of the receipt hours from `hourMs` on into one row per (hour, day, type, name,
 * key): each refresh adds its counts as rows of their own.
 */
export const mergeCatalogHoursSql = (hourMs: number): Sql[] => {
  const from = new Date(hourMs);
  return [
    sql`CREATE OR REPLACE TEMP TABLE catalog_merged AS
      SELECT received_hour, day, type, name, key, sum(n)::BIGINT AS n FROM ${T} WHERE received_hour >= ${from} GROUP BY ALL`,
    sql`DELETE FROM ${T} WHERE received_hour >= ${from}`,
    sql`INSERT INTO ${T} SELECT * FROM catalog_merged ORDER BY received_hour, day`,
    sql`DROP TABLE catalog_merged`,
  ];
};

/**
 * Counts the track, page and screen events received after `afterMs` (all when null) and up to
 * `upToMs`: each event once with key NULL, and once per top-level property key.
 */
export function countCatalogSql(afterMs: number | null, upToMs: number): Sql {
  const since = afterMs === null ? sql`TRUE` : sql`received_at > ${new Date(afterMs)}`;
  return sql`INSERT INTO ${T}
    SELECT received_hour, day, type, name, key, count(*) AS n
    FROM (
      SELECT date_trunc('hour', received_at) AS received_hour, CAST(timestamp AS DATE) AS day, type,
        CASE WHEN type = 'track' THEN event ELSE name END AS name,
        unnest(list_prepend(NULL::VARCHAR, json_keys(properties))) AS key
      FROM events
      WHERE type IN ('track', 'page', 'screen') AND ${since} AND received_at <= ${new Date(upToMs)}
    )
    GROUP BY ALL
    ORDER BY received_hour, day`;
}

export interface CatalogSqlQuery {
  /** First and last day (inclusive), YYYY-MM-DD. */
  readonly from: string;
  readonly to: string;
  /** Property keys listed per event, the most frequent first. */
  readonly topKeys: number;
}

/**
 * Events of the days in range with their counts (`key` NULL) and their `topKeys` most frequent
 * property keys (ties by key), from the roll-up. Rows: type, name, key, n, ordered by the event's
 * count, then name; within an event the count row comes first.
 */
export function catalogSql(q: CatalogSqlQuery): Sql {
  return sql`WITH counted AS (
      SELECT type, name, key, sum(n)::BIGINT AS n FROM ${T}
      WHERE day BETWEEN CAST(${q.from} AS DATE) AND CAST(${q.to} AS DATE)
      GROUP BY ALL
    ), ranked AS (
      SELECT *, row_number() OVER (PARTITION BY type, name ORDER BY key IS NOT NULL, n DESC, key) - 1 AS rank,
        max(CASE WHEN key IS NULL THEN n END) OVER (PARTITION BY type, name) AS total
      FROM counted
    )
    SELECT type, name, key, n FROM ranked
    WHERE rank <= ${q.topKeys}
    ORDER BY total DESC, type, name NULLS FIRST, rank`;
}
