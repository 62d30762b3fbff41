import { ident, sql, type Dialect, type Sql } from '../store/index.ts';
import { consentDecisionsSql, consentRefusalProbeSql, onlyRefusalsExclude } from '../profiles/index.ts';
import type { ConsentPolicy, Purpose } from '../privacy/index.ts';
import { ACTIVITY_TABLES } from './kpis-activity.sql.ts';

/**
 * Which people the KPI and cohort statements may count. Their facts find a person by the 64-bit
 * key `pk` = hash(person_id) (kpis-people-map.sql.ts), so the scope is turned into person keys
 * once (`scope_people`) and into the visitor pairs of those people (`scope_pairs`), which filter
 * sessions and touches without mapping each of them to a person.
 *
 * - `except`: everyone but the listed people (an opt-out policy: the refusals are few);
 * - `only`: the listed people alone (an opt-in policy: the grants are the list).
 */
export interface PersonScope {
  readonly kind: 'except' | 'only';
  /** A relation with a `person_id` column (people as `eventsWithPersonSql` names them). */
  readonly people: Sql;
  /**
   * A cheap query whose `n` is 0 only if the scope lists nobody, so that a request can leave
   * the filter out without computing the list (absent: the list is counted).
   */
  readonly probe?: Sql;
}

/**
 * The people a purpose allows under a consent policy, as a scope: the same decisions as
 * `consentAllowsSql` (a refusal wins, then a grant, then the region's and the policy's default).
 */
export function consentScope(dialect: Dialect, purpose: Purpose, policy: ConsentPolicy): PersonScope {
  const decisions = consentDecisionsSql(dialect, purpose, policy);
  if (!policy.defaultGranted) return { kind: 'only', people: sql`(SELECT person_id FROM ${decisions} WHERE allowed)` };
  const people = sql`(SELECT person_id FROM ${decisions} WHERE NOT allowed)`;
  // Mapping every consent row to its person costs tens of milliseconds at scale; without region
  // defaults only a refusal refuses, and no visitor's preferences holding one rules everyone in.
  if (!onlyRefusalsExclude(policy)) return { kind: 'except', people };
  return { kind: 'except', people, probe: consentRefusalProbeSql(purpose, policy) };
}

/** How many people the scope lists (an `except` scope listing nobody filters nothing). */
export const scopeSizeSql = (scope: PersonScope): Sql => sql`SELECT count(*) AS n FROM ${scope.people} AS s`;

/** The CTEs `scope_people (pk)` and `scope_pairs (vk)` the conditions below read. */
export function scopeCtes(scope: PersonScope): Sql[] {
  return [
    sql`scope_people AS MATERIALIZED (SELECT DISTINCT hash(person_id) AS pk FROM ${scope.people} AS s)`,
    sql`scope_pairs AS MATERIALIZED (SELECT vk FROM ${ident(ACTIVITY_TABLES.people)} WHERE pk IN (SELECT pk FROM scope_people))`,
  ];
}

/** A condition on a person key column: the person may be counted. */
export function personInScope(scope: PersonScope, pk: Sql): Sql {
  return scope.kind === 'except' ? sql`${pk} NOT IN (SELECT pk FROM scope_people)` : sql`${pk} IN (SELECT pk FROM scope_people)`;
}

/** A condition on a visitor pair key (`hash(user_id, anonymous_id)`): its person may be counted. */
export function pairInScope(scope: PersonScope, vk: Sql): Sql {
  return scope.kind === 'except' ? sql`${vk} NOT IN (SELECT vk FROM scope_pairs)` : sql`${vk} IN (SELECT vk FROM scope_pairs)`;
}
