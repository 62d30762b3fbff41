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

/**
 * Every journey as one row: a touch belongs to the journey numbered by its person's conversions
 * strictly before it (so a touch at the same instant as a conversion leads to that conversion),
 * and each (person, journey number) is grouped into its conversion (0 or 1), value, end (the
 * conversion time, or for the trailing null journey its last touch), first touch and the list of
 * its touches. Conversions are few: each person's sorted list of them is joined to the touches
 * (a null list for most people: the lambda is then free; a CASE around it cost 40% more), and
 * conversions with no touch come in through the outer join. No sort of the touches: 2x less CPU than numbering them with a window over 10M rows.
 * Columns: person_key, journey_no, conversions, value, end_at, first_at, steps (list of {t, l};
 * null for a conversion without touches).
 */
export function journeysSql(dialect: Dialect, q: JourneyQuery): Sql {
  const lookbackMs = Math.round(q.lookbackDays * 86_400_000);
  const touchFrom = q.from === null ? sql`TRUE` : sql`t.occurred_at >= ${new Date(q.from - lookbackMs)}`;
  const touchTo = q.to === null ? sql`TRUE` : sql`t.occurred_at < ${new Date(q.to)}`;
  const convTo = q.to === null ? sql`TRUE` : sql`e.timestamp < ${new Date(q.to)}`;
  const touches = sql`(SELECT * FROM touches t WHERE ${touchFrom} AND ${touchTo})`;
  const conversions = sql`(SELECT * FROM events e WHERE e.type = 'track' AND e.event = ${q.conversionEvent} AND ${convTo})`;
  return sql`
    WITH person_conversions AS (
      SELECT hash(e.person_id) AS person_key, list_sort(list(struct_pack(t := e.timestamp, v := ${valueOf(dialect, q.valueProperty)}))) AS convs
      FROM ${eventsWithPersonSql(dialect, { events: conversions })} AS e
      GROUP BY 1
    ),
    touch_journeys AS (
      -- Grouping on a 64-bit hash of the person id is far faster than on the string.
      SELECT t.person_key, coalesce(len(list_filter(c.convs, x -> x.t < t.ts)), 0) AS journey_no,
        list(struct_pack(t := t.ts, l := t.label)) AS steps, min(t.ts) AS first_at, max(t.ts) AS last_at
      FROM (SELECT hash(t.person_id) AS person_key, t.occurred_at AS ts, ${labelOf(q.granularity)} AS label
            FROM ${eventsWithPersonSql(dialect, { events: touches })} AS t) AS t
      LEFT JOIN person_conversions c USING (person_key)
      GROUP BY 1, 2
    ),
    conversion_journeys AS (
      SELECT person_key, unnest(range(0, len(convs))) AS journey_no, unnest(convs) AS c FROM person_conversions
    )
    SELECT coalesce(g.person_key, cj.person_key) AS person_key, coalesce(g.journey_no, cj.journey_no) AS journey_no,
      CASE WHEN cj.c IS NULL THEN 0 ELSE 1 END AS conversions,
      -- max over the journey's rows as before: touches counted 0.0 against the conversion's value.
      CASE WHEN cj.c IS NULL THEN 0.0 WHEN g.steps IS NULL THEN cj.c.v ELSE greatest(cj.c.v, 0.0) END AS value,
      coalesce(cj.c.t, g.last_at) AS end_at, g.first_at, g.steps
    FROM touch_journeys g FULL OUTER JOIN conversion_journeys cj ON g.person_key = cj.person_key AND g.journey_no = cj.journey_no`;
}

/** A journey's steps inside the lookback window before its end, in time order. */
function stepsInWindow(q: JourneyQuery): Sql {
  const lookback = raw(`INTERVAL ${Math.round(q.lookbackDays * 86_400)} SECOND`);
  // Sorting each small list beats an ORDER BY inside the aggregate (4x on 2M touches); the
  // lambda only runs for the journeys that start before the window.
  return sql`CASE WHEN first_at >= end_at - ${lookback} THEN list_sort(steps)
    ELSE list_sort(list_filter(coalesce(steps, []), x -> x.t >= end_at - ${lookback})) END`;
}

