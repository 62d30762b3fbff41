import { displayIdentifier, type IdentifierKind } from './normalize-identifiers.ts';

/**
 * How identity rows are shown by the API and CLI: ISO times, camelCase, and e-mail/phone hashes
 * by a prefix only (`displayIdentifier`).
 */

export interface IdentifierView {
  readonly kind: IdentifierKind;
  /** The id, or for e-mail and phone the first 12 hex digits of the keyed hash and `…`. */
  readonly value: string;
  readonly hashed: boolean;
}

export interface PersonIdentifierView extends IdentifierView {
  readonly firstSeen: string;
  readonly messageId: string;
  /** People this identifier has been linked to. */
  readonly linkCount: number;
}

export interface PersonView {
  readonly personId: string;
  /** When the asked id was merged away: that id (`personId` is where it ended). */
  readonly mergedFrom?: string;
  readonly createdAt: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly traits: Record<string, unknown>;
  readonly identifiers: readonly PersonIdentifierView[];
}

export interface MergeView {
  readonly mergedAt: string;
  readonly into: string;
  readonly from: string;
  readonly reason: string;
  readonly via: IdentifierView;
  readonly messageId: string;
  readonly identifiers: readonly IdentifierView[];
}

export interface FlagView {
  readonly identifier: IdentifierView;
  readonly personId: string;
  readonly reason: string;
  readonly linkCount: number;
  readonly flaggedAt: string;
  readonly messageId: string;
}

export interface ConflictView {
  readonly identifier: IdentifierView;
  readonly personId: string;
  readonly otherPersonId: string;
  readonly reason: string;
  readonly at: string;
  readonly messageId: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const show = (kind: string, value: string): IdentifierView => displayIdentifier({ kind: kind as IdentifierKind, value });

export function toPersonView(
  person: { person_id: string; created_at: number; first_seen: number; last_seen: number; traits: string | null },
  identities: ReadonlyArray<{ kind: string; value: string; first_seen: number; message_id: string; link_count: number }>,
  askedId: string,
): PersonView {
  let traits: Record<string, unknown> = {};
  try {
    traits = person.traits === null ? {} : (JSON.parse(person.traits) as Record<string, unknown>);
  } catch {
    traits = {};
  }
  return {
    personId: person.person_id,
    ...(askedId !== person.person_id ? { mergedFrom: askedId } : {}),
    createdAt: iso(person.created_at),
    firstSeen: iso(person.first_seen),
    lastSeen: iso(person.last_seen),
    traits,
    identifiers: identities.map((r) => ({
      ...show(r.kind, r.value),
      firstSeen: iso(r.first_seen),
      messageId: r.message_id,
      linkCount: r.link_count,
    })),
  };
}

export function toMergeView(r: {
  merged_at: number; into_person: string; from_person: string; reason: string; via_kind: string; via_value: string; message_id: string; identifiers: string;
}): MergeView {
  const ids = JSON.parse(r.identifiers) as Array<[string, string]>;
  return {
    mergedAt: iso(r.merged_at),
    into: r.into_person,
    from: r.from_person,
    reason: r.reason,
    via: show(r.via_kind, r.via_value),
    messageId: r.message_id,
    identifiers: ids.map(([kind, value]) => show(kind, value)),
  };
}

export function toFlagView(r: { kind: string; value: string; person_id: string; reason: string; link_count: number; flagged_at: number; message_id: string }): FlagView {
  return {
    identifier: show(r.kind, r.value),
    personId: r.person_id,
    reason: r.reason,
    linkCount: r.link_count,
    flaggedAt: iso(r.flagged_at),
    messageId: r.message_id,
  };
}

export function toConflictView(r: { kind: string; value: string; person_id: string; other_person: string; reason: string; at: number; message_id: string }): ConflictView {
  return {
    identifier: show(r.kind, r.value),
    personId: r.person_id,
    otherPersonId: r.other_person,
    reason: r.reason,
    at: iso(r.at),
    messageId: r.message_id,
  };
}
