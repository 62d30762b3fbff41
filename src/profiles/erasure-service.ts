import { TributaryError } from '../errors/index.ts';
import { changedRows, type Store } from '../store/index.ts';
import { suppressionKey, type IdentifierHash, type IdentifierKind } from '../identity/index.ts';
import { cannotOpen, revealDocument, type Actor, type AuditLog, type Opener, type Section } from '../privacy/index.ts';
import {
  erasureStatements,
  insertSuppressionSql,
  personEventsSql,
  personIdentifiersSql,
  personMergesSql,
  personRowSql,
  personSessionsSql,
  personTouchRowsSql,
  visitorHasEventsSql,
  type ErasureTarget,
} from './erasure.sql.ts';

export interface ErasureReport {
  readonly personId: string;
  readonly identifiers: number;
  /** Rows removed, by table. */
  readonly deleted: Readonly<Record<string, number>>;
  /** Identifiers added to the suppression list: later messages for them are dropped on ingest. */
  readonly suppressed: number;
}

export interface PersonExport {
  readonly personId: string;
  readonly exportedAt: string;
  /** E-mail and phone are stored only as keyed hashes: the export shows the hash, as stored. */
  readonly identifiers: ReadonlyArray<{ kind: string; value: string; hashed: boolean }>;
  readonly profile: { firstSeen: string; lastSeen: string; traits: Record<string, unknown> } | null;
  readonly merges: ReadonlyArray<Record<string, unknown>>;
  readonly events: ReadonlyArray<Record<string, unknown>>;
  readonly sessions: ReadonlyArray<Record<string, unknown>>;
  readonly touches: ReadonlyArray<Record<string, unknown>>;
}

const HASHED = new Set(['email', 'phone']);
const JSON_COLUMNS = ['properties', 'traits', 'context', 'integrations'];

const SECTION_OF: Record<string, Section> = { properties: 'properties', traits: 'traits', context: 'context' };

function parseJsonColumns(row: Record<string, unknown>, open: Opener): Record<string, unknown> {
  const out: Record<string, unknown> = { ...row };
  for (const c of JSON_COLUMNS) {
    if (typeof out[c] !== 'string') continue;
    const doc = JSON.parse(out[c] as string) as unknown;
    const section = SECTION_OF[c];
    out[c] = section && doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? revealDocument(doc as Record<string, unknown>, section, open, 'clear') : doc;
  }
  return out;
}

/**
 * Erasure and export of one person (GDPR/PIPL rights of erasure and access). Erasure removes the
 * person's events, identifiers, traits and every derived row in one transaction, then puts the
 * identifiers (as keyed hashes) on the suppression list so later messages for them are dropped on
 * ingest. Both are audited under a pseudonym of the person, never an identifier.
 */
export class ErasureService {
  constructor(
    private readonly store: Store,
    private readonly hash: IdentifierHash,
    private readonly audit: AuditLog,
    /** Called after the suppression list grew (ingestion reloads it). */
    private readonly onSuppressed: () => Promise<unknown>,
    /**
     * How the audit log names a person: a keyed pseudonym, so the append-only log can tie an
     * export to an erasure without keeping anything that identifies the erased person.
     */
    private readonly pseudonym: (personId: string) => string,
    /** Opens sealed personal data: an export gives the person their data in the clear. */
    private readonly open: Opener = cannotOpen,
  ) {}

  private async target(personId: string): Promise<ErasureTarget & { identifiers: Array<{ kind: IdentifierKind; value: string }> }> {
    let identifiers = await this.store.query<{ kind: IdentifierKind; value: string }>(personIdentifiersSql(personId));
    // A visitor the identity graph never linked is the pseudo-person `anon:<id>` / `user:<id>`.
    const unlinked = /^(anon|user):(.+)$/.exec(personId);
    if (identifiers.length === 0 && unlinked) {
      const kind = unlinked[1] === 'anon' ? 'anonymous_id' : 'user_id';
      const [{ found }] = await this.store.query<{ found: boolean }>(visitorHasEventsSql(kind, unlinked[2]));
      if (found) identifiers = [{ kind, value: unlinked[2] }];
    }
    if (identifiers.length === 0) throw new TributaryError('not_found', `no person ${personId}`);
    return {
      personId,
      identifiers,
      userIds: identifiers.filter((i) => i.kind === 'user_id').map((i) => i.value),
      anonymousIds: identifiers.filter((i) => i.kind === 'anonymous_id').map((i) => i.value),
      values: [personId, ...identifiers.map((i) => i.value)],
    };
  }

  async erase(personId: string, actor: Actor): Promise<ErasureReport> {
    const t = await this.target(personId);
    const at = new Date();
    const deleted: Record<string, number> = {};
    await this.store.transaction(async (tx) => {
      for (const step of erasureStatements(t)) deleted[step.table] = changedRows(await tx.query(step.sql));
      for (const id of t.identifiers) {
        const [kind, hash] = splitKey(suppressionKey(id, this.hash));
        await tx.exec(insertSuppressionSql(kind, hash, at));
      }
    });
    await this.onSuppressed();
    const report = { personId, identifiers: t.identifiers.length, deleted, suppressed: t.identifiers.length };
    await this.audit.record({ actor: actor.name, ip: actor.ip ?? null, action: 'person.erase', target: this.pseudonym(personId), details: { identifiers: report.identifiers, deleted } });
    return report;
  }

  async export(personId: string, actor: Actor): Promise<PersonExport> {
    const t = await this.target(personId);
    const [person] = await this.store.query<{ first_seen: string; last_seen: string; traits: string | null }>(personRowSql(personId));
    const [events, sessions, touches, merges] = await Promise.all([
      this.store.query(personEventsSql(t)),
      this.store.query(personSessionsSql(t)),
      this.store.query(personTouchRowsSql(t)),
      this.store.query(personMergesSql(personId)),
    ]);
    await this.audit.record({ actor: actor.name, ip: actor.ip ?? null, action: 'person.export', target: this.pseudonym(personId), details: { events: events.length } });
    return {
      personId,
      exportedAt: new Date().toISOString(),
      identifiers: t.identifiers.map((i) => ({ kind: i.kind, value: i.value, hashed: HASHED.has(i.kind) })),
      profile: person
        ? { firstSeen: person.first_seen, lastSeen: person.last_seen, traits: person.traits ? revealDocument(JSON.parse(person.traits), 'traits', this.open, 'clear') : {} }
        : null,
      merges,
      events: events.map((e) => parseJsonColumns(e, this.open)),
      sessions,
      touches,
    };
  }
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf(':');
  return [key.slice(0, i), key.slice(i + 1)];
}
