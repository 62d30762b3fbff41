import { ident, join, raw, sql, type Dialect, type Sql } from '../store/index.ts';
import type { NewIdentity, PersonRow } from './batch.ts';
import type { Identifier, IdentifierKind } from './normalize-identifiers.ts';
import { IDENTITY_TABLES as T } from './tables.ts';
import type { ConflictRecord, FlagRecord, MergeRecord } from './types.ts';

/**
 * Reads and writes of the identity tables. Bulk writes bind one list per column and `unnest`
 * them (one statement, a handful of parameters, whatever the row count), so a batch is written
 * inside one transaction. Times travel as epoch ms.
 */

type Column = readonly [name: string, type: 'VARCHAR' | 'BIGINT' | 'TIMESTAMP', values: ReadonlyArray<string | number>];

/** `INSERT INTO table (cols) SELECT … FROM unnest(lists)`; null when there are no rows. */
function insertColumns(table: string, columns: readonly Column[]): Sql | null {
  if (columns[0][2].length === 0) return null;
  const lists = columns.map(([name, type, values]) => {
    const listType = raw(type === 'VARCHAR' ? 'VARCHAR[]' : 'BIGINT[]');
    return sql`unnest(${values as readonly string[]}::${listType}) AS ${ident(name)}`;
  });
  const outputs = columns.map(([name, type]) => (type === 'TIMESTAMP' ? sql`epoch_ms(${ident(name)})` : ident(name)));
  return sql`INSERT INTO ${ident(table)} (${join(columns.map(([name]) => ident(name)))})
    SELECT ${join(outputs)} FROM (SELECT ${join(lists)})`;
}

const kinds = (ids: readonly Identifier[]): string[] => ids.map((i) => i.kind);
const values = (ids: readonly Identifier[]): string[] => ids.map((i) => i.value);
const idsJson = (ids: readonly Identifier[]): string => JSON.stringify(ids.map((i) => [i.kind, i.value]));

export function insertIdentitiesSql(rows: readonly NewIdentity[]): Sql | null {
  return insertColumns(T.identities, [
    ['kind', 'VARCHAR', kinds(rows.map((r) => r.identifier))],
    ['value', 'VARCHAR', values(rows.map((r) => r.identifier))],
    ['person_id', 'VARCHAR', rows.map((r) => r.personId)],
    ['first_seen', 'TIMESTAMP', rows.map((r) => r.firstSeen)],
    ['message_id', 'VARCHAR', rows.map((r) => r.messageId)],
    ['link_count', 'BIGINT', rows.map((r) => r.linkCount)],
  ]);
}

/** Moves the identifiers of merged-away people to the person each ended in. */
export function repointIdentitiesSql(repoint: ReadonlyArray<{ from: string; into: string }>): Sql | null {
  if (repoint.length === 0) return null;
  return sql`UPDATE ${ident(T.identities)} SET person_id = m.into_person
    FROM (SELECT unnest(${repoint.map((r) => r.from)}::VARCHAR[]) AS from_person, unnest(${repoint.map((r) => r.into)}::VARCHAR[]) AS into_person) AS m
    WHERE ${ident(T.identities)}.person_id = m.from_person`;
}

export function updateLinkCountsSql(rows: ReadonlyArray<{ identifier: Identifier; linkCount: number }>): Sql | null {
  if (rows.length === 0) return null;
  const ids = rows.map((r) => r.identifier);
  return sql`UPDATE ${ident(T.identities)} SET link_count = c.n
    FROM (SELECT unnest(${kinds(ids)}::VARCHAR[]) AS kind, unnest(${values(ids)}::VARCHAR[]) AS value, unnest(${rows.map((r) => r.linkCount)}::BIGINT[]) AS n) AS c
    WHERE ${ident(T.identities)}.kind = c.kind AND ${ident(T.identities)}.value = c.value`;
}