/**
 * The journeys a report counts, one row each: those ending in [from, to) (null journeys only when
 * `includeNulls`), with `steps` cut to the lookback window before the end and in time order —
 * the one definition attribution and the path views (src/analytics) share, so they agree.
 * Columns: person_key, journey_no, conversions (0 or 1), value, end_at, steps (list of {t, l}).
 */
export function windowedJourneysSql(dialect: Dialect, q: JourneyQuery): Sql {
  const from = q.from === null ? sql`TRUE` : sql`end_at >= ${new Date(q.from)}`;
  const keepNulls = q.includeNulls ? sql`TRUE` : sql`conversions = 1`;
  return sql`
    SELECT person_key, journey_no, conversions, value, end_at, ${stepsInWindow(q)} AS steps
    FROM (${journeysSql(dialect, q)}) AS journeys
    WHERE ${from} AND ${keepNulls}`;
}

/**
 * Unique paths with conversions, value and null counts: `path` is the steps joined by
 * STEP_SEPARATOR ('' for a conversion with no touch in the window).
 */
export function pathAggregateSql(dialect: Dialect, q: JourneyQuery): Sql {
  return sql`
    SELECT path, sum(conversions)::DOUBLE AS conversions, sum(value)::DOUBLE AS value, sum(1 - conversions)::DOUBLE AS nulls
    FROM (
      SELECT conversions, value, array_to_string(list_transform(steps, x -> x.l), ${STEP_SEPARATOR}) AS path
      FROM (${windowedJourneysSql(dialect, q)})
    )
    GROUP BY path ORDER BY path`;
}

/**
 * Time-decay credit per label, computed in the engine (it needs each touch's age, which the
 * path aggregate drops): weight 2^(−Δt/halfLife) with Δt = conversion time − touch time, shares
 * normalised per journey, summed over journeys for conversions and value.
 */
export function timeDecaySql(dialect: Dialect, q: JourneyQuery, halfLifeDays: number): Sql {
  const from = q.from === null ? sql`TRUE` : sql`end_at >= ${new Date(q.from)}`;
  const halfLifeMs = halfLifeDays * 86_400_000;
  return sql`
    WITH journeys AS (${journeysSql(dialect, q)}),
    weighted AS (
      SELECT value, list_transform(${stepsInWindow(q)}, x -> struct_pack(l := x.l, w := pow(2, -(epoch_ms(end_at) - epoch_ms(x.t)) / ${halfLifeMs}))) AS steps
      FROM journeys WHERE conversions = 1 AND ${from}
    ),
    shares AS (
      SELECT value, unnest(steps) AS step, list_sum(list_transform(steps, x -> x.w)) AS total FROM weighted WHERE len(steps) > 0
    )
    SELECT step.l AS channel, sum(step.w / total)::DOUBLE AS conversions, sum(step.w / total * value)::DOUBLE AS value
    FROM shares GROUP BY 1 ORDER BY 1`;
}

/** Spend per label over [from, to): by channel or by campaign (source/medium has no spend). */
export function spendByLabelSql(q: JourneyQuery): Sql | null {
  if (q.granularity === 'source_medium') return null;
  const label = q.granularity === 'channel' ? raw('channel') : raw('campaign');
  const from = q.from === null ? sql`TRUE` : sql`date >= ${new Date(q.from)}::DATE`;
  const to = q.to === null ? sql`TRUE` : sql`date < ${new Date(q.to)}::DATE`;
  return sql`SELECT ${label} AS label, sum(spend)::DOUBLE AS spend FROM spend WHERE ${from} AND ${to} GROUP BY 1`;
}
