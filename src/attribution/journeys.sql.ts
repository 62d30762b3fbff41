import { raw, sql, type Dialect, type Sql } from '../store/index.ts';
import { eventsWithPersonKeySql, eventsWithPersonSql } from '../identity/index.ts';
import { STEP_SEPARATOR } from './input.ts';

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
  /**
   * Conversions received up to this time (epoch ms) are read from `conversion_events`, the copy
   * of the conversion events src/channels derive keeps (a few thousand rows instead of every
   * event); those received later, from `events`. Absent or null: all from `events` (an event no
   * definition names yet, a store derive has not run on). `withConversionCopy` (service) sets it.
   */
  readonly conversionsCopiedThrough?: number | null;
}

export { STEP_SEPARATOR } from './input.ts';

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

/**
 * The touch columns a label is made of. The labels come from their distinct combinations, and a
 * touch finds its label number by a 64-bit hash of them: on the stored dictionaries that is
 * computed once per distinct value, 6x less than a join on the label string.
 */
function labelColumns(granularity: JourneyGranularity): Sql {
  switch (granularity) {
    case 'channel':
      return raw('t.channel');
    case 'campaign':
      return raw('t.campaign, t.channel');
    case 'source_medium':
      return raw('t.source, t.medium');
  }
}

/**
 * Rows of `events` (a relation with user_id and anonymous_id) with their person's 64-bit
 * `person_key`, the people `personAllowed` leaves out dropped. Its condition needs the person id;
 * without one the key comes from `eventsWithPersonKeySql`, which builds no id string. Within one
 * statement every relation takes the same branch, so keys agree.
 */
function withPersonKey(dialect: Dialect, q: JourneyQuery, events: Sql): Sql {
  if (!q.personAllowed) return eventsWithPersonKeySql(dialect, { events });
  return sql`(SELECT p.*, hash(p.person_id) AS person_key FROM ${eventsWithPersonSql(dialect, { events })} AS p WHERE ${q.personAllowed(sql`p.person_id`)})`;
}

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
/** Above every step code. */
const MAX_CODE = 2n ** 63n - 1n;
/**
 * The least step code after a time: a step (whole milliseconds, as event times are) is at or
 * before the time exactly when its code is below this.
 */
const stepBound = (time: Sql): Sql => sql`((epoch_ms(${time}) + 1 + ${OFFSET}) << ${BITS})`;

/** The label of a label number, inside a statement with `journeyCtesSql` whose FROM has `journey_label_names`. */
export const labelName = (no: Sql): Sql => sql`journey_label_names.names[${no} + 1]`;

/**
 * The conversion events of a query in [from − lookback, to): from `conversion_events` (kept by
 * derive) for those received up to `conversionsCopiedThrough`, from `events` for the later ones
 * (a scan the received_at zone maps cut to the row groups appended since). Columns: timestamp,
 * user_id, anonymous_id, revenue, properties.
 */
function conversionRowsSql(q: JourneyQuery, lookbackMs: number): Sql {
  const from = q.from === null ? sql`TRUE` : sql`e.timestamp >= ${new Date(q.from - lookbackMs)}`;
  const to = q.to === null ? sql`TRUE` : sql`e.timestamp < ${new Date(q.to)}`;
  const columns = raw('e.timestamp, e.user_id, e.anonymous_id, e.revenue, e.properties');
  const live = sql`SELECT ${columns} FROM events e WHERE e.type = 'track' AND e.event = ${q.conversionEvent} AND ${from} AND ${to}`;
  if (q.conversionsCopiedThrough === undefined || q.conversionsCopiedThrough === null) return sql`(${live})`;
  const through = new Date(q.conversionsCopiedThrough);
  return sql`(SELECT ${columns} FROM conversion_events e WHERE e.event = ${q.conversionEvent} AND e.received_at <= ${through} AND ${from} AND ${to}
    UNION ALL ${live} AND e.received_at > ${through})`;
}