export function insertMergesSql(merges: readonly MergeRecord[]): Sql | null {
  return insertColumns(T.merges, [
    ['merged_at', 'TIMESTAMP', merges.map((m) => m.at)],
    ['into_person', 'VARCHAR', merges.map((m) => m.into)],
    ['from_person', 'VARCHAR', merges.map((m) => m.from)],
    ['reason', 'VARCHAR', merges.map((m) => m.reason)],
    ['via_kind', 'VARCHAR', kinds(merges.map((m) => m.via))],
    ['via_value', 'VARCHAR', values(merges.map((m) => m.via))],
    ['message_id', 'VARCHAR', merges.map((m) => m.messageId)],
    ['identifiers', 'VARCHAR', merges.map((m) => idsJson(m.identifiers))],
  ]);
}

export function insertFlagsSql(flags: readonly FlagRecord[]): Sql | null {
  return insertColumns(T.flags, [
    ['kind', 'VARCHAR', kinds(flags.map((f) => f.identifier))],
    ['value', 'VARCHAR', values(flags.map((f) => f.identifier))],
    ['person_id', 'VARCHAR', flags.map((f) => f.personId)],
    ['reason', 'VARCHAR', flags.map((f) => f.reason)],
    ['link_count', 'BIGINT', flags.map((f) => f.linkCount)],
    ['flagged_at', 'TIMESTAMP', flags.map((f) => f.at)],
    ['message_id', 'VARCHAR', flags.map((f) => f.messageId)],
  ]);
}

export function insertConflictsSql(conflicts: readonly ConflictRecord[]): Sql | null {
  return insertColumns(T.conflicts, [
    ['kind', 'VARCHAR', kinds(conflicts.map((c) => c.identifier))],
    ['value', 'VARCHAR', values(conflicts.map((c) => c.identifier))],
    ['person_id', 'VARCHAR', conflicts.map((c) => c.personId)],
    ['other_person', 'VARCHAR', conflicts.map((c) => c.otherPersonId)],
    ['reason', 'VARCHAR', conflicts.map((c) => c.reason)],
    ['conflicted_at', 'TIMESTAMP', conflicts.map((c) => c.at)],
    ['message_id', 'VARCHAR', conflicts.map((c) => c.messageId)],
  ]);
}

export function insertPeopleSql(rows: readonly PersonRow[]): Sql | null {
  return insertColumns(T.people, [
    ['person_id', 'VARCHAR', rows.map((r) => r.personId)],
    ['created_at', 'TIMESTAMP', rows.map((r) => r.createdAt)],
    ['first_seen', 'TIMESTAMP', rows.map((r) => r.firstSeen)],
    ['last_seen', 'TIMESTAMP', rows.map((r) => r.lastSeen)],
    ['traits', 'VARCHAR', rows.map((r) => JSON.stringify(r.traits))],
  ]);
}

export function deletePeopleSql(personIds: readonly string[]): Sql | null {
  if (personIds.length === 0) return null;
  return sql`DELETE FROM ${ident(T.people)} WHERE person_id IN (SELECT unnest(${personIds}::VARCHAR[]))`;
}

/** Row shape of `selectPeopleSql`; times epoch ms. */
export interface PeopleRow {
  person_id: string;
  created_at: number;
  first_seen: number;
  last_seen: number;
  traits: string | null;
}

export function selectPeopleSql(dialect: Dialect, personIds: readonly string[] | null): Sql {
  const where = personIds === null ? raw('TRUE') : sql`person_id IN (SELECT unnest(${personIds}::VARCHAR[]))`;
  return sql`SELECT person_id, ${dialect.epochMs(raw('created_at'))} AS created_at, ${dialect.epochMs(raw('first_seen'))} AS first_seen,
    ${dialect.epochMs(raw('last_seen'))} AS last_seen, traits
    FROM ${ident(T.people)} WHERE ${where}`;
}

export function insertImportsSql(
  rows: ReadonlyArray<{ messageId: string; at: number; externalId: string; identifiers: readonly Identifier[]; traits: string }>,
): Sql | null {
  const insert = insertColumns(T.imports, [
    ['message_id', 'VARCHAR', rows.map((r) => r.messageId)],
    ['known_at', 'TIMESTAMP', rows.map((r) => r.at)],
    ['external_id', 'VARCHAR', rows.map((r) => r.externalId)],
    ['identifiers', 'VARCHAR', rows.map((r) => idsJson(r.identifiers))],
    ['traits', 'VARCHAR', rows.map((r) => r.traits)],
  ]);
  return insert && sql`${insert} ON CONFLICT (message_id) DO NOTHING`;
}

