import { ident, raw, sql, type Dialect, type Sql } from '../store/index.ts';
import { eventsWithPersonSql } from '../identity/index.ts';
import { ACTIVITY_TABLES } from './kpis-activity.sql.ts';

/**
 * The person of each visitor pair, materialised (`analytics_people`: vk → pk = hash(person_id)).
 *
 * The person of a pair (u, a) depends only on the identity rows of u and a and on whether a is
 * flagged (`eventsWithPersonSql`), so the map stays exact if, whenever those rows change, the
 * pairs holding a changed identifier are mapped again. Changes are found by comparing the
 * identity rows with a snapshot taken at the last refresh — only when a cheap fingerprint of them
 * differs. New pairs are mapped as they arrive. Every mapping goes through eventsWithPersonSql;
 * queries then find a person with one integer join.
 */
const T = {
  people: ident(ACTIVITY_TABLES.people),
  visitors: ident(ACTIVITY_TABLES.visitors),
  snapshot: ident(ACTIVITY_TABLES.identitySnapshot),
};

/** Key in `analytics_state` of the fingerprint of the identity rows the map was made with. */
export const PEOPLE_FINGERPRINT = 'people.fingerprint';

/** The identity rows a pair's person depends on: user and anonymous ids, and flagged anonymous ids. */
const IDENTITY_ROWS = raw(`(SELECT kind, value, person_id FROM identities WHERE kind IN ('user_id', 'anonymous_id')
  UNION ALL SELECT 'flag', value, '' FROM identity_flags WHERE kind = 'anonymous_id')`);

/** Row count and hash sum of the identity rows: equal fingerprints, (almost surely) equal rows. */
export function identityFingerprintSql(): Sql {
  return sql`SELECT count(*)::VARCHAR || ':' || coalesce(sum(hash(kind, value, person_id))::VARCHAR, '0') AS fp FROM ${IDENTITY_ROWS}`;
}

/** Identifiers whose rows differ from the snapshot, into a temp table. */
export function stageChangedIdentifiersSql(): Sql {
  return sql`CREATE OR REPLACE TEMP TABLE analytics_changed_ids AS
    SELECT DISTINCT kind, value FROM (
      (SELECT kind, value, person_id FROM ${IDENTITY_ROWS} EXCEPT SELECT kind, value, person_id FROM ${T.snapshot})
      UNION ALL
      (SELECT kind, value, person_id FROM ${T.snapshot} EXCEPT SELECT kind, value, person_id FROM ${IDENTITY_ROWS}))`;
}

/** Forgets the person of every pair holding a changed identifier (a hash collision only forgets more). */
export function forgetChangedPairsSql(): Sql {
  return sql`DELETE FROM ${T.people} WHERE vk IN (
    SELECT vk FROM ${T.visitors}
    WHERE uk IN (SELECT hash(value) FROM analytics_changed_ids WHERE kind = 'user_id')
       OR ak IN (SELECT hash(value) FROM analytics_changed_ids WHERE kind IN ('anonymous_id', 'flag')))`;
}

export function replaceSnapshotSql(): Sql[] {
  return [sql`DELETE FROM ${T.snapshot}`, sql`INSERT INTO ${T.snapshot} SELECT kind, value, person_id FROM ${IDENTITY_ROWS}`, sql`DROP TABLE IF EXISTS analytics_changed_ids`];
}

/** Maps every pair without a person yet. */
export function mapNewPairsSql(dialect: Dialect): Sql {
  const pending = sql`(SELECT DISTINCT v.vk, v.user_id, v.anonymous_id FROM ${T.visitors} v WHERE NOT EXISTS (SELECT 1 FROM ${T.people} p WHERE p.vk = v.vk))`;
  return sql`INSERT INTO ${T.people} SELECT m.vk, hash(m.person_id) FROM ${eventsWithPersonSql(dialect, { events: pending })} AS m`;
}

/**
 * A relation with `user_id` and `anonymous_id` columns, plus `pk`, its person, through the map.
 * Every pair of a stored event is in the map after a refresh, and so is the pair of every
 * session, touch and conversion derived from stored events (a session's ids are those of one
 * of its hits). Only a row derived from events that arrived after the request's refresh — while
 * it runs — has no person yet; it is left out until the next request.
 */
export function withPersonSql(relation: Sql): Sql {
  return sql`(SELECT r.*, p.pk FROM ${relation} r JOIN ${T.people} p ON p.vk = hash(r.user_id, r.anonymous_id))`;
}

/** The same for sessions and touches, which carry their pair key `vk` (no id strings read). */
export function withPairPersonSql(relation: Sql): Sql {
  return sql`(SELECT r.*, p.pk FROM ${relation} r JOIN ${T.people} p ON p.vk = r.vk)`;
}