/**
 * The WITH list every journeys statement starts with. Its relations:
 *
 * - `journey_labels` (label, no) and `journey_label_names` (one row: `names`, the labels by
 *   number, for `labelName`). The labels are those of every touch in the period read (the
 *   distinct column values, cheap on the stored dictionaries), so they may include labels of
 *   people a report leaves out: numbers only order labels, names come back by number.
 *   `journey_label_keys` (label_key, label, no) numbers each combination of the label's columns;
 *   two combinations would share a key with a probability of about m² / 2^64 (m combinations).
 * - `journeys`: every journey as one row. A touch belongs to the journey numbered by its
 *   person's conversions strictly before it, counted from the first touch read (so a touch at
 *   the same instant as a conversion leads to that conversion). Each person's touches are
 *   grouped once (`person_touches`: the list of their step codes in time order, so its ends are
 *   the first and last touch; one group per person costs about 15% less than one per journey on
 *   10M touches), and only the lists of people with conversions (few) are split at them:
 *   journey j keeps the codes after conversion j − 1 up to conversion j (`stepBound`, exact for
 *   touch times in whole milliseconds, as event times are). A conversion with no touch is a
 *   journey without steps. No global sort of the touches: 2x less CPU than numbering them with
 *   a window over 10M rows. A
 *   journey is keyed by its person's 64-bit key XOR its number; like the person key, two journeys
 *   share a key with a probability of about n²·k / 2^64 (n people, k journeys each). Columns:
 *   journey_key, conversions (0 or 1), value, end_at (the conversion time, or for the trailing
 *   null journey its last touch, to the millisecond), steps (step codes in time order).
 * - `windowed_journeys`: the journeys a report counts, one row each: those ending in [from, to)
 *   (null journeys only when `includeNulls`), with `steps` cut to the lookback window before the
 *   end and in time order — the one definition attribution and the path views (src/analytics)
 *   share, so they agree. Columns: journey_key, conversions, value, end_at, steps.
 */
export function journeyCtesSql(dialect: Dialect, q: JourneyQuery): Sql {
  const lookbackMs = Math.round(q.lookbackDays * 86_400_000);
  const touchFrom = q.from === null ? sql`TRUE` : sql`t.occurred_at >= ${new Date(q.from - lookbackMs)}`;
  const touchTo = q.to === null ? sql`TRUE` : sql`t.occurred_at < ${new Date(q.to)}`;
  const inPeriod = sql`${touchFrom} AND ${touchTo}`;
  // The label's hash is taken straight off the scan, on the column dictionaries: after the
  // identity joins the same hash costs a string hash per row.
  const touches = sql`(SELECT t.user_id, t.anonymous_id, t.occurred_at, hash(${labelColumns(q.granularity)}) AS label_key FROM touches t WHERE ${inPeriod})`;
  return sql`
    journey_label_keys AS MATERIALIZED (
      SELECT label_key, label, (dense_rank() OVER (ORDER BY label) - 1)::BIGINT AS no
      FROM (
        SELECT hash(${labelColumns(q.granularity)}) AS label_key, ${labelOf(q.granularity)} AS label
        FROM (SELECT DISTINCT ${labelColumns(q.granularity)} FROM touches t WHERE ${inPeriod}) t
      )
      WHERE label IS NOT NULL
    ),
    journey_labels AS (SELECT DISTINCT label, no FROM journey_label_keys),
    journey_label_names AS (SELECT coalesce(list(label ORDER BY no), []) AS names FROM journey_labels),
    person_conversions AS (
      SELECT e.person_key, list_sort(list(struct_pack(t := e.timestamp, v := ${valueOf(dialect, q.valueProperty)}))) AS convs
      FROM ${withPersonKey(dialect, q, conversionRowsSql(q, lookbackMs))} AS e
      GROUP BY 1
    ),
    person_touches AS (
      -- Grouping on a 64-bit person key is far faster than on the person id.
      SELECT t.person_key, ${sortedCodes(sql`list(((epoch_ms(t.ts) + ${OFFSET}) << ${BITS}) | l.no)`)} AS codes
      FROM (SELECT t.person_key, t.occurred_at AS ts, t.label_key FROM ${withPersonKey(dialect, q, touches)} AS t) t
      JOIN journey_label_keys l ON l.label_key = t.label_key
      GROUP BY 1
    ),
    person_journeys AS (
      SELECT coalesce(p.person_key, c.person_key) AS person_key, p.codes, epoch_ms(${stepMs(raw('p.codes[-1]'))}) AS last_at, c.convs
      FROM person_touches p FULL OUTER JOIN person_conversions c ON c.person_key = p.person_key
    ),
    converting_journeys AS (
      SELECT person_key, j, n, convs, last_at, list_filter(coalesce(codes, []::BIGINT[]), x -> x >= lo AND x < hi) AS steps
      FROM (
        SELECT person_key, codes, convs, last_at, n, j,
          CASE WHEN j = 0 THEN 0 ELSE ${stepBound(raw('convs[j].t'))} END AS lo,
          CASE WHEN j = n THEN ${raw(String(MAX_CODE))} ELSE ${stepBound(raw('convs[j + 1].t'))} END AS hi
        FROM (SELECT *, len(convs) AS n, unnest(range(0, len(convs) + 1)) AS j FROM person_journeys WHERE convs IS NOT NULL)
      )
    ),
    journeys AS (
      SELECT person_key AS journey_key, 0 AS conversions, 0::DOUBLE AS value, last_at AS end_at, codes AS steps
      FROM person_journeys WHERE convs IS NULL
      UNION ALL
      SELECT xor(person_key, j::UBIGINT) AS journey_key, CASE WHEN j < n THEN 1 ELSE 0 END AS conversions,
        -- A conversion's value as it is without touches, else at least 0.
        CASE WHEN j = n THEN 0::DOUBLE WHEN len(steps) = 0 THEN convs[j + 1].v ELSE greatest(convs[j + 1].v, 0::DOUBLE) END AS value,
        CASE WHEN j < n THEN convs[j + 1].t ELSE last_at END AS end_at, steps
      FROM converting_journeys WHERE j < n OR len(steps) > 0
    ),
    windowed_journeys AS (
      SELECT journey_key, conversions, value, end_at, ${stepsInWindow()} AS steps
      FROM (
        SELECT *, ${windowStartOf(q)} AS window_start FROM journeys
        WHERE ${q.from === null ? sql`TRUE` : sql`end_at >= ${new Date(q.from)}`} AND ${q.includeNulls ? sql`TRUE` : sql`conversions = 1`}
      )
    )`;
}

