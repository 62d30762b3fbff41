import { join, raw, sql, type Dialect, type Sql } from '../store/index.ts';
// The one journey definition attribution uses (touches after the previous conversion within the
// lookback; trailing null journeys), so that paths and attribution agree.
import { journeyCtesSql, journeyPathsSql, labelName, stepLabelNo, stepMs, type JourneyQuery } from '../attribution/index.ts';
import { CONVERSION_NODE, DAY_BINS, DROP_NODE, TOUCH_BINS, type Bin } from './paths.ts';

/**
 * Path views over attribution's journeys, aggregated in the engine; only the top paths, a
 * handful of distribution figures or the Sankey links come back.
 */

/**
 * Unique paths (touch labels joined by STEP_SEPARATOR) with conversions, nulls and value; rows:
 * `total` (sums over every journey, `paths` = distinct non-empty paths), `none` (conversions with
 * no touch in the window), and the top `limit` paths by conversions (`converting`) and by nulls
 * (`non_converting`), ties by path.
 */
export function topPathsSql(dialect: Dialect, q: JourneyQuery, limit: number): Sql {
  const n = Math.max(1, Math.floor(limit));
  return sql`
    WITH ${journeyCtesSql(dialect, { ...q, includeNulls: true })},
    agg AS MATERIALIZED (${journeyPathsSql()})
    SELECT 'total' AS kind, NULL AS path, coalesce(sum(conversions), 0)::DOUBLE AS conversions, coalesce(sum(nulls), 0)::DOUBLE AS nulls,
      coalesce(sum(value), 0)::DOUBLE AS value, count(*) FILTER (WHERE path <> '') AS paths FROM agg
    UNION ALL SELECT 'none', path, conversions, nulls, value, 0 FROM agg WHERE path = ''
    UNION ALL (SELECT 'converting', path, conversions, nulls, value, 0 FROM agg WHERE path <> '' AND conversions > 0 ORDER BY conversions DESC, path LIMIT ${n})
    UNION ALL (SELECT 'non_converting', path, conversions, nulls, value, 0 FROM agg WHERE path <> '' AND nulls > 0 ORDER BY nulls DESC, path LIMIT ${n})`;
}

function binCounts(expr: Sql, bins: readonly Bin[], prefix: string): Sql {
  return join(
    bins.map((b, i) => {
      const upper = b.to === null ? sql`TRUE` : sql`${expr} < ${b.to}`;
      return sql`count(*) FILTER (WHERE ${expr} >= ${b.from} AND ${upper}) AS ${raw(`${prefix}${i}`)}`;
    }),
  );
}

/**
 * Converting journeys with at least one touch: days from the first touch (in the window) to the
 * conversion and touches per journey — median and p90 (quantile_cont), mean, and histogram
 * counts per bin (`d0`.. over whole days, `k0`.. over touches); `without_touches` counts the
 * conversions with no touch.
 */
export function pathTimingSql(dialect: Dialect, q: JourneyQuery): Sql {
  const days = raw('days');
  const touches = raw('touches');
  // Means from exact integer sums (milliseconds, touch counts): the same figures whatever the
  // engine's summation order.
  return sql`
    WITH ${journeyCtesSql(dialect, { ...q, includeNulls: false })}
    SELECT count(days) AS journeys, count(*) FILTER (WHERE touches = 0) AS without_touches,
      quantile_cont(days, [0.5, 0.9]) AS days_q, avg(ms) / 86400000.0 AS days_mean,
      quantile_cont(touches, [0.5, 0.9]) FILTER (WHERE touches > 0) AS touches_q, avg(touches) FILTER (WHERE touches > 0) AS touches_mean,
      ${binCounts(raw('floor(days)'), DAY_BINS, 'd')}, ${binCounts(touches, TOUCH_BINS, 'k')}
    FROM (
      SELECT touches, ms, ms / 86400000.0 AS ${days}
      FROM (
        SELECT len(steps) AS touches, CASE WHEN len(steps) > 0 THEN epoch_ms(end_at) - ${stepMs(raw('steps[1]'))} END AS ms
        FROM windowed_journeys
      )
    )`;
}

/**
 * Sankey links of journeys with at least one touch, cut at `depth` steps: (k, src, dst) from
 * step k to step k+1, and from the last kept step to "conversion" or "drop" (`terminal`),
 * each with the number of journeys.
 */
export function pathFlowsSql(dialect: Dialect, q: JourneyQuery, depth: number): Sql {
  const d = Math.max(1, Math.floor(depth));
  // Grouped on label numbers (-1: conversion, -2: drop), named once per link.
  return sql`
    WITH ${journeyCtesSql(dialect, { ...q, includeNulls: true })}
    SELECT k, ${labelName(raw('src'))} AS src,
      CASE dst WHEN -1 THEN ${CONVERSION_NODE} WHEN -2 THEN ${DROP_NODE} ELSE ${labelName(raw('dst'))} END AS dst, terminal, journeys
    FROM (
      SELECT k, nos[k] AS src, k = len(nos) AS terminal,
        CASE WHEN k < len(nos) THEN nos[k + 1] WHEN conversions = 1 THEN -1 ELSE -2 END AS dst, count(*)::DOUBLE AS journeys
      FROM (
        SELECT nos, conversions, unnest(range(1, len(nos) + 1)) AS k
        FROM (SELECT list_transform(steps, x -> ${stepLabelNo(raw('x'))})[1:${d}] AS nos, conversions FROM windowed_journeys WHERE len(steps) > 0)
      )
      GROUP BY ALL
    ), journey_label_names`;
}
