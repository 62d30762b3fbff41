import { createHash } from 'node:crypto';
import type { Executor, Store } from '../store/index.ts';
import { applyBatchSteps, foldPeople, type PersonRow } from './batch.ts';
import { conflictKey, IdentityGraph } from './graph.ts';
import {
  clearIdentitySql,
  deletePeopleSql,
  findPersonSql,
  getStateSql,
  insertConflictsSql,
  insertFlagsSql,
  insertIdentitiesSql,
  insertImportsSql,
  insertMergesSql,
  insertPeopleSql,
  listConflictsSql,
  listFlagsSql,
  listMergesSql,
  loadConflictsSql,
  loadFlaggedSql,
  loadIdentitiesSql,
  mergedIntoSql,
  personIdentitiesSql,
  repointIdentitiesSql,
  selectPeopleSql,
  setStateSql,
  updateLinkCountsSql,
  type PeopleRow,
} from './identity.sql.ts';
import { buildImportsSql, buildLinkEventsSql, buildMaxReceivedSql, type ImportRow, type LinkEventRow } from './links.sql.ts';
import {
  contactIdentifiers,
  idIdentifier,
  normalizeEmail,
  normalizePhone,
  type Identifier,
  type IdentifierKind,
} from './normalize-identifiers.ts';
import { WATERMARK_KEY } from './tables.ts';
import type { IdentityMessage, IdentityOptions } from './types.ts';
import { toConflictView, toFlagView, toMergeView, toPersonView, type ConflictView, type FlagView, type MergeView, type PersonView } from './views.ts';

export interface IdentityServiceOptions extends IdentityOptions {
  /** Seals the personal fields of imported customer traits (names, addresses) before they are kept. */
  readonly sealTraits?: (traits: Record<string, unknown>) => Record<string, unknown>;
}

/** What one processing run did. */
export interface ProcessSummary {
  /** Link-carrying rows applied (identify/alias messages and distinct id groups). */
  readonly messages: number;
  readonly peopleCreated: number;
  readonly identifiersAdded: number;
  readonly merges: number;
  readonly flags: number;
  readonly conflicts: number;
  /** Events received up to this time (epoch ms) are processed; null before any event. */
  readonly watermark: number | null;
}

/** A customer record from a CRM or POS export. */
export interface CustomerLink {
  readonly externalId: string;
  readonly email?: string | null;
  readonly phone?: string | null;
  /** Profile traits (names, tier…); e-mail and phone go in their own fields. */
  readonly traits?: Readonly<Record<string, unknown>>;
  /** When the record was known (epoch ms); default the import time. */
  readonly at?: number;
}

export type PersonQuery =
  | { readonly userId: string }
  | { readonly anonymousId: string }
  | { readonly externalId: string }
  | { readonly email: string }
  | { readonly phone: string };

