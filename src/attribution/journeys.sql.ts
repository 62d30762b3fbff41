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
  /**
   * Which people may be used (e.g. consent for advertising): a condition on the given person
   * column. Absent: everyone.
   */
  readonly personAllowed?: (personColumn: Sql) => Sql;
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

const allowed = (q: JourneyQuery, person: Sql): Sql => (q.personAllowed ? q.personAllowed(person) : sql`TRUE`);

function valueOf(dialect: Dialect, property: string): Sql {
  return property === 'revenue' ? raw('coalesce(e.revenue, 0)') : sql`coalesce(${dialect.jsonNumber(raw('e.properties'), [property])}, 0)`;
}

/**
 * A step of a journey is one BIGINT: `(epoch ms + STEP_EPOCH_OFFSET_MS) << LABEL_BITS | label
 * number`, the labels numbered in sort order (`journey_labels`). Sorting, filtering and grouping
 * integers instead of {time, label string} structs made every journeys query 20–25% cheaper; a
 * code sorts as the struct did (time, then label). Labels are turned back into names only for
 * the few rows that come back (`journey_label_names`).
 */
export const LABEL_BITS = 20;
/** Keeps the shifted time positive for any time after 1830 (a shift of a negative number is an error). */
export const STEP_EPOCH_OFFSET_MS = 2 ** 42;
const LABEL_MASK = raw(String(2 ** LABEL_BITS - 1));
const BITS = raw(String(LABEL_BITS));
const OFFSET = raw(String(STEP_EPOCH_OFFSET_MS));

/** The label number of a step code. */
export const stepLabelNo = (code: Sql): Sql => sql`(${code} & ${LABEL_MASK})`;
/** The time (epoch ms) of a step code. */
export const stepMs = (code: Sql): Sql => sql`((${code} >> ${BITS}) - ${OFFSET})`;
/** The label of a label number, inside a statement with `journeyCtesSql` whose FROM has `journey_label_names`. */
export const labelName = (no: Sql): Sql => sql`journey_label_names.names[${no} + 1]`;

/**
 * The WITH list every journeys statement starts with. Its relations:
 *
 * - `journeys`: every journey as one row. A touch belongs to the journey numbered by its
 *   person's conversions strictly before it, counted from the first touch read (so a touch at
 *   the same instant as a conversion leads to that conversion), and each (person, journey
 *   number) is grouped into its conversion (0 or 1), value, end (the conversion time, or for the
 *   trailing null journey its last touch), first touch and the list of its steps. Conversions
 *   are few: each person's sorted list of them is joined to the touches (a null list for most
 *   people: the lambda is then free; a CASE around it cost 40% more), and conversions with no
 *   touch come in through the outer join. No sort of the touches: 2x less CPU than numbering
 *   them with a window over 10M rows. Columns: person_key, journey_no, conversions, value,
 *   end_at, first_at, steps (step codes; null for a conversion without touches).
 * - `windowed_journeys`: the journeys a report counts, one row each: those ending in [from, to)
 *   (null journeys only when `includeNulls`), with `steps` cut to the lookback window before the
 *   end and in time order — the one definition attribution and the path views (src/analytics)
 *   share, so they agree. Columns: person_key, journey_no, conversions, value, end_at, steps.
 * - `journey_labels` (label, no) and `journey_label_names` (one row: `names`, the labels by
 *   number, for `labelName`).
 */
