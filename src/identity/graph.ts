import { createHash } from 'node:crypto';
import {
  contactIdentifiers,
  idIdentifier,
  identifierKey,
  type Identifier,
  type IdentifierKind,
} from './normalize-identifiers.ts';
import type {
  ConflictReason,
  GraphSnapshot,
  IdentityMessage,
  IdentityOptions,
  MergeReason,
  MessageOutcome,
} from './types.ts';

/**
 * The deterministic identity graph (pure: no store, no clock). Every identifier belongs to exactly
 * one person; a message links the identifiers it carries to its *anchor* — the identifier the
 * message is about: its userId, else its external id, else its anonymousId (else its e-mail or
 * phone). Linking identifiers of two people merges them unless a rule refuses:
 *
 * - a flagged identifier links nobody (messages are read as if they did not carry it);
 * - an identifier that would be linked to more than `maxPeoplePerIdentifier` people is flagged;
 * - an implicit link that would put two different userIds (or external ids) in one person is a
 *   conflict (unless `mergeDistinctUserIds`); `alias` is explicit and always merges.
 *
 * A person's id is `p_` + the first 16 hex digits of sha256(`kind:value`) of the identifier that
 * created it. In a merge the older person survives (created earlier; on a tie the smaller id).
 * The same messages in the same order always give the same people.
 */

