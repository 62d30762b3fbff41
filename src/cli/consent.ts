import type { Config } from '../config/index.ts';
import { consentScope, type PersonScope } from '../analytics/index.ts';
import { consentPolicyOf, type Purpose } from '../privacy/index.ts';
import { consentAllowsSql } from '../profiles/index.ts';
import type { Sql, Store } from '../store/index.ts';

/**
 * The consent filters a command applies when it reads the data directory itself, the same the
 * server applies: analytics leaves out people who refused analytics, attribution those who
 * refused advertising.
 */
export function consentFilters(store: Store, config: Config): {
  readonly personAllowed: (purpose: Purpose) => (person: Sql) => Sql;
  readonly analyticsScope: PersonScope;
} {
  const policy = consentPolicyOf(config.consent);
  return {
    personAllowed: (purpose) => (person) => consentAllowsSql(store.dialect, purpose, policy, person),
    analyticsScope: consentScope(store.dialect, 'analytics', policy),
  };
}