export function journeyCtesSql(dialect: Dialect, q: JourneyQuery): Sql {
  const lookbackMs = Math.round(q.lookbackDays * 86_400_000);
  const touchFrom = q.from === null ? sql`TRUE` : sql`t.occurred_at >= ${new Date(q.from - lookbackMs)}`;
  const touchTo = q.to === null ? sql`TRUE` : sql`t.occurred_at < ${new Date(q.to)}`;
  const convTo = q.to === null ? sql`TRUE` : sql`e.timestamp < ${new Date(q.to)}`;
  // Conversions before the first touch read only shift a person's journey numbers (their own
  // journeys have no touch and end before `from`): leaving them out bounds the scan.
  const convFrom = q.from === null ? sql`TRUE` : sql`e.timestamp >= ${new Date(q.from - lookbackMs)}`;
  const touches = sql`(SELECT * FROM touches t WHERE ${touchFrom} AND ${touchTo})`;
  const conversions = sql`(SELECT * FROM events e WHERE e.type = 'track' AND e.event = ${q.conversionEvent} AND ${convFrom} AND ${convTo})`;
  return sql`
    journey_touches AS MATERIALIZED (
      -- Grouping on a 64-bit hash of the person id is far faster than on the string.
      SELECT hash(t.person_id) AS person_key, t.occurred_at AS ts, ${labelOf(q.granularity)} AS label
      FROM ${eventsWithPersonSql(dialect, { events: touches })} AS t
      WHERE ${allowed(q, sql`t.person_id`)}
    ),
    journey_labels AS MATERIALIZED (
      SELECT label, (row_number() OVER (ORDER BY label) - 1)::BIGINT AS no FROM (SELECT DISTINCT label FROM journey_touches)
    ),
    journey_label_names AS (SELECT coalesce(list(label ORDER BY no), []) AS names FROM journey_labels),
    person_conversions AS (
      SELECT hash(e.person_id) AS person_key, list_sort(list(struct_pack(t := e.timestamp, v := ${valueOf(dialect, q.valueProperty)}))) AS convs
      FROM ${eventsWithPersonSql(dialect, { events: conversions })} AS e
      WHERE ${allowed(q, sql`e.person_id`)}
      GROUP BY 1
    ),
    touch_journeys AS (
      SELECT t.person_key, coalesce(len(list_filter(c.convs, x -> x.t < t.ts)), 0) AS journey_no,
        list(((epoch_ms(t.ts) + ${OFFSET}) << ${BITS}) | l.no) AS steps, min(t.ts) AS first_at, max(t.ts) AS last_at
      FROM journey_touches t JOIN journey_labels l USING (label)
      LEFT JOIN person_conversions c USING (person_key)
      GROUP BY 1, 2
    ),
    conversion_journeys AS (
      SELECT person_key, unnest(range(0, len(convs))) AS journey_no, unnest(convs) AS c FROM person_conversions
    ),
    journeys AS (
      SELECT coalesce(g.person_key, cj.person_key) AS person_key, coalesce(g.journey_no, cj.journey_no) AS journey_no,
        CASE WHEN cj.c IS NULL THEN 0 ELSE 1 END AS conversions,
        -- max over the journey's rows as before: touches counted 0.0 against the conversion's value.
        CASE WHEN cj.c IS NULL THEN 0.0 WHEN g.steps IS NULL THEN cj.c.v ELSE greatest(cj.c.v, 0.0) END AS value,
        coalesce(cj.c.t, g.last_at) AS end_at, g.first_at, g.steps
      FROM touch_journeys g FULL OUTER JOIN conversion_journeys cj ON g.person_key = cj.person_key AND g.journey_no = cj.journey_no
    ),
    windowed_journeys AS (
      SELECT person_key, journey_no, conversions, value, end_at, ${stepsInWindow(q)} AS steps
      FROM journeys
      WHERE ${q.from === null ? sql`TRUE` : sql`end_at >= ${new Date(q.from)}`} AND ${q.includeNulls ? sql`TRUE` : sql`conversions = 1`}
    )`;
}

/** A journey's steps inside the lookback window before its end, in time order. */
function stepsInWindow(q: JourneyQuery): Sql {
  const lookback = raw(`INTERVAL ${Math.round(q.lookbackDays * 86_400)} SECOND`);
  const lookbackMs = Math.round(q.lookbackDays * 86_400) * 1000;
  // Sorting each small list beats an ORDER BY inside the aggregate (4x on 2M touches); the
  // lambda only runs for the journeys that start before the window. A step is in the window
  // when its time is, i.e. its code is at least that of the window's start with label 0.
  const windowStart = sql`((epoch_ms(end_at) - ${raw(String(lookbackMs))} + ${OFFSET}) << ${BITS})`;
  return sql`CASE WHEN first_at >= end_at - ${lookback} THEN list_sort(steps)
    ELSE list_sort(list_filter(coalesce(steps, []::BIGINT[]), x -> x >= ${windowStart})) END`;
}

/**
 * Unique paths of `windowed_journeys` (in a statement with `journeyCtesSql`): path (the labels
 * joined by STEP_SEPARATOR, '' without touches), conversions, value, nulls; unordered. Grouped
 * on the label numbers first, then once more on the names ('' is both no touch and one
 * nameless touch, as a string).
 */
