import type { Sql, Store } from '../store/index.ts';
import type { ConsentPolicy, Purpose } from '../privacy/index.ts';
import { consentAllowsSql, consentRefusalProbeSql, onlyRefusalsExclude } from './consent.sql.ts';

/** A condition on a person id column: the person may be used. */
export type PersonFilter = (person: Sql) => Sql;

/**
 * The consent filter of a purpose for one request, or undefined when it would leave nobody out:
 * under an opt-out policy without region defaults only a refusal excludes, and when no visitor
 * holds one (the usual case, one small query to know) the statement needs no filter — which spares
 * it mapping every touch to its person id to test it.
 */
export async function consentFilter(store: Store, purpose: Purpose, policy: ConsentPolicy): Promise<PersonFilter | undefined> {
  if (onlyRefusalsExclude(policy)) {
    const [row] = await store.query<{ n: number }>(consentRefusalProbeSql(purpose, policy));
    if (Number(row?.n ?? 0) === 0) return undefined;
  }
  return (person) => consentAllowsSql(store.dialect, purpose, policy, person);
}
