import { empty, ident, join, raw, sql, type Dialect, type Sql } from '../store/index.ts';
import { ACTIVITY_TABLES } from './kpis-activity.sql.ts';
import { withPairPersonSql, withPersonSql } from './kpis-people-map.sql.ts';
import { pairInScope, personInScope, scopeCtes, type PersonScope } from './kpis-scope.sql.ts';
import type { Granularity } from './kpis-time.ts';

/**
 * The KPI query: one statement that reads each table once for the current and the previous
 * range (conditional aggregation on `cur`) and answers compact rows
 * `(scope, period, key, <metric columns>)`:
 *
 * - scope `cur` / `prev`: the totals of the range and of the previous one;
 * - scope `period`: the current range per period (`period` = its start, epoch ms);
 * - scope `key`: the current range per breakdown key.
 *
 * People come from the activity rollups (kpis-activity.sql.ts), sessions and touches from their
 * tables, conversions from the rollup's copy of the conversion events, spend from `spend`. Every
 * person is `pk` = hash(person_id) of `eventsWithPersonSql`, found through the pair → person map
 * (kpis-people-map.sql.ts): a 64-bit key sorts and joins far faster than the string, as in the
 * journeys SQL.
 *
 * With a scope (kpis-scope.sql.ts: consent for analytics), every person-based fact of a person
 * outside it is left out — people, sessions, touches, conversions; spend is not per person.
 */
export type KpiDimension =
  | { readonly kind: 'channel' | 'campaign' | 'source_medium' | 'device' | 'country' }
  | { readonly kind: 'trait'; readonly path: readonly string[] };

/** Metric families: each is one part of the statement, left out when no metric needs it. */
export type KpiFamily = 'people' | 'traffic' | 'conversions' | 'spend';

export interface KpiSqlQuery {
  /** Current range [from, to) and the start of the previous one (its end is `from`), epoch ms. */
  readonly from: number;
  readonly to: number;
  readonly prevFrom: number;
  readonly granularity: Granularity;
  readonly dimension: KpiDimension | null;
  readonly conversionEvent: string;
  /** JSON property holding the value; `revenue` uses the typed column. */
  readonly valueProperty: string;
  /** Conversions are credited to the last touch (session for device/country) this far back. */
  readonly lookbackDays: number;
  readonly families: ReadonlySet<KpiFamily>;
  /** The people that may be counted; null or absent: everyone. */
  readonly scope?: PersonScope | null;
}

/** Breakdown key when a fact has nothing to be credited to (no touch, no session). */
export const NO_KEY = '(none)';
/** Breakdown key of a trait value stored encrypted (a field configured as personal data). */
export const SEALED_KEY = '(personal data)';
/** Breakdown key when the attribute itself is missing (no campaign, unknown device). */
export const NOT_SET = '(not set)';

const notSet = (column: string): Sql => sql`coalesce(nullif(${raw(column)}, ''), ${NOT_SET})`;

/**
 * The key of a touches (`t`) or sessions (`s`) row: its own channel, campaign or source / medium;
 * device and country only sessions have. Null when the row has no such attribute.
 */
function attributeKey(kind: KpiDimension['kind'], alias: 't' | 's'): Sql | null {
  const column = (name: string): Sql => raw(`${alias}.${name}`);
  switch (kind) {
    case 'channel':
      return column('channel');
    case 'campaign':
      return notSet(`${alias}.campaign`);
    case 'source_medium':
      return sql`${column('source')} || ${' / '} || ${column('medium')}`;
    case 'device':
    case 'country':
      return alias === 's' ? notSet(`s.${kind}`) : null;
    default:
      return null;
  }
}

const isLabelDimension = (d: KpiDimension | null): boolean => d !== null && d.kind !== 'trait';
const isSessionDimension = (d: KpiDimension | null): boolean => d?.kind === 'device' || d?.kind === 'country';

function valueOf(dialect: Dialect, property: string): Sql {
  return property === 'revenue' ? raw('coalesce(c.revenue, 0)') : sql`coalesce(${dialect.jsonNumber(raw('c.properties'), [property])}, 0)`;
}

/** ` AND <pk column is in the scope>`, or nothing without a scope. */
function andPerson(q: KpiSqlQuery, pk: string): Sql {
  return q.scope ? sql` AND ${personInScope(q.scope, raw(pk))}` : empty;
}

/** The same on the visitor pair of a sessions or touches row (no person mapping needed). */
function andPair(q: KpiSqlQuery, alias: 's' | 't'): Sql {
  return q.scope ? sql` AND ${pairInScope(q.scope, raw(`${alias}.vk`))}` : empty;
}

/** `cur` and `period` (NULL outside the current range) of a timestamp column. */
function bucket(q: KpiSqlQuery, column: string): Sql {
  const ts = raw(column);
  return sql`${ts} >= ${new Date(q.from)} AS cur, CASE WHEN ${ts} >= ${new Date(q.from)} THEN ${raw(`date_trunc('${q.granularity}', ${column})`)} END AS period`;
}

