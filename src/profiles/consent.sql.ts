import { ident, join, sql, type Dialect, type Sql } from '../store/index.ts';
import { eventsWithPersonSql } from '../identity/index.ts';
import { CONSENT_EVENTS, type ConsentPolicy, type Purpose } from '../privacy/index.ts';

export const CONSENT_WATERMARK = 'consent.received_at';

export const consentWatermarkSql = (): Sql => sql`SELECT value FROM consent_state WHERE key = ${CONSENT_WATERMARK}`;
export const setConsentWatermarkSql = (ms: number): Sql =>
  sql`INSERT INTO consent_state VALUES (${CONSENT_WATERMARK}, ${String(ms)}) ON CONFLICT (key) DO UPDATE SET value = excluded.value`;

/**
 * Messages received after the watermark that may state consent (the consent object, an
 * identify's consent trait, a consent event), in time order. Only these come back to Node.
 */
export const consentCandidatesSql = (afterMs: number, upToMs: number): Sql => sql`
  SELECT message_id, type, event, user_id, anonymous_id, epoch_ms(timestamp) AS at, context, traits, properties
  FROM events
  WHERE received_at > ${new Date(afterMs)} AND received_at <= ${new Date(upToMs)}
    AND (contains(context, '"categoryPreferences"')
      OR (type = 'identify' AND contains(traits, '"consent"'))
      OR (type = 'track' AND list_contains(${[...CONSENT_EVENTS]}::VARCHAR[], event)))
  ORDER BY timestamp, message_id`;

export const latestReceivedSql = (): Sql => sql`SELECT coalesce(epoch_ms(max(received_at)), 0) AS ms FROM events`;

export const currentConsentSql = (kind: string, ids: readonly string[]): Sql =>
  sql`SELECT visitor_id, preferences FROM consent_current WHERE kind = ${kind} AND list_contains(${[...ids]}::VARCHAR[], visitor_id)`;

export const insertConsentChangeSql = (c: { kind: string; visitorId: string; at: Date; messageId: string; origin: string; preferences: string }): Sql => sql`
  INSERT INTO consent_changes VALUES (${c.kind}, ${c.visitorId}, ${c.at}, ${c.messageId}, ${c.origin}, ${c.preferences})`;
export const upsertConsentCurrentSql = (c: { kind: string; visitorId: string; at: Date; preferences: string }): Sql => sql`
  INSERT INTO consent_current VALUES (${c.kind}, ${c.visitorId}, ${c.at}, ${c.preferences})
  ON CONFLICT (kind, visitor_id) DO UPDATE SET changed_at = excluded.changed_at, preferences = excluded.preferences`;

/** Visitors' consent rows mapped to people the way events are (see eventsWithPersonSql). */
function consentWithPerson(dialect: Dialect, table: 'consent_current' | 'consent_changes'): Sql {
  const asEvents = sql`(SELECT *, CASE kind WHEN 'user_id' THEN visitor_id END AS user_id, CASE kind WHEN 'anonymous_id' THEN visitor_id END AS anonymous_id FROM ${ident(table)})`;
  return eventsWithPersonSql(dialect, { events: asEvents });
}

/**
 * Each person's latest value per category: `(person_id, category, granted, changed_at)`. A
 * person's visitors (userIds, devices) each keep their own preferences; for each category the
 * most recent statement across them wins.
 */
export function personCategoriesSql(dialect: Dialect): Sql {
  return sql`(SELECT person_id, category, arg_max(granted, changed_at) AS granted, max(changed_at) AS changed_at
    FROM (SELECT person_id, changed_at, k.category,
            TRY_CAST(json_extract_string(preferences, '$."' || k.category || '"') AS BOOLEAN) AS granted
          FROM ${consentWithPerson(dialect, 'consent_current')} AS c, unnest(json_keys(c.preferences)) AS k(category))
    GROUP BY person_id, category)`;
}

