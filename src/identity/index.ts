/**
 * Identity: the deterministic identity graph (anonymousId, userId, hashed e-mail/phone,
 * external ids, alias) and the query-time mapping of events to people. See README.md.
 */
export { IdentityGraph, personIdFor, conflictKey } from './graph.ts';
export { applyBatch, applyBatchSteps, foldPeople, type BatchPlan, type PersonPatch, type PersonRow, type NewIdentity } from './batch.ts';
export {
  IDENTIFIER_KINDS,
  HASHED_KINDS,
  normalizeEmail,
  normalizePhone,
  contactIdentifiers,
  identifierKey,
  displayIdentifier,
  type Identifier,
  type IdentifierKind,
  type IdentifierHash,
} from './normalize-identifiers.ts';
export { createIdentifierHasher } from './hash.ts';
export { eventsWithPersonSql, eventsWithPersonKeySql, type EventsWithPersonOptions } from './mapping.sql.ts';
export { IDENTITY_TABLES } from './tables.ts';
export {
  IdentityService,
  type IdentityServiceOptions,
  type ProcessSummary,
  type CustomerLink,
  type PersonQuery,
} from './service.ts';
export {
  DEFAULT_IDENTITY_RULES,
  type IdentityOptions,
  type IdentityMessage,
  type MessageOutcome,
  type MergeRecord,
  type FlagRecord,
  type ConflictRecord,
  type GraphSnapshot,
} from './types.ts';
export type { PersonView, MergeView, FlagView, ConflictView, IdentifierView, PersonIdentifierView } from './views.ts';
export { suppressionKey, createSuppressionMatcher, type MessageIdentifiers } from './suppression-keys.ts';
