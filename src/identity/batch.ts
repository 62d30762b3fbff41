import type { IdentityGraph } from './graph.ts';
import { identifierKey, type Identifier } from './normalize-identifiers.ts';
import type { ConflictRecord, FlagRecord, IdentityMessage, MergeRecord } from './types.ts';

/**
 * A batch of messages applied to the graph, folded into what has to be written: the graph
 * changes message by message, the store once per batch. Pure apart from mutating the graph.
 */

export interface NewIdentity {
  readonly identifier: Identifier;
  /** Its person at the end of the batch. */
  readonly personId: string;
  readonly firstSeen: number;
  readonly messageId: string;
  readonly linkCount: number;
}

/** What the batch says about one surviving person (merged people folded in). */
export interface PersonPatch {
  readonly personId: string;
  readonly createdAt: number;
  firstSeen: number;
  lastSeen: number;
  /** Trait updates in message order. */
  readonly traits: Array<Readonly<Record<string, unknown>>>;
  /** People merged into this one during the batch, in merge order (they may exist in the store). */
  readonly mergedFrom: string[];
}

export interface BatchPlan {
  readonly messages: number;
  readonly peopleCreated: number;
  readonly newIdentities: readonly NewIdentity[];
  /** Identifiers stored before the batch whose link count changed. */
  readonly linkCounts: ReadonlyArray<{ readonly identifier: Identifier; readonly linkCount: number }>;
  /** Every person merged away in the batch → the person it ends in. */
  readonly repoint: ReadonlyArray<{ readonly from: string; readonly into: string }>;
  readonly merges: readonly MergeRecord[];
  readonly flags: readonly FlagRecord[];
  readonly conflicts: readonly ConflictRecord[];
  readonly people: ReadonlyMap<string, PersonPatch>;
}

/** Messages that carry traits for the person's profile. */
const TRAIT_TYPES = new Set(['identify', 'import']);

/** Applies messages (already in event-time order) to the graph and folds the changes. */
export function applyBatch(graph: IdentityGraph, messages: readonly IdentityMessage[]): BatchPlan {
  const steps = applyBatchSteps(graph, messages);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Messages `applyBatchSteps` applies between two pauses. */
export const APPLY_STEP = 500;

/**
 * `applyBatch` in steps: pauses (yields) after every `step` messages, so that a caller on a busy
 * event loop can let other work run in between; the plan is the generator's return value. The
 * graph must not be touched by anything else until it returns.
 */
export function* applyBatchSteps(graph: IdentityGraph, messages: readonly IdentityMessage[], step = APPLY_STEP): Generator<void, BatchPlan, void> {
  const merges: MergeRecord[] = [];
  const flags: FlagRecord[] = [];
  const conflicts: ConflictRecord[] = [];
  const added = new Map<string, { identifier: Identifier; at: number; messageId: string }>();
  const counted = new Map<string, Identifier>();
  const touches: Array<{ personId: string; msg: IdentityMessage }> = [];
  let peopleCreated = 0;

  for (let i = 0; i < messages.length; i++) {
    if (i > 0 && i % step === 0) yield;
    const msg = messages[i];
    const outcome = graph.applyMessage(msg);
    peopleCreated += outcome.created.length;
    for (const a of outcome.added) added.set(identifierKey(a.identifier), { identifier: a.identifier, at: a.at, messageId: a.messageId });
    for (const id of outcome.counted) counted.set(identifierKey(id), id);
    merges.push(...outcome.merges);
    flags.push(...outcome.flags);
    conflicts.push(...outcome.conflicts);
    if (outcome.personId !== null) touches.push({ personId: outcome.personId, msg });
  }

  const next = new Map<string, string>(merges.map((m) => [m.from, m.into]));
  const finalOf = (personId: string): string => {
    let p = personId;
    for (let n = next.get(p); n !== undefined; n = next.get(p)) p = n;
    return p;
  };

  const newIdentities: NewIdentity[] = [...added.values()].map((a) => ({
    identifier: a.identifier,
    personId: graph.personOf(a.identifier)!,
    firstSeen: a.at,
    messageId: a.messageId,
    linkCount: graph.linkCount(a.identifier),
  }));
  const linkCounts = [...counted.entries()]
    .filter(([key]) => !added.has(key))
    .map(([, identifier]) => ({ identifier, linkCount: graph.linkCount(identifier) }));

  const people = new Map<string, PersonPatch>();
  const patchOf = (personId: string): PersonPatch => {
    let patch = people.get(personId);
    if (!patch) {
      patch = { personId, createdAt: graph.createdAt(personId) ?? 0, firstSeen: Infinity, lastSeen: -Infinity, traits: [], mergedFrom: [] };
      people.set(personId, patch);
    }
    return patch;
  };
  for (const m of merges) patchOf(finalOf(m.into)).mergedFrom.push(m.from);
  for (const { personId, msg } of touches) {
    const patch = patchOf(finalOf(personId));
    patch.firstSeen = Math.min(patch.firstSeen, msg.at);
    patch.lastSeen = Math.max(patch.lastSeen, msg.lastAt ?? msg.at);
    if (TRAIT_TYPES.has(msg.type) && msg.traits && Object.keys(msg.traits).length > 0) patch.traits.push(msg.traits);
  }

  return {
    messages: messages.length,
    peopleCreated,
    newIdentities,
    linkCounts,
    repoint: merges.map((m) => ({ from: m.from, into: finalOf(m.into) })),
    merges,
    flags,
    conflicts,
    people,
  };
}

/** A person as stored in `people`. */
export interface PersonRow {
  readonly personId: string;
  readonly createdAt: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly traits: Record<string, unknown>;
}

/**
 * The `people` rows after a batch: each surviving person's stored row with the rows of the people
 * merged into it folded in (earliest first/created, latest last seen; on a trait both have, the
 * survivor's value wins), then the batch's trait updates in message order. Returns the rows to
 * write and every person id whose row is replaced or removed.
 */
export function foldPeople(plan: BatchPlan, stored: ReadonlyMap<string, PersonRow>): { rows: PersonRow[]; replace: string[] } {
  const rows: PersonRow[] = [];
  const replace = new Set<string>();
  for (const patch of plan.people.values()) {
    const own = stored.get(patch.personId);
    let createdAt = Math.min(patch.createdAt, own?.createdAt ?? Infinity);
    let firstSeen = Math.min(patch.firstSeen, own?.firstSeen ?? Infinity);
    let lastSeen = Math.max(patch.lastSeen, own?.lastSeen ?? -Infinity);
    const traits: Record<string, unknown> = {};
    for (const from of patch.mergedFrom) {
      replace.add(from);
      const row = stored.get(from);
      if (!row) continue;
      createdAt = Math.min(createdAt, row.createdAt);
      firstSeen = Math.min(firstSeen, row.firstSeen);
      lastSeen = Math.max(lastSeen, row.lastSeen);
      Object.assign(traits, row.traits);
    }
    if (own) Object.assign(traits, own.traits);
    for (const t of patch.traits) Object.assign(traits, t);
    replace.add(patch.personId);
    if (!Number.isFinite(firstSeen)) firstSeen = createdAt;
    if (!Number.isFinite(lastSeen)) lastSeen = firstSeen;
    rows.push({ personId: patch.personId, createdAt, firstSeen, lastSeen, traits });
  }
  return { rows, replace: [...replace] };
}