/** One person's consent history, newest first. */
export const personConsentHistorySql = (dialect: Dialect, personId: string, limit: number): Sql => sql`
  SELECT strftime(changed_at, '%Y-%m-%dT%H:%M:%SZ') AS changed_at, kind, message_id, origin, preferences
  FROM ${consentWithPerson(dialect, 'consent_changes')} AS c WHERE person_id = ${personId}
  ORDER BY c.changed_at DESC LIMIT ${limit}`;

/**
 * `(person_id, allowed)` for every person with a decision other than the policy's default: an
 * explicit refusal or grant of a category mapped to the purpose, or, without one, the default of
 * the country of their latest session when the policy has region defaults. Capabilities
 * LEFT JOIN it and keep rows where `coalesce(allowed, <default>)`.
 */
export function consentDecisionsSql(dialect: Dialect, purpose: Purpose, policy: ConsentPolicy): Sql {
  const mapped = sql`list_contains(${[...policy.categories[purpose]]}::VARCHAR[], category)`;
  const explicit = sql`SELECT person_id,
      CASE WHEN bool_or(${mapped} AND granted IS FALSE) THEN FALSE WHEN bool_or(${mapped} AND granted IS TRUE) THEN TRUE END AS allowed
    FROM ${personCategoriesSql(dialect)} AS c GROUP BY person_id`;
  const regions = Object.entries(policy.regionDefaults);
  if (regions.length === 0) return sql`(SELECT person_id, allowed FROM (${explicit}) WHERE allowed IS NOT NULL)`;
  const regionCase = join(regions.map(([country, allowed]) => sql`WHEN ${country} THEN ${allowed}`), ' ');
  return sql`(SELECT coalesce(e.person_id, r.person_id) AS person_id, coalesce(e.allowed, r.allowed) AS allowed
    FROM (${explicit}) AS e
    FULL JOIN (SELECT person_id, CASE arg_max(country, started_at) ${regionCase} END AS allowed
               FROM ${eventsWithPersonSql(dialect, { events: sql`(SELECT * FROM sessions WHERE list_contains(${regions.map(([c]) => c)}::VARCHAR[], country))` })} AS s
               GROUP BY person_id) AS r USING (person_id)
    WHERE coalesce(e.allowed, r.allowed) IS NOT NULL)`;
}

/**
 * A cheap query whose `n` is 0 when no visitor's current preferences refuse a category of the
 * purpose: under an opt-out policy without region defaults nobody is then left out, and a
 * statement can leave the filter out (reads `consent_current` alone, ~1 ms).
 */
export function consentRefusalProbeSql(purpose: Purpose, policy: ConsentPolicy): Sql {
  const refused = join(policy.categories[purpose].map((c) => sql`json_extract_string(preferences, ${`$."${c}"`}) = 'false'`), ' OR ');
  return sql`SELECT count(*) AS n FROM (SELECT 1 FROM ${ident('consent_current')} WHERE contains(preferences, 'false') AND (${refused}) LIMIT 1)`;
}

/** Whether a purpose's filter can only leave out people holding a refusal (see the probe above). */
export const onlyRefusalsExclude = (policy: ConsentPolicy): boolean => policy.defaultGranted && Object.keys(policy.regionDefaults).length === 0;

/** A condition on `personColumn`: the person may be used for the purpose. */
export function consentAllowsSql(dialect: Dialect, purpose: Purpose, policy: ConsentPolicy, personColumn: Sql): Sql {
  const decisions = consentDecisionsSql(dialect, purpose, policy);
  return policy.defaultGranted
    ? sql`${personColumn} NOT IN (SELECT person_id FROM ${decisions} WHERE NOT allowed)`
    : sql`${personColumn} IN (SELECT person_id FROM ${decisions} WHERE allowed)`;
}

/** For the consent report: people and events a purpose leaves out. */
export function consentExclusionSql(dialect: Dialect, purpose: Purpose, policy: ConsentPolicy): Sql {
  return sql`SELECT count(DISTINCT person_id) AS people, count(*) AS events
    FROM ${eventsWithPersonSql(dialect)} AS e WHERE NOT (${consentAllowsSql(dialect, purpose, policy, sql`e.person_id`)})`;
}
