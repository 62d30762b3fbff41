import { raw, sql, type Dialect, type Sql } from '../store/index.ts';
import { eventsWithPersonSql } from '../identity/index.ts';

/**
 * Journeys in the engine: a person's touches after their previous conversion and within the
 * lookback window before a conversion, aggregated to unique paths. Touches after a person's last
 * conversion form a null journey (limited to the lookback window before its last touch). Only
 * the compact aggregate comes back to Node.
 */
export type JourneyGranularity = 'channel' | 'campaign' | 'source_medium';

export interface JourneyQuery {
  /** Conversion event name (track `event`). */
  readonly conversionEvent: string;
  /** JSON property holding the value; `revenue` uses the typed column. */
  readonly valueProperty: string;
  readonly lookbackDays: number;
  /** Conversions (and null journeys' last touch) in [from, to) — epoch ms; null: unbounded. */
  readonly from: number | null;
  readonly to: number | null;
  readonly granularity: JourneyGranularity;
  readonly includeNulls: boolean;
}

/** Unit separator: joins path steps in SQL; never part of a channel or campaign name. */
export const STEP_SEPARATOR = '\u001f';

function labelOf(granularity: JourneyGranularity): Sql {
  switch (granularity) {
    case 'channel':
      return raw('t.channel');
    case 'campaign':
      return raw(`coalesce(t.campaign, '(' || lower(t.channel) || ')')`);
    case 'source_medium':
      return raw(`t.source || ' / ' || t.medium`);
  }
}

function valueOf(dialect: Dialect, property: string): Sql {
  return property === 'revenue' ? raw('coalesce(e.revenue, 0)') : sql`coalesce(${dialect.jsonNumber(raw('e.properties'), [property])}, 0)`;
}

/** The ordered touch and conversion rows of every person, numbered by journey. */
function sequenceSql(dialect: Dialect, q: JourneyQuery): Sql {
  const lookbackMs = Math.round(q.lookbackDays * 86_400_000);
  const touchFrom = q.from === null ? sql`TRUE` : sql`t.occurred_at >= ${new Date(q.from - lookbackMs)}`;
  const touchTo = q.to === null ? sql`TRUE` : sql`t.occurred_at < ${new Date(q.to)}`;
  const convTo = q.to === null ? sql`TRUE` : sql`e.timestamp < ${new Date(q.to)}`;
  const touches = sql`(SELECT * FROM touches t WHERE ${touchFrom} AND ${touchTo})`;
  const conversions = sql`(SELECT * FROM events e WHERE e.type = 'track' AND e.event = ${q.conversionEvent} AND ${convTo})`;
  return sql`
    WITH rows AS (
      SELECT t.person_id, t.occurred_at AS ts, 0 AS is_conv, ${labelOf(q.granularity)} AS label, 0.0 AS value
      FROM ${eventsWithPersonSql(dialect, { events: touches })} AS t
      UNION ALL
      SELECT e.person_id, e.timestamp AS ts, 1 AS is_conv, NULL AS label, ${valueOf(dialect, q.valueProperty)} AS value
      FROM ${eventsWithPersonSql(dialect, { events: conversions })} AS e
    )
    SELECT *, coalesce(sum(is_conv) OVER (PARTITION BY person_id ORDER BY ts, is_conv
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS journey_no,
           sum(is_conv) OVER (PARTITION BY person_id) AS person_conversions
    FROM rows`;
}

/**
 * Unique paths with conversions, value and null counts: `path` is the steps joined by
 * STEP_SEPARATOR ('' for a conversion with no touch in the window).
 */
