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