/**
 * A relation with `cur`, `period`, `key` aggregated into totals, periods and keys (current range
 * only). `keyed: false` (the key is NULL throughout) leaves out the keys, which would only repeat
 * the totals (key rows without a key are not part of a breakdown).
 */
function grouped(source: Sql, measures: Sql, keyed: boolean): Sql {
  const sets = keyed ? raw('(cur), (cur, period), (cur, key)') : raw('(cur), (cur, period)');
  const isKey = keyed ? raw(`WHEN GROUPING(key) = 0 THEN 'key'`) : raw('');
  const key = keyed ? raw('key') : raw('NULL::VARCHAR AS key');
  return sql`SELECT scope, epoch_ms(period) AS period, key, * EXCLUDE (scope, cur, period, key) FROM (
      SELECT CASE WHEN GROUPING(period) = 0 THEN 'period' ${isKey} WHEN cur THEN 'cur' ELSE 'prev' END AS scope,
        cur, period, ${key}, ${measures}
      FROM ${source} GROUP BY GROUPING SETS (${sets})
    ) WHERE cur OR scope = 'prev'`;
}

/**
 * `grouped` for a plain row count: the rows are first counted per (cur, period, key), so that the
 * grouping sets add up a few hundred counts instead of grouping every row three times.
 */
function groupedCount(source: Sql, name: string, keyed: boolean): Sql {
  return grouped(sql`(SELECT cur, period, key, count(*) AS n FROM ${source} GROUP BY ALL)`, raw(`sum(n)::DOUBLE AS ${name}`), keyed);
}

/** The CTEs: each named part once, materialised when read by several selects. */
function ctes(dialect: Dialect, q: KpiSqlQuery): Sql[] {
  const parts: Sql[] = [];
  const d = q.dimension;
  const from = new Date(q.from);
  const to = new Date(q.to);
  const prevFrom = new Date(q.prevFrom);
  const pairPeople = ident(ACTIVITY_TABLES.people);
  const visitors = ident(ACTIVITY_TABLES.visitors);
  if (q.scope) parts.push(...scopeCtes(q.scope));
  if (d?.kind === 'trait') {
    parts.push(sql`k_traits AS MATERIALIZED (
      SELECT hash(person_id) AS pk, CASE WHEN starts_with(t.v, '{"$enc"') THEN ${SEALED_KEY} ELSE coalesce(nullif(t.v, ''), ${NO_KEY}) END AS key
      FROM (SELECT person_id, ${dialect.jsonString(raw('traits'), d.path)} AS v FROM ${ident('people')}) AS t)`);
  }
  if (q.families.has('people')) {
    // People active in [prevFrom, to): the rollup's pairs (integers) through the pair → person map.
    parts.push(sql`k_active AS MATERIALIZED (
      SELECT DISTINCT p.pk, ${bucket(q, 'a.hour')} FROM ${ident(ACTIVITY_TABLES.activity)} a JOIN ${pairPeople} p ON p.vk = a.vk
      WHERE a.hour >= ${prevFrom} AND a.hour < ${to}${andPerson(q, 'p.pk')})`);
    // People whose first event (over all their pairs) is in [prevFrom, to): only those with a
    // pair first seen there can be, so only their pairs are read.
    parts.push(sql`k_newcomers AS MATERIALIZED (
      SELECT pk, first_at, ${bucket(q, 'first_at')} FROM (
        SELECT p.pk, min(v.first_at) AS first_at FROM ${visitors} v JOIN ${pairPeople} p ON p.vk = v.vk
        WHERE p.pk IN (SELECT p2.pk FROM ${visitors} v2 JOIN ${pairPeople} p2 ON p2.vk = v2.vk WHERE v2.first_at >= ${prevFrom} AND v2.first_at < ${to})${andPerson(q, 'p.pk')}
        GROUP BY p.pk)
      WHERE first_at >= ${prevFrom})`);
  }
  if (isLabelDimension(d) && q.families.has('people')) {
    // What people are credited to: the range's touches (sessions for device / country).
    parts.push(sql`k_labels AS MATERIALIZED (SELECT pk, label_at, label_id, key FROM ${withPairPersonSql(labelRows(d!, from, to))})`);
  }
  if (q.families.has('conversions')) {
    const conversions = sql`(SELECT user_id, anonymous_id, timestamp, message_id, revenue, properties FROM ${ident(ACTIVITY_TABLES.conversions)}
      WHERE event = ${q.conversionEvent} AND timestamp < ${to})`;
    parts.push(sql`k_conv AS MATERIALIZED (
      SELECT *, ${bucket(q, 'ts')} FROM (
        SELECT c.pk, c.timestamp AS ts, ${valueOf(dialect, q.valueProperty)} AS value,
          row_number() OVER (PARTITION BY c.pk ORDER BY c.timestamp, c.message_id) = 1 AS is_first
        FROM ${withPersonSql(conversions)} AS c WHERE TRUE${andPerson(q, 'c.pk')})
      WHERE ts >= ${prevFrom})`);
    if (isLabelDimension(d)) {
      // Touches in the lookback before the range and in it, of the people converting in it only:
      // their pairs are few, so the other touches are dropped by an integer probe before any join.
      const lookbackFrom = new Date(q.from - Math.round(q.lookbackDays * 86_400_000));
      parts.push(sql`k_convpairs AS MATERIALIZED (SELECT vk, pk FROM ${ident(ACTIVITY_TABLES.people)} WHERE pk IN (SELECT pk FROM k_conv WHERE cur))`);
      parts.push(sql`k_convlabels AS (
        SELECT p.pk, l.label_at, l.key FROM ${labelRows(d!, lookbackFrom, to)} l JOIN k_convpairs p ON p.vk = l.vk)`);
    }
  }
  return parts;
}

