import type { Identifier, IdentifierHash } from './normalize-identifiers.ts';

/** The identity rules a deployment chooses (see README.md). */
export interface IdentityOptions {
  /**
   * Whether an implicit link (a shared anonymousId, e-mail or phone) may put two different
   * userIds (or two different external ids) in one person. Default false: a shared device or
   * a family e-mail does not merge two accounts. `alias` always may.
   */
  readonly mergeDistinctUserIds: boolean;
  /**
   * An identifier linked to more people than this is flagged and links nobody any more
   * (a kiosk device, `test@test.com`). Default 10.
   */
  readonly maxPeoplePerIdentifier: number;
  /** Country calling code (`1`, `+44`) for phone numbers written without one. */
  readonly defaultPhoneCountryCode?: string;
  /** Keyed hash of normalised e-mails and phones; only its output is stored. */
  readonly hash: IdentifierHash;
}

export const DEFAULT_IDENTITY_RULES = { mergeDistinctUserIds: false, maxPeoplePerIdentifier: 10 } as const;

/**
 * What the graph reads of a message. `traits` are used for `identify` and `import` only (a
 * `group` call's traits describe the company); `contextTraits` (`context.traits`) for any type.
 * `identifiers` are extra identifiers already normalised and hashed (replayed CRM imports).
 */
export interface IdentityMessage {
  readonly messageId: string;
  readonly type: string;
  /** Event time, epoch ms. */
  readonly at: number;
  /** For a row standing for several events with the same ids: the last one's time (last seen). */
  readonly lastAt?: number;
  readonly anonymousId?: string | null;
  readonly userId?: string | null;
  readonly previousId?: string | null;
  readonly externalId?: string | null;
  readonly traits?: Readonly<Record<string, unknown>> | null;
  readonly contextTraits?: Readonly<Record<string, unknown>> | null;
  readonly identifiers?: readonly Identifier[];
}

export interface PersonCreated {
  readonly personId: string;
  readonly at: number;
  readonly messageId: string;
}

export interface IdentifierAdded {
  readonly identifier: Identifier;
  /** The person it joined (it may move later in the same batch by a merge). */
  readonly personId: string;
  readonly at: number;
  readonly messageId: string;
}

/** `alias`: an explicit merge; `link`: a message carried identifiers of two people. */
export type MergeReason = 'alias' | 'link';

export interface MergeRecord {
  readonly into: string;
  readonly from: string;
  readonly reason: MergeReason;
  /** The identifier of `from`'s side that the message linked. */
  readonly via: Identifier;
  readonly messageId: string;
  readonly at: number;
  /** Every identifier that moved from `from` to `into`. */
  readonly identifiers: readonly Identifier[];
}

export interface FlagRecord {
  readonly identifier: Identifier;
  readonly personId: string;
  readonly reason: 'max_people';
  /** People it was linked to before this message (it would have been one more). */
  readonly linkCount: number;
  readonly messageId: string;
  readonly at: number;
}

/** `distinct_user_ids` / `distinct_external_ids`: the link would have put two in one person. */
export type ConflictReason = 'distinct_user_ids' | 'distinct_external_ids';

export interface ConflictRecord {
  readonly identifier: Identifier;
  /** The person the identifier stays with. */
  readonly personId: string;
  /** The person the message tried to link it to. */
  readonly otherPersonId: string;
  readonly reason: ConflictReason;
  readonly messageId: string;
  readonly at: number;
}

/** What one message changed. */
export interface MessageOutcome {
  /** The person the message is about after it was applied (null: it carried no identifier). */
  readonly personId: string | null;
  readonly created: readonly PersonCreated[];
  readonly added: readonly IdentifierAdded[];
  readonly merges: readonly MergeRecord[];
  readonly flags: readonly FlagRecord[];
  readonly conflicts: readonly ConflictRecord[];
  /** Identifiers whose link count changed (read the new count from the graph). */
  readonly counted: readonly Identifier[];
}

/** The persisted state a graph is rebuilt from. */
export interface GraphSnapshot {
  readonly identities: Iterable<{ readonly kind: string; readonly value: string; readonly personId: string; readonly linkCount: number }>;
  readonly people: Iterable<{ readonly personId: string; readonly createdAt: number }>;
  readonly flagged: Iterable<Identifier>;
  /** `conflictKey(identifier, otherPerson)` of recorded conflicts, so none is recorded twice. */
  readonly conflictKeys: Iterable<string>;
}