export function setStateSql(key: string, value: string): Sql {
  return sql`INSERT INTO ${ident(T.state)} (key, value) VALUES (${key}, ${value}) ON CONFLICT (key) DO UPDATE SET value = excluded.value`;
}

export function getStateSql(key: string): Sql {
  return sql`SELECT value FROM ${ident(T.state)} WHERE key = ${key}`;
}

/** Empties every identity table except the imports (a rebuild replays those). */
export function clearIdentitySql(): Sql[] {
  return [T.identities, T.people, T.merges, T.flags, T.conflicts, T.state].map((t) => sql`DELETE FROM ${ident(t)}`);
}

// ---- loading the graph -------------------------------------------------------------------

export function loadIdentitiesSql(): Sql {
  return sql`SELECT kind, value, person_id, link_count FROM ${ident(T.identities)}`;
}

export function loadFlaggedSql(): Sql {
  return sql`SELECT kind, value FROM ${ident(T.flags)}`;
}

export function loadConflictsSql(): Sql {
  return sql`SELECT kind, value, other_person FROM ${ident(T.conflicts)}`;
}

// ---- lookups -----------------------------------------------------------------------------

export function findPersonSql(kind: IdentifierKind, value: string): Sql {
  return sql`SELECT person_id FROM ${ident(T.identities)} WHERE kind = ${kind} AND value = ${value}`;
}

export function personIdentitiesSql(dialect: Dialect, personId: string): Sql {
  return sql`SELECT kind, value, ${dialect.epochMs(raw('first_seen'))} AS first_seen, message_id, link_count
    FROM ${ident(T.identities)} WHERE person_id = ${personId} ORDER BY first_seen, kind, value`;
}

/** Where a merged-away person went (one step). */
export function mergedIntoSql(personId: string): Sql {
  return sql`SELECT into_person FROM ${ident(T.merges)} WHERE from_person = ${personId} ORDER BY merged_at DESC LIMIT 1`;
}

/**
 * Merges, newest first. With a person: every merge in the tree of people that ended in it
 * (merges into it, into those, …) and the merge that took it away, if any.
 */
export function listMergesSql(dialect: Dialect, params: { personId?: string; limit: number }): Sql {
  const columns = sql`${dialect.epochMs(raw('m.merged_at'))} AS merged_at, m.into_person, m.from_person, m.reason, m.via_kind, m.via_value, m.message_id, m.identifiers`;
  const order = sql`ORDER BY m.merged_at DESC, m.message_id DESC, m.from_person ${dialect.limit(params.limit)}`;
  if (params.personId === undefined) return sql`SELECT ${columns} FROM ${ident(T.merges)} AS m ${order}`;
  return sql`WITH RECURSIVE tree(person_id) AS (
      SELECT ${params.personId}::VARCHAR
      UNION
      SELECT g.from_person FROM ${ident(T.merges)} AS g JOIN tree ON g.into_person = tree.person_id
    )
    SELECT ${columns} FROM ${ident(T.merges)} AS m
    WHERE m.into_person IN (SELECT person_id FROM tree) OR m.from_person = ${params.personId}
    ${order}`;
}

export function listFlagsSql(dialect: Dialect, limit: number): Sql {
  return sql`SELECT kind, value, person_id, reason, link_count, ${dialect.epochMs(raw('flagged_at'))} AS flagged_at, message_id
    FROM ${ident(T.flags)} ORDER BY flagged_at DESC, kind, value ${dialect.limit(limit)}`;
}

export function listConflictsSql(dialect: Dialect, params: { personId?: string; limit: number }): Sql {
  const where = params.personId === undefined ? raw('TRUE') : sql`(person_id = ${params.personId} OR other_person = ${params.personId})`;
  return sql`SELECT kind, value, person_id, other_person, reason, ${dialect.epochMs(raw('conflicted_at'))} AS at, message_id
    FROM ${ident(T.conflicts)} WHERE ${where} ORDER BY conflicted_at DESC, message_id DESC ${dialect.limit(params.limit)}`;
}