/** Touches (sessions for device / country) in [from, to) with their key. */
function labelRows(d: KpiDimension, from: Date, to: Date): Sql {
  return isSessionDimension(d)
    ? sql`(SELECT vk, started_at AS label_at, session_id AS label_id, ${attributeKey(d.kind, 's')!} AS key
        FROM sessions s WHERE started_at >= ${from} AND started_at < ${to})`
    : sql`(SELECT vk, occurred_at AS label_at, touch_id AS label_id, ${attributeKey(d.kind, 't')!} AS key
        FROM touches t WHERE occurred_at >= ${from} AND occurred_at < ${to})`;
}

const PEOPLE = raw('count(DISTINCT pk)::DOUBLE AS people');
const NEW_PEOPLE = raw('count(*)::DOUBLE AS newPeople');
const CONVERSION_MEASURES = raw(`count(*)::DOUBLE AS conversions, coalesce(sum(value), 0)::DOUBLE AS revenue,
  count(DISTINCT pk)::DOUBLE AS convertingPeople, (count(*) FILTER (WHERE is_first))::DOUBLE AS newCustomers`);

function peopleSelects(q: KpiSqlQuery): Sql[] {
  const d = q.dimension;
  const traitKey = d?.kind === 'trait';
  const withTrait = (rel: string): Sql =>
    traitKey ? raw(`(SELECT r.*, coalesce(t.key, '${NO_KEY}') AS key FROM ${rel} r LEFT JOIN k_traits t USING (pk))`) : raw(`(SELECT *, NULL::VARCHAR AS key FROM ${rel})`);
  const selects = [grouped(withTrait('k_active'), PEOPLE, traitKey), grouped(withTrait('k_newcomers'), NEW_PEOPLE, traitKey)];
  if (isLabelDimension(d)) {
    // A person is counted under every key they have a touch (session) of in the range; people
    // with none under (none). First touch of a newcomer: the first in the range (their first
    // event is in it).
    selects.push(sql`SELECT 'key' AS scope, NULL::BIGINT AS period, coalesce(l.key, ${NO_KEY}) AS key, ${PEOPLE}
      FROM (SELECT DISTINCT pk FROM k_active WHERE cur) a
      LEFT JOIN (SELECT DISTINCT pk, key FROM k_labels) l USING (pk) GROUP BY 3`);
    selects.push(sql`SELECT 'key' AS scope, NULL::BIGINT AS period, coalesce(f.key, ${NO_KEY}) AS key, ${NEW_PEOPLE}
      FROM (SELECT pk FROM k_newcomers WHERE cur) n
      LEFT JOIN (SELECT pk, arg_min(key, struct_pack(t := label_at, i := label_id)) AS key FROM k_labels
        WHERE pk IN (SELECT pk FROM k_newcomers WHERE cur) GROUP BY pk) f USING (pk)
      GROUP BY 3`);
  }
  return selects;
}