function parseObject(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function eventMessage(r: LinkEventRow): IdentityMessage {
  const contextTraits = r.ctx_email !== null || r.ctx_phone !== null ? { email: r.ctx_email, phone: r.ctx_phone } : null;
  return {
    messageId: r.message_id,
    type: r.type,
    at: r.first_ms,
    lastAt: r.last_ms,
    anonymousId: r.anonymous_id,
    userId: r.user_id,
    previousId: r.previous_id,
    traits: r.type === 'identify' ? parseObject(r.traits) : null,
    contextTraits,
  };
}

function importMessage(r: ImportRow): IdentityMessage {
  const pairs = JSON.parse(r.identifiers) as Array<[IdentifierKind, string]>;
  return {
    messageId: r.message_id,
    type: 'import',
    at: r.known_ms,
    externalId: r.external_id,
    identifiers: pairs.map(([kind, value]) => ({ kind, value })),
    traits: parseObject(r.traits),
  };
}

const byTimeThenId = (a: IdentityMessage, b: IdentityMessage): number =>
  a.at - b.at || (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0);

const EMPTY_SUMMARY: ProcessSummary = { messages: 0, peopleCreated: 0, identifiersAdded: 0, merges: 0, flags: 0, conflicts: 0, watermark: null };

/**
 * Keeps the identity graph in the store current with the events. The graph lives in memory
 * (loaded from `identities` on first use); each run reads only link-carrying events received
 * since the watermark, applies them, and writes every change plus the new watermark in one
 * transaction. Runs are serialised; if a write fails the graph is reloaded from the store.
 */
export class IdentityService {
  private graph: IdentityGraph | null = null;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly options: IdentityServiceOptions,
  ) {}

  /** (Re)loads the graph from the identity tables. */
  load(): Promise<void> {
    return this.exclusive(async () => {
      this.graph = await this.readGraph();
    });
  }

  /** Applies the events received since the last run. */
  processNewEvents(): Promise<ProcessSummary> {
    return this.exclusive(async () => {
      const graph = this.graph ?? (this.graph = await this.readGraph());
      // Before any read: every event received up to `settled` is committed by now.
      const settled = this.store.receipts.settled();
      const [state] = await this.store.query<{ value: string }>(getStateSql(WATERMARK_KEY));
      const previous = state ? Number(state.value) : null;
      const latest = await this.maxReceived();
      if (latest === null) return EMPTY_SUMMARY;
      const upTo = Math.min(latest, settled);
      if (previous !== null && upTo <= previous) return { ...EMPTY_SUMMARY, watermark: previous };
      const rows = await this.store.query<LinkEventRow>(buildLinkEventsSql(this.store.dialect, { receivedFrom: previous, receivedTo: upTo }));
      return this.applyAndWrite(graph, rows.map(eventMessage), { watermark: upTo });
    });
  }

  /** Empties the identity tables and reprocesses every event and stored customer import. */
  rebuild(): Promise<ProcessSummary> {
    return this.exclusive(async () => {
      const graph = new IdentityGraph(this.options);
      this.graph = null;
      const settled = this.store.receipts.settled();
      const latest = await this.maxReceived();
      const upTo = latest === null ? null : Math.min(latest, settled);
      const events = upTo === null ? [] : await this.store.query<LinkEventRow>(buildLinkEventsSql(this.store.dialect, { receivedFrom: null, receivedTo: upTo }));
      const imports = await this.store.query<ImportRow>(buildImportsSql(this.store.dialect));
      const messages = [...events.map(eventMessage), ...imports.map(importMessage)].sort(byTimeThenId);
      const summary = await this.applyAndWrite(graph, messages, { watermark: upTo, clear: true });
      this.graph = graph;
      return summary;
    });
  }

  /**
   * Links customer records (CRM, POS) by external id, hashed e-mail and phone. The records are
   * kept (hashed identifiers and traits only) so that a rebuild replays them.
   */
  importCustomers(customers: readonly CustomerLink[], options: { at?: number } = {}): Promise<ProcessSummary> {
    return this.exclusive(async () => {
      const graph = this.graph ?? (this.graph = await this.readGraph());
      const now = options.at ?? Date.now();
      const { hash, defaultPhoneCountryCode } = this.options;
      const byId = new Map<string, { messageId: string; at: number; externalId: string; identifiers: Identifier[]; traits: string }>();
      for (const c of customers) {
        // E-mail and phone are kept hashed only, even when the caller put them among the traits.
        const { email, phone, ...rest } = c.traits ?? {};
        const identifiers = contactIdentifiers({ email: c.email ?? email, phone: c.phone ?? phone }, hash, defaultPhoneCountryCode);
        const traits = JSON.stringify(this.options.sealTraits ? this.options.sealTraits(rest) : rest);
        const digest = createHash('sha256').update(JSON.stringify([c.externalId, identifiers, traits])).digest('hex').slice(0, 16);
        byId.set(`import:${digest}`, { messageId: `import:${digest}`, at: c.at ?? now, externalId: c.externalId, identifiers, traits });
      }
      const imports = [...byId.values()];
      const messages = imports
        .map((r): IdentityMessage => ({ messageId: r.messageId, type: 'import', at: r.at, externalId: r.externalId, identifiers: r.identifiers, traits: parseObject(r.traits) }))
        .sort(byTimeThenId);
      return this.applyAndWrite(graph, messages, { imports });
    });
  }

  /** The current person of an identifier; e-mail and phone are normalised and hashed first. */
  async findPerson(query: PersonQuery): Promise<string | null> {
    const id = this.identifierOf(query);
    if (id === null) return null;
    const [row] = await this.store.query<{ person_id: string }>(findPersonSql(id.kind, id.value));
    return row?.person_id ?? null;
  }

  /** A person with its identifiers; a merged-away id leads to the person it was merged into. */
  async getPerson(personId: string): Promise<PersonView | null> {
    let current = personId;
    for (let step = 0; step < 64; step++) {
      const [person] = await this.store.query<PeopleRow>(selectPeopleSql(this.store.dialect, [current]));
      if (person) {
        const identities = await this.store.query<IdentityRow>(personIdentitiesSql(this.store.dialect, current));
        return toPersonView(person, identities, personId);
      }
      const [merged] = await this.store.query<{ into_person: string }>(mergedIntoSql(current));
      if (!merged) return null;
      current = merged.into_person;
    }
    return null;
  }

  /** The stored traits of current people, in one query (ids the graph does not know are left out). */
  async getTraits(personIds: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
    if (personIds.length === 0) return new Map();
    const rows = await this.store.query<PeopleRow>(selectPeopleSql(this.store.dialect, personIds));
    return new Map(rows.map((r) => [r.person_id, parseObject(r.traits) ?? {}]));
  }

  /** Merges, newest first; with a person, the merges that made it (transitively) and the one that took it away. */
  async listMerges(params: { personId?: string; limit?: number } = {}): Promise<MergeView[]> {
    const rows = await this.store.query<MergeRow>(listMergesSql(this.store.dialect, { personId: params.personId, limit: params.limit ?? 100 }));
    return rows.map(toMergeView);
  }

  async listFlags(params: { limit?: number } = {}): Promise<FlagView[]> {
    const rows = await this.store.query<Parameters<typeof toFlagView>[0]>(listFlagsSql(this.store.dialect, params.limit ?? 100));
    return rows.map(toFlagView);
  }

  async listConflicts(params: { personId?: string; limit?: number } = {}): Promise<ConflictView[]> {
    const rows = await this.store.query<Parameters<typeof toConflictView>[0]>(
      listConflictsSql(this.store.dialect, { personId: params.personId, limit: params.limit ?? 100 }),
    );
    return rows.map(toConflictView);
  }

  private identifierOf(query: PersonQuery): Identifier | null {
    const { hash, defaultPhoneCountryCode } = this.options;
    if ('userId' in query) return idIdentifier('user_id', query.userId);
    if ('anonymousId' in query) return idIdentifier('anonymous_id', query.anonymousId);
    if ('externalId' in query) return idIdentifier('external_id', query.externalId);
    if ('email' in query) {
      const email = normalizeEmail(query.email);
      return email === null ? null : { kind: 'email', value: hash('email', email) };
    }
    const phone = normalizePhone(query.phone, defaultPhoneCountryCode);
    return phone === null ? null : { kind: 'phone', value: hash('phone', phone) };
  }

  private async maxReceived(): Promise<number | null> {
    const [row] = await this.store.query<{ max_received: number | null }>(buildMaxReceivedSql(this.store.dialect));
    return row?.max_received ?? null;
  }

  private async readGraph(): Promise<IdentityGraph> {
    const [identities, people, flagged, conflicts] = await Promise.all([
      this.store.query<{ kind: string; value: string; person_id: string; link_count: number }>(loadIdentitiesSql()),
      this.store.query<PeopleRow>(selectPeopleSql(this.store.dialect, null)),
      this.store.query<{ kind: IdentifierKind; value: string }>(loadFlaggedSql()),
      this.store.query<{ kind: IdentifierKind; value: string; other_person: string }>(loadConflictsSql()),
    ]);
    return new IdentityGraph(this.options, {
      identities: identities.map((r) => ({ kind: r.kind, value: r.value, personId: r.person_id, linkCount: r.link_count })),
      people: people.map((p) => ({ personId: p.person_id, createdAt: p.created_at })),
      flagged,
      conflictKeys: conflicts.map((c) => conflictKey({ kind: c.kind, value: c.value }, c.other_person)),
    });
  }

  private async applyAndWrite(
    graph: IdentityGraph,
    messages: readonly IdentityMessage[],
    opts: { watermark?: number | null; clear?: boolean; imports?: Parameters<typeof insertImportsSql>[0] },
  ): Promise<ProcessSummary> {
    try {
      // In steps, letting requests be served in between: a run can apply thousands of messages.
      const steps = applyBatchSteps(graph, messages);
      let step = steps.next();
      while (!step.done) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        step = steps.next();
      }
      const plan = step.value;
      await this.store.transaction(async (tx) => {
        if (opts.clear) for (const q of clearIdentitySql()) await tx.exec(q);
        const affected = new Set<string>();
        for (const patch of plan.people.values()) {
          affected.add(patch.personId);
          for (const from of patch.mergedFrom) affected.add(from);
        }
        const stored = opts.clear ? new Map<string, PersonRow>() : await readPeople(tx, this.store, [...affected]);
        const people = foldPeople(plan, stored);
        const writes = [
          opts.imports ? insertImportsSql(opts.imports) : null,
          insertIdentitiesSql(plan.newIdentities),
          repointIdentitiesSql(plan.repoint),
          updateLinkCountsSql(plan.linkCounts),
          insertMergesSql(plan.merges),
          insertFlagsSql(plan.flags),
          insertConflictsSql(plan.conflicts),
          deletePeopleSql(people.replace),
          insertPeopleSql(people.rows),
          opts.watermark != null ? setStateSql(WATERMARK_KEY, String(opts.watermark)) : null,
        ];
        for (const q of writes) if (q !== null) await tx.exec(q);
      });
      return {
        messages: plan.messages,
        peopleCreated: plan.peopleCreated,
        identifiersAdded: plan.newIdentities.length,
        merges: plan.merges.length,
        flags: plan.flags.length,
        conflicts: plan.conflicts.length,
        watermark: opts.watermark ?? null,
      };
    } catch (err) {
      this.graph = null; // the in-memory graph is ahead of the store: reload on next use
      throw err;
    }
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

async function readPeople(tx: Executor, store: Store, personIds: readonly string[]): Promise<Map<string, PersonRow>> {
  if (personIds.length === 0) return new Map();
  const rows = await tx.query<PeopleRow>(selectPeopleSql(store.dialect, personIds));
  return new Map(
    rows.map((r) => [
      r.person_id,
      { personId: r.person_id, createdAt: r.created_at, firstSeen: r.first_seen, lastSeen: r.last_seen, traits: parseObject(r.traits) ?? {} },
    ]),
  );
}

type IdentityRow = Parameters<typeof toPersonView>[1][number];
type MergeRow = Parameters<typeof toMergeView>[0];