export function journeyPathsSql(): Sql {
  const names = sql`list_transform(nos, i -> ${labelName(raw('i'))})`;
  return sql`
    SELECT path, sum(conversions)::DOUBLE AS conversions, sum(value)::DOUBLE AS value, sum(nulls)::DOUBLE AS nulls
    FROM (
      SELECT array_to_string(${names}, ${STEP_SEPARATOR}) AS path, conversions, value, nulls
      FROM (
        SELECT list_transform(steps, x -> ${stepLabelNo(raw('x'))}) AS nos, sum(conversions) AS conversions, sum(value) AS value, sum(1 - conversions) AS nulls
        FROM windowed_journeys GROUP BY 1
      ), journey_label_names
    )
    GROUP BY path`;
}

/**
 * Unique paths with conversions, value and null counts: `path` is the steps joined by
 * STEP_SEPARATOR ('' for a conversion with no touch in the window).
 */
export function pathAggregateSql(dialect: Dialect, q: JourneyQuery): Sql {
  return sql`WITH ${journeyCtesSql(dialect, q)} ${journeyPathsSql()} ORDER BY path`;
}

/**
 * Time-decay credit per label of `windowed_journeys` (converting ones): weight 2^(−Δt/halfLife)
 * with Δt = conversion time − touch time, shares normalised per journey, summed over journeys for
 * conversions and value. Columns channel, conversions, value; unordered.
 */
function timeDecayOf(halfLifeDays: number): Sql {
  const halfLifeMs = halfLifeDays * 86_400_000;
  return sql`
    SELECT ${labelName(raw('l'))} AS channel, conversions, value FROM (
      SELECT step.l AS l, sum(step.w / total)::DOUBLE AS conversions, sum(step.w / total * value)::DOUBLE AS value
      FROM (
        SELECT value, unnest(steps) AS step, list_sum(list_transform(steps, x -> x.w)) AS total
        FROM (
          SELECT value, list_transform(steps, x -> struct_pack(l := ${stepLabelNo(raw('x'))}, w := pow(2, -(epoch_ms(end_at) - ${stepMs(raw('x'))}) / ${halfLifeMs}))) AS steps
          FROM windowed_journeys WHERE conversions = 1
        )
        WHERE len(steps) > 0
      )
      GROUP BY 1
    ), journey_label_names`;
}

/**
 * Time-decay credit per label, computed in the engine (it needs each touch's age, which the
 * path aggregate drops). Columns channel, conversions, value, by channel.
 */
export function timeDecaySql(dialect: Dialect, q: JourneyQuery, halfLifeDays: number): Sql {
  return sql`WITH ${journeyCtesSql(dialect, { ...q, includeNulls: false })} ${timeDecayOf(halfLifeDays)} ORDER BY channel`;
}

/**
 * The path aggregate and the time-decay credit from one computation of the journeys (it is most
 * of the cost of each): rows `part` = 'path' (`path`, conversions, value, nulls; ordered by path
 * as `pathAggregateSql`) then 'time-decay' (`path` = the label, its credited conversions and
 * value, nulls 0; ordered by label).
 */
export function pathsWithTimeDecaySql(dialect: Dialect, q: JourneyQuery, halfLifeDays: number): Sql {
  return sql`WITH ${journeyCtesSql(dialect, q)}
    SELECT 'path' AS part, path, conversions, value, nulls FROM (${journeyPathsSql()})
    UNION ALL
    SELECT 'time-decay' AS part, channel AS path, conversions, value, 0::DOUBLE AS nulls FROM (${timeDecayOf(halfLifeDays)})
    ORDER BY part, path`;
}

/** Spend per label over [from, to): by channel or by campaign (source/medium has no spend). */
export function spendByLabelSql(q: JourneyQuery): Sql | null {
  if (q.granularity === 'source_medium') return null;
  const label = q.granularity === 'channel' ? raw('channel') : raw('campaign');
  const from = q.from === null ? sql`TRUE` : sql`date >= ${new Date(q.from)}::DATE`;
  const to = q.to === null ? sql`TRUE` : sql`date < ${new Date(q.to)}::DATE`;
  return sql`SELECT ${label} AS label, sum(spend)::DOUBLE AS spend FROM spend WHERE ${from} AND ${to} GROUP BY 1`;
}