export function pathAggregateSql(dialect: Dialect, q: JourneyQuery): Sql {
  const lookback = raw(`INTERVAL ${Math.round(q.lookbackDays * 86_400)} SECOND`);
  const convFrom = q.from === null ? sql`TRUE` : sql`c.ts >= ${new Date(q.from)}`;
  const nullFrom = q.from === null ? sql`TRUE` : sql`last_at >= ${new Date(q.from)}`;
  const nulls = q.includeNulls
    ? sql`
      UNION ALL
      SELECT path, 0 AS conversions, 0.0 AS value, 1 AS nulls FROM (
        SELECT person_id, string_agg(label, ${STEP_SEPARATOR} ORDER BY ts) AS path, max(ts) AS last_at
        FROM (
          SELECT s.*, max(ts) OVER (PARTITION BY person_id) AS person_last
          FROM seq s
          WHERE is_conv = 0 AND journey_no = person_conversions
        )
        WHERE ts >= person_last - ${lookback}
        GROUP BY person_id
      ) WHERE ${nullFrom}`
    : sql``;
  return sql`
    WITH seq AS (${sequenceSql(dialect, q)}),
    converted AS (
      SELECT c.person_id, c.journey_no, c.value,
        coalesce(string_agg(t.label, ${STEP_SEPARATOR} ORDER BY t.ts), '') AS path
      FROM seq c
      LEFT JOIN seq t ON t.person_id = c.person_id AND t.journey_no = c.journey_no AND t.is_conv = 0 AND t.ts >= c.ts - ${lookback}
      WHERE c.is_conv = 1 AND ${convFrom}
      GROUP BY c.person_id, c.journey_no, c.value
    ),
    journeys AS (
      SELECT path, 1 AS conversions, value, 0 AS nulls FROM converted
      ${nulls}
    )
    SELECT path, sum(conversions)::DOUBLE AS conversions, sum(value)::DOUBLE AS value, sum(nulls)::DOUBLE AS nulls
    FROM journeys GROUP BY path ORDER BY path`;
}

/**
 * Time-decay credit per label, computed in the engine (it needs each touch's age, which the
 * path aggregate drops): weight 2^(−Δt/halfLife) with Δt = conversion time − touch time, shares
 * normalised per journey, summed over journeys for conversions and value.
 */
export function timeDecaySql(dialect: Dialect, q: JourneyQuery, halfLifeDays: number): Sql {
  const lookback = raw(`INTERVAL ${Math.round(q.lookbackDays * 86_400)} SECOND`);
  const convFrom = q.from === null ? sql`TRUE` : sql`c.ts >= ${new Date(q.from)}`;
  const halfLifeMs = halfLifeDays * 86_400_000;
  return sql`
    WITH seq AS (${sequenceSql(dialect, q)}),
    weighted AS (
      SELECT c.person_id, c.journey_no, c.value, t.label,
        pow(2, -(epoch_ms(c.ts) - epoch_ms(t.ts)) / ${halfLifeMs}) AS w
      FROM seq c
      JOIN seq t ON t.person_id = c.person_id AND t.journey_no = c.journey_no AND t.is_conv = 0 AND t.ts >= c.ts - ${lookback}
      WHERE c.is_conv = 1 AND ${convFrom}
    ),
    shares AS (
      SELECT label, value, w / sum(w) OVER (PARTITION BY person_id, journey_no) AS share FROM weighted
    )
    SELECT label AS channel, sum(share)::DOUBLE AS conversions, sum(share * value)::DOUBLE AS value
    FROM shares GROUP BY label ORDER BY label`;
}

/** Spend per label over [from, to): by channel or by campaign (source/medium has no spend). */
export function spendByLabelSql(q: JourneyQuery): Sql | null {
  if (q.granularity === 'source_medium') return null;
  const label = q.granularity === 'channel' ? raw('channel') : raw('campaign');
  const from = q.from === null ? sql`TRUE` : sql`date >= ${new Date(q.from)}::DATE`;
  const to = q.to === null ? sql`TRUE` : sql`date < ${new Date(q.to)}::DATE`;
  return sql`SELECT ${label} AS label, sum(spend)::DOUBLE AS spend FROM spend WHERE ${from} AND ${to} GROUP BY 1`;
}