/** `p_` + 16 hex of sha256 of `kind:value`. */
export function personIdFor(id: Identifier, attempt = 0): string {
  const key = identifierKey(id) + (attempt === 0 ? '' : `#${attempt}`);
  return 'p_' + createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** The key under which a refused link is remembered, so it is recorded once. */
export function conflictKey(id: Identifier, otherPersonId: string): string {
  return `${identifierKey(id)}>${otherPersonId}`;
}

interface PersonState {
  readonly id: string;
  readonly createdAt: number;
  identifiers: Identifier[];
  userIds: string[];
  externalIds: string[];
}

interface Link {
  readonly id: Identifier;
  /** An alias's previousId: merges across distinct userIds. */
  readonly explicit: boolean;
}

type MutableOutcome = { -readonly [K in keyof MessageOutcome]: MessageOutcome[K] extends readonly (infer T)[] ? T[] : MessageOutcome[K] };

function emptyOutcome(): MutableOutcome {
  return { personId: null, created: [], added: [], merges: [], flags: [], conflicts: [], counted: [] };
}

export class IdentityGraph {
  private readonly owner = new Map<string, string>();
  private readonly people = new Map<string, PersonState>();
  /** Link counts above 1 (absent: 1). */
  private readonly counts = new Map<string, number>();
  private readonly flagged = new Set<string>();
  private readonly conflicts = new Set<string>();

  constructor(
    private readonly options: IdentityOptions,
    snapshot?: GraphSnapshot,
  ) {
    if (!(options.maxPeoplePerIdentifier >= 1)) throw new RangeError('maxPeoplePerIdentifier must be at least 1');
    if (snapshot) this.restore(snapshot);
  }

  private restore(snapshot: GraphSnapshot): void {
    for (const p of snapshot.people) this.people.set(p.personId, this.newPerson(p.personId, p.createdAt));
    for (const row of snapshot.identities) {
      const id: Identifier = { kind: row.kind as IdentifierKind, value: row.value };
      let person = this.people.get(row.personId);
      if (!person) {
        // An identity whose people row is missing: keep it, as the youngest possible person.
        person = this.newPerson(row.personId, Number.MAX_SAFE_INTEGER);
        this.people.set(row.personId, person);
      }
      this.attach(id, person);
      if (row.linkCount > 1) this.counts.set(identifierKey(id), row.linkCount);
    }
    for (const id of snapshot.flagged) this.flagged.add(identifierKey(id));
    for (const key of snapshot.conflictKeys) this.conflicts.add(key);
  }

  /** The current person of an identifier. */
  personOf(id: Identifier): string | undefined {
    return this.owner.get(identifierKey(id));
  }

  identifiersOf(personId: string): readonly Identifier[] {
    return this.people.get(personId)?.identifiers ?? [];
  }

  createdAt(personId: string): number | undefined {
    return this.people.get(personId)?.createdAt;
  }

  /** How many people the identifier has been linked to (1 once it exists). */
  linkCount(id: Identifier): number {
    return this.counts.get(identifierKey(id)) ?? 1;
  }

  isFlagged(id: Identifier): boolean {
    return this.flagged.has(identifierKey(id));
  }

  get personCount(): number {
    return this.people.size;
  }

  get identifierCount(): number {
    return this.owner.size;
  }

  /** Applies one message and returns what it changed. Call in event-time order. */
  applyMessage(msg: IdentityMessage): MessageOutcome {
    const out = emptyOutcome();
    const { anchor, links } = this.linksOf(msg);
    if (anchor === null) return out;
    let person = this.owner.get(identifierKey(anchor));
    let joinedVia: Link | undefined;
    if (person === undefined) {
      // A new anchor joins the person of the first identifier that may link it, else starts one.
      joinedVia = links.find((link) => this.canJoin(anchor, link));
      if (joinedVia) {
        person = this.owner.get(identifierKey(joinedVia.id))!;
        this.add(anchor, person, msg, out);
        this.bump(joinedVia.id, out);
      } else {
        person = this.create(anchor, msg, out);
      }
    }
    for (const link of links) {
      if (link !== joinedVia) person = this.link(person, link, msg, out);
    }
    out.personId = person;
    return out;
  }

  /** The anchor and the other identifiers of a message, deduplicated, in a fixed order. */
  private linksOf(msg: IdentityMessage): { anchor: Identifier | null; links: Link[] } {
    const candidates: Link[] = [];
    const push = (id: Identifier | null, explicit = false): void => {
      if (id !== null) candidates.push({ id, explicit });
    };
    push(idIdentifier('user_id', msg.userId));
    push(idIdentifier('external_id', msg.externalId));
    push(idIdentifier('anonymous_id', msg.anonymousId));
    if (msg.type === 'alias') push(this.resolvePrevious(msg.previousId), true);
    const { hash, defaultPhoneCountryCode } = this.options;
    if (msg.type === 'identify' || msg.type === 'import') {
      for (const id of contactIdentifiers(msg.traits, hash, defaultPhoneCountryCode)) push(id);
    }
    for (const id of contactIdentifiers(msg.contextTraits, hash, defaultPhoneCountryCode)) push(id);
    for (const id of msg.identifiers ?? []) push(id);

    // A flagged identifier links nobody: the message is read as if it did not carry it.
    const seen = new Set<string>();
    const unique = candidates.filter((c) => {
      const key = identifierKey(c.id);
      if (seen.has(key) || this.flagged.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (unique.length === 0) return { anchor: null, links: [] };
    return { anchor: unique[0].id, links: unique.slice(1) };
  }

  /** An alias's previousId: a known userId, else a known anonymousId, else a new userId. */
  private resolvePrevious(previousId: string | null | undefined): Identifier | null {
    const asUser = idIdentifier('user_id', previousId);
    if (asUser === null) return null;
    if (this.owner.has(identifierKey(asUser))) return asUser;
    const asAnonymous: Identifier = { kind: 'anonymous_id', value: asUser.value };
    return this.owner.has(identifierKey(asAnonymous)) ? asAnonymous : asUser;
  }

  /** Whether a new anchor may join the person of `link` (same rules as `link`, no effects). */
  private canJoin(anchor: Identifier, link: Link): boolean {
    const key = identifierKey(link.id);
    const owner = this.owner.get(key);
    if (owner === undefined || this.flagged.has(key)) return false;
    if (this.linkCount(link.id) + 1 > this.options.maxPeoplePerIdentifier) return false;
    if (link.explicit || this.options.mergeDistinctUserIds) return true;
    const person = this.people.get(owner)!;
    if (anchor.kind === 'user_id') return person.userIds.every((u) => u === anchor.value);
    if (anchor.kind === 'external_id') return person.externalIds.every((x) => x === anchor.value);
    return true;
  }

  /** Links one identifier of a message to the anchor's person; returns the anchor's person after. */
  private link(person: string, link: Link, msg: IdentityMessage, out: MutableOutcome): string {
    const key = identifierKey(link.id);
    const other = this.owner.get(key);
    if (other === undefined) {
      this.add(link.id, person, msg, out);
      return person;
    }
    if (other === person || this.flagged.has(key)) return person;
    const ck = conflictKey(link.id, person);
    if (this.conflicts.has(ck)) return person;
    const count = this.linkCount(link.id);
    if (count + 1 > this.options.maxPeoplePerIdentifier) {
      this.flagged.add(key);
      out.flags.push({ identifier: link.id, personId: other, reason: 'max_people', linkCount: count, messageId: msg.messageId, at: msg.at });
      return person;
    }
    this.bump(link.id, out);
    const conflict = link.explicit ? null : this.conflictBetween(this.people.get(other)!, this.people.get(person)!);
    if (conflict !== null) {
      this.conflicts.add(ck);
      out.conflicts.push({ identifier: link.id, personId: other, otherPersonId: person, reason: conflict, messageId: msg.messageId, at: msg.at });
      return person;
    }
    return this.merge(other, person, link.explicit ? 'alias' : 'link', link.id, msg, out);
  }

  private conflictBetween(a: PersonState, b: PersonState): ConflictReason | null {
    if (this.options.mergeDistinctUserIds) return null;
    if (new Set([...a.userIds, ...b.userIds]).size > 1) return 'distinct_user_ids';
    if (new Set([...a.externalIds, ...b.externalIds]).size > 1) return 'distinct_external_ids';
    return null;
  }

  /** Merges two people; the older survives. Returns the survivor's id. */
  private merge(a: string, b: string, reason: MergeReason, via: Identifier, msg: IdentityMessage, out: MutableOutcome): string {
    const pa = this.people.get(a)!;
    const pb = this.people.get(b)!;
    const aFirst = pa.createdAt < pb.createdAt || (pa.createdAt === pb.createdAt && pa.id < pb.id);
    const [into, from] = aFirst ? [pa, pb] : [pb, pa];
    for (const id of from.identifiers) this.attach(id, into);
    this.people.delete(from.id);
    out.merges.push({ into: into.id, from: from.id, reason, via, messageId: msg.messageId, at: msg.at, identifiers: from.identifiers });
    return into.id;
  }

  private create(anchor: Identifier, msg: IdentityMessage, out: MutableOutcome): string {
    let attempt = 0;
    let id = personIdFor(anchor);
    while (this.people.has(id)) id = personIdFor(anchor, ++attempt);
    this.people.set(id, this.newPerson(id, msg.at));
    out.created.push({ personId: id, at: msg.at, messageId: msg.messageId });
    this.add(anchor, id, msg, out);
    return id;
  }

  private add(id: Identifier, personId: string, msg: IdentityMessage, out: MutableOutcome): void {
    this.attach(id, this.people.get(personId)!);
    out.added.push({ identifier: id, personId, at: msg.at, messageId: msg.messageId });
  }

  private attach(id: Identifier, person: PersonState): void {
    this.owner.set(identifierKey(id), person.id);
    person.identifiers.push(id);
    if (id.kind === 'user_id' && !person.userIds.includes(id.value)) person.userIds.push(id.value);
    if (id.kind === 'external_id' && !person.externalIds.includes(id.value)) person.externalIds.push(id.value);
  }

  private bump(id: Identifier, out: MutableOutcome): void {
    this.counts.set(identifierKey(id), this.linkCount(id) + 1);
    out.counted.push(id);
  }

  private newPerson(id: string, createdAt: number): PersonState {
    return { id, createdAt, identifiers: [], userIds: [], externalIds: [] };
  }
}
