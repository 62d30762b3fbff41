import { ident, join, raw, sql, type Dialect, type Sql } from '../store/index.ts';
import { ACTIVITY_TABLES } from './kpis-activity.sql.ts';
import { withPairPersonSql, withPersonSql } from './kpis-people-map.sql.ts';
import { personInScope, scopeCtes, type PersonScope } from './kpis-scope.sql.ts';

/**
 * Cohort tables in the engine. People join a cohort by the period of their anchor (first
 * conversion ever, or first event ever); each later period of the cohort gets a count of its
 * members meeting the measure and the revenue they brought. People are found through the pair →
 * person map (kpis-people-map.sql.ts), kept current by `refreshActivity`. Rows come back compact:
 *
 * - `kind = 'size'`: (cohort, key) → members;
 * - `kind = 'cell'`: (cohort, key, offset) → members meeting the measure, revenue.
 *
 * `cohort` is the period start (epoch ms), `offset` whole periods after it, `key` the
 * acquisition breakdown (the first touch ever of the person) or NULL. People outside the scope
 * (kpis-scope.sql.ts) are members of no cohort, so they are in no cell either.
 */
export type CohortUnit = 'week' | 'month';
export type CohortAnchor = 'first_conversion' | 'first_seen';
export type RetentionMeasure = 'repeat_purchase' | 'revenue' | 'active';
export type AcquisitionDimension = 'channel' | 'campaign' | 'source_medium';

export interface RetentionSqlQuery {
  readonly unit: CohortUnit;
  readonly anchor: CohortAnchor;
  readonly measure: RetentionMeasure;
  readonly by: AcquisitionDimension | null;
  /** Cohorts whose anchor is in [from, to), epoch ms. */
  readonly from: number;
  readonly to: number;
  readonly conversionEvent: string;
  readonly valueProperty: string;
  /** The people that may be counted; null or absent: everyone. */
  readonly scope?: PersonScope | null;
}

function valueOf(dialect: Dialect, property: string): Sql {
  return property === 'revenue' ? raw('coalesce(c.revenue, 0)') : sql`coalesce(${dialect.jsonNumber(raw('c.properties'), [property])}, 0)`;
}

function acquisitionKey(by: AcquisitionDimension): Sql {
  if (by === 'channel') return raw('t.channel');
  if (by === 'campaign') return raw(`coalesce(nullif(t.campaign, ''), '(not set)')`);
  return sql`t.source || ${' / '} || t.medium`;
}

/** The cohort table statement (see the file comment for its rows). */
export function retentionSql(dialect: Dialect, q: RetentionSqlQuery): Sql {
  const unit = raw(`'${q.unit}'`);
  const from = new Date(q.from);
  const to = new Date(q.to);
  const parts: Sql[] = q.scope ? scopeCtes(q.scope) : [];
  const inScope = q.scope ? sql` AND ${personInScope(q.scope, raw('m.pk'))}` : raw('');
  const needsConversions = q.anchor === 'first_conversion' || q.measure !== 'active';
  if (needsConversions) {
    const conversions = sql`(SELECT user_id, anonymous_id, timestamp, message_id, revenue, properties FROM ${ident(ACTIVITY_TABLES.conversions)} WHERE event = ${q.conversionEvent})`;
    parts.push(sql`r_conv AS MATERIALIZED (
      SELECT c.pk, c.timestamp AS ts, ${valueOf(dialect, q.valueProperty)} AS value,
        row_number() OVER (PARTITION BY c.pk ORDER BY c.timestamp, c.message_id) AS n
      FROM ${withPersonSql(conversions)} AS c)`);
  }
  const people = ident(ACTIVITY_TABLES.people);
  const anchors =
    q.anchor === 'first_conversion'
      ? sql`SELECT pk, ts AS anchor_at FROM r_conv WHERE n = 1`
      : sql`SELECT p.pk, min(v.first_at) AS anchor_at FROM ${ident(ACTIVITY_TABLES.visitors)} v JOIN ${people} p ON p.vk = v.vk GROUP BY p.pk`;
  if (q.by !== null) {
    const touches = sql`(SELECT vk, occurred_at, touch_id, ${acquisitionKey(q.by)} AS key FROM touches t WHERE occurred_at < ${to})`;
    parts.push(sql`r_acq AS MATERIALIZED (
      SELECT t.pk, arg_min(t.key, struct_pack(at_ := t.occurred_at, id_ := t.touch_id)) AS key
      FROM ${withPairPersonSql(touches)} AS t GROUP BY 1)`);
  }
  const key = q.by === null ? raw('NULL::VARCHAR') : raw(`coalesce(a.key, '(none)')`);
  const acquired = q.by === null ? raw('') : raw('LEFT JOIN r_acq a ON a.pk = m.pk');
  parts.push(sql`r_members AS MATERIALIZED (
    SELECT m.pk, m.anchor_at, date_trunc(${unit}, m.anchor_at) AS cohort, ${key} AS key
    FROM (${anchors}) m ${acquired} WHERE m.anchor_at >= ${from} AND m.anchor_at < ${to}${inScope})`);

  let cells: Sql;
  if (q.measure === 'active') {
    cells = sql`SELECT m.cohort, m.key, date_diff(${unit}, m.cohort, a.period) AS "offset", count(DISTINCT m.pk)::DOUBLE AS members, NULL::DOUBLE AS revenue
      FROM r_members m JOIN (
        SELECT DISTINCT p.pk, date_trunc(${unit}, x.hour) AS period
        FROM ${ident(ACTIVITY_TABLES.activity)} x JOIN ${people} p ON p.vk = x.vk
        WHERE x.hour >= ${from}
      ) a ON a.pk = m.pk AND a.period >= m.cohort
      GROUP BY ALL`;
  } else {
    // Repeat purchase: conversions other than the first (anchored on it), or any (anchored on the first event).
    const counted = q.anchor === 'first_conversion' ? raw('c.n > 1') : raw('TRUE');
    cells = sql`SELECT m.cohort, m.key, date_diff(${unit}, m.cohort, date_trunc(${unit}, c.ts)) AS "offset",
        count(DISTINCT m.pk) FILTER (WHERE ${counted})::DOUBLE AS members, sum(c.value)::DOUBLE AS revenue
      FROM r_members m JOIN r_conv c ON c.pk = m.pk AND c.ts >= m.anchor_at
      GROUP BY ALL`;
  }
  return sql`WITH ${join(parts, ',\n')}
    SELECT 'size' AS kind, epoch_ms(cohort) AS cohort, key, NULL::BIGINT AS "offset", count(*)::DOUBLE AS members, NULL::DOUBLE AS revenue
    FROM r_members GROUP BY ALL
    UNION ALL
    SELECT 'cell' AS kind, epoch_ms(cohort) AS cohort, key, "offset", members, revenue FROM (${cells})`;
}