/**
 * The code of the first instant of a journey's lookback window with label 0: a step is in the
 * window when its code is at least this.
 */
function windowStartOf(q: JourneyQuery): Sql {
  const lookbackMs = Math.round(q.lookbackDays * 86_400) * 1000;
  return sql`((epoch_ms(end_at) - ${raw(String(lookbackMs))} + ${OFFSET}) << ${BITS})`;
}

/** Lists up to this long are checked for order before they are sorted (see `sortedCodes`). */
const CHECKED_LIST_LENGTH = 16;

/**
 * A person's step codes in time order; splitting at conversions and cutting to the window keep
 * the order. A list comes out of the aggregate in the order its rows were read: where derive
 * wrote a person's touches together (one run over a backlog, as in the store bench) nearly every
 * list is in order already (all but 31 of 1.8M), and checking a short list in one pass (codes
 * are positive; -1 marks a list out of order) costs less than sorting it: 10% off the path
 * aggregate of 10M touches. Where the touches came in many runs (the demo world: nine lists in
 * ten out of order) the check of short lists costs nothing measurable; longer lists, whose check
 * takes as many passes as their length, are sorted straight away. Sorting each list beats an
 * ORDER BY inside the aggregate.
 */
function sortedCodes(codes: Sql): Sql {
  const inOrder = sql`list_reduce(${codes}, (a, x) -> CASE WHEN a < 0 OR x < a THEN -1 ELSE x END) >= 0`;
  return sql`CASE WHEN len(${codes}) < 2 OR (len(${codes}) <= ${raw(String(CHECKED_LIST_LENGTH))} AND ${inOrder}) THEN ${codes} ELSE list_sort(${codes}) END`;
}

/**
 * A journey's steps (in time order) inside the lookback window before its end. The filter runs
 * only for the journeys whose first step is before the window, and compares with a column (a
 * lambda that computes the bound per element is 2x slower).
 */
function stepsInWindow(): Sql {
  return sql`CASE WHEN steps[1] >= window_start THEN steps ELSE list_filter(steps, x -> x >= window_start) END`;
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
export function timeDecayOf(halfLifeDays: number): Sql {
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

/** Spend per label over [from, to): by channel or by campaign (source/medium has no spend). */
export function spendByLabelSql(q: JourneyQuery): Sql | null {
  if (q.granularity === 'source_medium') return null;
  const label = q.granularity === 'channel' ? raw('channel') : raw('campaign');
  const from = q.from === null ? sql`TRUE` : sql`date >= ${new Date(q.from)}::DATE`;
  const to = q.to === null ? sql`TRUE` : sql`date < ${new Date(q.to)}::DATE`;
  return sql`SELECT ${label} AS label, sum(spend)::DOUBLE AS spend FROM spend WHERE ${from} AND ${to} GROUP BY 1`;
}
