import { ident, join, raw, sql, type Dialect, type Sql } from '../store/index.ts';
import { eventsWithPersonSql } from '../identity/index.ts';
import { ACTIVITY_TABLES } from './kpis-activity.sql.ts';

/**
 * An audience in the engine: the people matching a filter, each with a few figures. Members are
 * found as `eventsWithPersonSql` names people (the ids an export hands out); their figures come
 * through the pair → person map (kpis-people-map.sql.ts) by `pk` = hash(person_id), as the KPIs
 * find theirs, so the two agree.
 *
 * - members: people with a touch of the channel / campaign in the range, or (without one) with
 *   any event in it; intersected with `personIds` (a funnel's droppers) when given; kept or left
 *   out by whether they converted in the range;
 * - figures: first and last event ever, channels touched in the range, conversions and revenue
 *   in the range (the definition's value property), and `allowed` (consent for the export).
 */
export interface AudienceSqlQuery {
  /** Range [from, to), epoch ms. */
  readonly from: number;
  readonly to: number;
  /** Touched this channel / campaign in the range (case-insensitive); null: every one. */
  readonly channel: string | null;
  readonly campaign: string | null;
  /** Converted (true) or not (false) in the range; null: either. */
  readonly converted: boolean | null;
  readonly conversionEvent: string;
  /** JSON property holding the value; `revenue` uses the typed column. */
  readonly valueProperty: string;
  /** Only these people; null: no such restriction. */
  readonly personIds: readonly string[] | null;
}

export interface AudienceSqlRow {
  readonly person_id: string;
  readonly first_ms: number | null;
  readonly last_ms: number | null;
  readonly channels: string[];
  readonly conversions: number;
  readonly revenue: number;
  readonly allowed: boolean;
}

const T = {
  people: ident(ACTIVITY_TABLES.people),
  visitors: ident(ACTIVITY_TABLES.visitors),
  activity: ident(ACTIVITY_TABLES.activity),
  conversions: ident(ACTIVITY_TABLES.conversions),
};

function inRange(column: string, q: AudienceSqlQuery): Sql {
  return sql`${raw(column)} >= ${new Date(q.from)} AND ${raw(column)} < ${new Date(q.to)}`;
}

/** The people of a relation with `user_id`, `anonymous_id`. */
const peopleOf = (dialect: Dialect, relation: Sql): Sql => sql`SELECT person_id FROM ${eventsWithPersonSql(dialect, { events: relation })} AS x`;

/** Everyone who may be in the audience before the conversion test (a person may come more than once). */
function candidatesSql(dialect: Dialect, q: AudienceSqlQuery): Sql {
  const sets: Sql[] = [];
  if (q.channel !== null || q.campaign !== null) {
    const channel = q.channel === null ? sql`TRUE` : sql`lower(t.channel) = lower(${q.channel})`;
    const campaign = q.campaign === null ? sql`TRUE` : sql`lower(t.campaign) = lower(${q.campaign})`;
    sets.push(peopleOf(dialect, sql`(SELECT user_id, anonymous_id FROM touches t WHERE ${inRange('t.occurred_at', q)} AND ${channel} AND ${campaign})`));
  }
  if (q.personIds !== null) sets.push(sql`SELECT unnest(${[...q.personIds]}::VARCHAR[]) AS person_id`);
  if (sets.length === 0) {
    // Active in the range: the pairs with an event in one of its hours (the activity rollup).
    sets.push(peopleOf(dialect, sql`(SELECT user_id, anonymous_id FROM ${T.visitors} WHERE vk IN (SELECT vk FROM ${T.activity} WHERE ${inRange('hour', q)}))`));
  }
  return join(sets, '\nINTERSECT\n');
}

function convertedSql(dialect: Dialect, q: AudienceSqlQuery): Sql {
  if (q.converted === null) return sql`TRUE`;
  const converters = peopleOf(dialect, sql`(SELECT user_id, anonymous_id FROM ${T.conversions} c WHERE c.event = ${q.conversionEvent} AND ${inRange('c.timestamp', q)})`);
  return q.converted ? sql`person_id IN (${converters})` : sql`person_id NOT IN (${converters})`;
}

function valueOf(dialect: Dialect, property: string): Sql {
  return property === 'revenue' ? raw('coalesce(c.revenue, 0)') : sql`coalesce(${dialect.jsonNumber(raw('c.properties'), [property])}, 0)`;
}

/**
 * The audience with its figures, ordered by person id. `allowed` applies a consent condition to
 * the person id column (`consentAllowsSql` for the export purpose); absent: everyone is allowed.
 */
export function audienceSql(dialect: Dialect, q: AudienceSqlQuery, allowed?: (personColumn: Sql) => Sql): Sql {
  const pairOf = (alias: string): Sql => raw(`hash(${alias}.user_id, ${alias}.anonymous_id)`);
  const allowedColumn = allowed ? sql`coalesce(${allowed(raw('m.person_id'))}, FALSE)` : sql`TRUE`;
  return sql`
    WITH a_members AS MATERIALIZED (
      SELECT DISTINCT person_id, hash(person_id) AS pk FROM (${candidatesSql(dialect, q)}) WHERE ${convertedSql(dialect, q)}),
    a_pairs AS MATERIALIZED (SELECT p.vk, p.pk FROM ${T.people} p WHERE p.pk IN (SELECT pk FROM a_members)),
    a_first AS (SELECT mp.pk, min(v.first_at) AS first_at FROM ${T.visitors} v JOIN a_pairs mp ON mp.vk = v.vk GROUP BY 1),
    a_last_hour AS MATERIALIZED (SELECT mp.pk, max(x.hour) AS hour FROM ${T.activity} x JOIN a_pairs mp ON mp.vk = x.vk GROUP BY 1),
    -- The exact time of the last event: only events from the earliest of the members' last active hours on are read.
    a_last AS (SELECT mp.pk, max(e.timestamp) AS last_at FROM events e JOIN a_pairs mp ON mp.vk = ${pairOf('e')}
      WHERE e.timestamp >= (SELECT min(hour) FROM a_last_hour) GROUP BY 1),
    a_channels AS (SELECT mp.pk, list_sort(list_distinct(list(t.channel))) AS channels FROM touches t JOIN a_pairs mp ON mp.vk = ${pairOf('t')}
      WHERE ${inRange('t.occurred_at', q)} GROUP BY 1),
    a_conv AS (SELECT mp.pk, count(*) AS conversions, sum(${valueOf(dialect, q.valueProperty)}) AS revenue
      FROM ${T.conversions} c JOIN a_pairs mp ON mp.vk = ${pairOf('c')}
      WHERE c.event = ${q.conversionEvent} AND ${inRange('c.timestamp', q)} GROUP BY 1)
    SELECT m.person_id, epoch_ms(f.first_at) AS first_ms, epoch_ms(l.last_at) AS last_ms,
      coalesce(ch.channels, []::VARCHAR[]) AS channels, coalesce(c.conversions, 0)::DOUBLE AS conversions,
      coalesce(c.revenue, 0)::DOUBLE AS revenue, ${allowedColumn} AS allowed
    FROM a_members m
    LEFT JOIN a_first f ON f.pk = m.pk
    LEFT JOIN a_last l ON l.pk = m.pk
    LEFT JOIN a_channels ch ON ch.pk = m.pk
    LEFT JOIN a_conv c ON c.pk = m.pk
    ORDER BY m.person_id`;
}
