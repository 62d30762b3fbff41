import { duckdbDialect, ident, sql, type Dialect, type Sql } from '../store/index.ts';
import { IDENTITY_TABLES } from './tables.ts';

/**
 * The canonical event → person mapping, applied at query time so that a late identify
 * re-attributes earlier anonymous events without rewriting them:
 *
 *   person_id = coalesce(person of user_id, person of anonymous_id unless flagged,
                        'user:' || user_id, 'anon:' || anonymous_id)
 *
 * - the userId wins over the device: on a shared device each signed-in user keeps their events;
 * - anonymous-only visitors have no identity rows and map to `anon:<anonymousId>`, one
 *   pseudo-person per device, until a link puts that anonymousId in a person;
 * - a flagged anonymousId (a kiosk, a shared tablet linked to too many people) attributes its
 *   anonymous events to nobody in particular: they map to `anon:<anonymousId>`;
 * - a userId the graph has not processed yet maps to `user:<userId>`.
 *
 * Every capability that needs "the person of an event" (sessions, journeys, attribution,
 * analytics) selects from this fragment instead of joining identities itself.
 */
export interface EventsWithPersonOptions {
  /** The events relation (default the `events` table), e.g. a filtered subquery in parentheses. */
  readonly events?: Sql;
}

/**
 * A parenthesised subquery with every events column plus `person_id`; alias it in FROM:
 *
 *   sql`SELECT ev.person_id, count(*) AS n FROM ${eventsWithPersonSql(store.dialect)} AS ev GROUP BY 1`
 */
export function eventsWithPersonSql(dialect: Dialect = duckdbDialect, options: EventsWithPersonOptions = {}): Sql {
  void dialect; // plain SQL for every engine so far; the parameter keeps the builder signature uniform.
  const events = options.events ?? ident('events');
  const identities = ident(IDENTITY_TABLES.identities);
  return sql`(SELECT e.*,
      coalesce(iu.person_id, CASE WHEN fa.value IS NULL THEN ia.person_id END, ${'user:'} || e.user_id, ${'anon:'} || e.anonymous_id) AS person_id
    FROM ${events} AS e
    LEFT JOIN ${identities} AS iu ON iu.kind = ${'user_id'} AND iu.value = e.user_id
    LEFT JOIN ${identities} AS ia ON ia.kind = ${'anonymous_id'} AND ia.value = e.anonymous_id
    LEFT JOIN ${ident(IDENTITY_TABLES.flags)} AS fa ON fa.kind = ${'anonymous_id'} AND fa.value = e.anonymous_id)`;
}

/**
 * The same mapping as a number, for queries that only group or count by person: every events
 * column plus `person_key`, a 64-bit key (DuckDB `hash`) equal for the events of one person:
 *
 *   person_key = hash(person_id) for a person of the graph (of the userId, else of the
 *                unflagged anonymousId), else hash(user_id, 1), else hash(anonymous_id, 2)
 *
 * so two events share a key exactly when `eventsWithPersonSql` gives them the same person_id
 * (bar a 64-bit hash collision, about one in 10^7 for a million people).
 *
 * Cheaper than the person_id of every row: each identity's id is hashed once on the build side
 * of the join, an event's anonymousId is looked up only when its userId has no person (the
 * userId wins anyway), and ids outside the graph are hashed without building a string.
 */
export function eventsWithPersonKeySql(dialect: Dialect = duckdbDialect, options: EventsWithPersonOptions = {}): Sql {
  void dialect;
  const events = options.events ?? ident('events');
  const keyed = (kind: string): Sql => sql`(SELECT value, hash(person_id) AS person_key FROM ${ident(IDENTITY_TABLES.identities)} WHERE kind = ${kind})`;
  return sql`(SELECT m.* EXCLUDE (user_person_key, anonymous_lookup),
      coalesce(m.user_person_key, CASE WHEN fa.value IS NULL THEN ia.person_key END,
        CASE WHEN m.user_id IS NOT NULL THEN hash(m.user_id, 1) ELSE hash(m.anonymous_id, 2) END) AS person_key
    FROM (SELECT e.*, iu.person_key AS user_person_key, CASE WHEN iu.person_key IS NULL THEN e.anonymous_id END AS anonymous_lookup
      FROM ${events} AS e LEFT JOIN ${keyed('user_id')} AS iu ON iu.value = e.user_id) AS m
    LEFT JOIN ${keyed('anonymous_id')} AS ia ON ia.value = m.anonymous_lookup
    LEFT JOIN ${ident(IDENTITY_TABLES.flags)} AS fa ON fa.kind = ${'anonymous_id'} AND fa.value = m.anonymous_lookup)`;
}