function trafficSelects(dialect: Dialect, q: KpiSqlQuery): Sql[] {
  const d = q.dimension;
  const from = new Date(q.prevFrom);
  const to = new Date(q.to);
  if (d?.kind === 'trait') {
    const person = (rel: Sql, at: string): Sql =>
      sql`(SELECT ${bucket(q, at)}, coalesce(t.key, ${NO_KEY}) AS key FROM ${withPairPersonSql(rel)} AS x LEFT JOIN k_traits t ON t.pk = x.pk WHERE TRUE${andPerson(q, 'x.pk')})`;
    return [
      groupedCount(person(sql`(SELECT vk, started_at FROM sessions WHERE started_at >= ${from} AND started_at < ${to})`, 'x.started_at'), 'sessions', true),
      groupedCount(person(sql`(SELECT vk, occurred_at FROM touches WHERE occurred_at >= ${from} AND occurred_at < ${to})`, 'x.occurred_at'), 'touches', true),
    ];
  }
  const sKey = d === null ? raw('NULL::VARCHAR') : attributeKey(d.kind, 's')!;
  const sessions = sql`(SELECT ${bucket(q, 's.started_at')}, ${sKey} AS key FROM sessions s WHERE s.started_at >= ${from} AND s.started_at < ${to}${andPair(q, 's')})`;
  let touches: Sql;
  if (isSessionDimension(d)) {
    // A session touch has its session's device / country; an event touch has none. (The key is
    // NULL for event touches so that the join is an equi-join: with the kind test in the ON clause
    // the engine planned a nested loop, minutes on 700k touches.)
    touches = sql`(SELECT ${bucket(q, 't.occurred_at')}, coalesce(${attributeKey(d!.kind, 's')!}, ${NOT_SET}) AS key
      FROM touches t LEFT JOIN sessions s ON s.session_id = CASE WHEN t.kind = 'session' THEN t.touch_id END
      WHERE t.occurred_at >= ${from} AND t.occurred_at < ${to}${andPair(q, 't')})`;
  } else {
    const tKey = d === null ? raw('NULL::VARCHAR') : attributeKey(d.kind, 't')!;
    touches = sql`(SELECT ${bucket(q, 't.occurred_at')}, ${tKey} AS key FROM touches t WHERE t.occurred_at >= ${from} AND t.occurred_at < ${to}${andPair(q, 't')})`;
  }
  return [groupedCount(sessions, 'sessions', d !== null), groupedCount(touches, 'touches', d !== null)];
}

function conversionSelects(q: KpiSqlQuery): Sql[] {
  const d = q.dimension;
  if (d?.kind === 'trait') {
    return [grouped(raw(`(SELECT c.*, coalesce(t.key, '${NO_KEY}') AS key FROM k_conv c LEFT JOIN k_traits t USING (pk))`), CONVERSION_MEASURES, true)];
  }
  const selects = [grouped(raw('(SELECT *, NULL::VARCHAR AS key FROM k_conv)'), CONVERSION_MEASURES, false)];
  if (isLabelDimension(d)) {
    // Last touch (session) at or before the conversion and within the lookback, else (none).
    const lookback = raw(`INTERVAL ${Math.round(q.lookbackDays * 86_400)} SECOND`);
    selects.push(sql`SELECT 'key' AS scope, NULL::BIGINT AS period, coalesce(key, ${NO_KEY}) AS key, ${CONVERSION_MEASURES} FROM (
        SELECT c.pk, c.value, c.is_first, CASE WHEN l.label_at >= c.ts - ${lookback} THEN l.key END AS key
        FROM (SELECT * FROM k_conv WHERE cur) c
        ASOF LEFT JOIN k_convlabels l ON c.pk = l.pk AND c.ts >= l.label_at)
      GROUP BY 3`);
  }
  return selects;
}

function spendSelects(q: KpiSqlQuery): Sql[] {
  const d = q.dimension;
  const key = d?.kind === 'channel' ? raw('channel') : d?.kind === 'campaign' ? notSet('campaign') : raw('NULL::VARCHAR');
  const source = sql`(SELECT ${bucket(q, 'day')}, ${key} AS key, spend, impressions, clicks FROM (SELECT date::TIMESTAMP AS day, * FROM spend)
    WHERE day >= ${new Date(q.prevFrom)} AND day < ${new Date(q.to)})`;
  return [grouped(source, raw('sum(spend)::DOUBLE AS spend, coalesce(sum(impressions), 0)::DOUBLE AS impressions, coalesce(sum(clicks), 0)::DOUBLE AS clicks'), spendHasDimension(d))];
}

/** Whether spend rows can be broken down by this dimension (they carry channel and campaign only). */
export function spendHasDimension(d: KpiDimension | null): boolean {
  return d?.kind === 'channel' || d?.kind === 'campaign';
}

/** The whole KPI statement (see the file comment for its rows). */
export function kpiSql(dialect: Dialect, q: KpiSqlQuery): Sql {
  const selects: Sql[] = [];
  if (q.families.has('people')) selects.push(...peopleSelects(q));
  if (q.families.has('traffic')) selects.push(...trafficSelects(dialect, q));
  if (q.families.has('conversions')) selects.push(...conversionSelects(q));
  if (q.families.has('spend')) selects.push(...spendSelects(q));
  if (selects.length === 0) throw new Error('kpiSql: no metric family requested');
  const withs = ctes(dialect, q);
  const body = join(selects.map((s) => sql`(${s})`), '\nUNION ALL BY NAME\n');
  return withs.length === 0 ? body : sql`WITH ${join(withs, ',\n')}\n${body}`;
}
