import { EVENTS_TABLE, QUARANTINE_TABLE, empty, ident, join, raw, sql, type ColumnType, type Sql, type TableSpec } from '../../store/index.ts';
import { STAGE_QUOTE } from './process-task.ts';
import type { SpendRow } from './spend.ts';

/**
 * SQL of bulk imports. Workers write the accepted rows as CSV files; a flush has DuckDB read a
 * batch of them with `read_csv` (native parsing, no per-row work on the event loop) straight
 * into the real tables, leaving duplicates out with anti-joins. Reading the files straight into
 * `events` cost a third less than loading them into a TEMP staging table first.
 */

const STAGE_TYPES: Record<ColumnType, string> = { string: 'VARCHAR', json: 'VARCHAR', double: 'DOUBLE', integer: 'INTEGER', timestamp: 'BIGINT' };

/** A staged file's columns: the spec's, timestamps as epoch ms, after a leading `ord` for events. */
function stagedColumns(spec: TableSpec, ord: boolean): Sql {
  const columns = spec.columns.map(([name, type]) => `'${name}': '${STAGE_TYPES[type]}'`);
  return raw('{' + (ord ? ["'ord': 'BIGINT'", ...columns] : columns).join(', ') + '}');
}

const EVENT_FILE_COLUMNS = stagedColumns(EVENTS_TABLE, true);
const QUARANTINE_FILE_COLUMNS = stagedColumns(QUARANTINE_TABLE, false);

/** `read_csv` of staged files (see STAGE_QUOTE: strings quoted, JSON unescaped). */
function readStaged(files: Sql, columns: Sql, filename: boolean): Sql {
  return sql`read_csv(${files}, columns = ${columns}, header = false, auto_detect = false, delim = ',', quote = ${STAGE_QUOTE},
    escape = ${STAGE_QUOTE}, new_line = '\\n', allow_quoted_nulls = false, filename = ${raw(filename ? 'true' : 'false')})`;
}

function selectList(spec: TableSpec, overrides: Readonly<Record<string, Sql>>): { names: Sql; values: Sql } {
  const names = join(spec.columns.map(([c]) => ident(c)));
  const values = join(
    spec.columns.map(([c, type]) => overrides[c] ?? (type === 'timestamp' ? sql`epoch_ms(s.${ident(c)})` : sql`s.${ident(c)}`)),
  );
  return { names, values };
}

/** Staged rows left out because an earlier row of the same batch has their messageId. */
export interface StagedDuplicates {
  readonly files: readonly string[];
  readonly ords: readonly number[];
}

/**
 * Staged event files → events, except messageIds the source already has and the rows marked as
 * repeats within the batch. received_at is the commit's time, so the derived-data processing
 * (which follows received_at) sees the rows. Answers the number inserted.
 */
export function insertStagedEventsSql(files: readonly string[], sourceId: string, receivedAt: Date, repeats: StagedDuplicates): Sql {
  const { names, values } = selectList(EVENTS_TABLE, { received_at: sql`${receivedAt}::TIMESTAMP` });
  const skip =
    repeats.files.length === 0
      ? empty
      : sql`ANTI JOIN (SELECT unnest(${repeats.files}::VARCHAR[]) AS file, unnest(${repeats.ords}::BIGINT[]) AS ord) d
          ON d.file = s.filename AND d.ord = s.ord`;
  return sql`INSERT INTO events (${names})
    SELECT ${values} FROM ${readStaged(sql`${files}::VARCHAR[]`, EVENT_FILE_COLUMNS, true)} s
    ANTI JOIN (SELECT message_id FROM events WHERE source_id = ${sourceId}) e ON e.message_id = s.message_id
    ${skip}`;
}

/**
 * A staged quarantine file → quarantine, its line numbers moved by `lineOffset` (NDJSON chunks
 * number from 1), unless the same reject of the same line is already there (a re-import).
 */
export function insertStagedQuarantineSql(file: string, lineOffset: number): Sql {
  const { names, values } = selectList(QUARANTINE_TABLE, { message_index: sql`s.message_index + ${lineOffset}` });
  return sql`INSERT INTO quarantine (${names})
    SELECT ${values} FROM ${readStaged(sql`${file}`, QUARANTINE_FILE_COLUMNS, false)} s
    ANTI JOIN quarantine q ON q.origin = s.origin AND q.message_index = s.message_index + ${lineOffset} AND q.reason = s.reason
      AND q.source_id IS NOT DISTINCT FROM s.source_id AND q.payload IS NOT DISTINCT FROM s.payload`;
}

export const dropTableSql = (name: string): Sql => sql`DROP TABLE IF EXISTS ${ident(name)}`;

export interface ImportEntry {
  readonly id: string;
  readonly kind: string;
  readonly file: string;
  readonly sourceId: string | null;
  readonly at: Date;
  readonly read: number;
  readonly stored: number;
  readonly duplicates: number;
  readonly rejected: number;
}

/** Records (part of) an import run; a later part adds its counts to the same row. */
export const upsertImportSql = (e: ImportEntry): Sql =>
  sql`INSERT INTO imports (id, kind, file, source_id, started_at, finished_at, read_count, stored_count, duplicate_count, rejected_count)
    VALUES (${e.id}, ${e.kind}, ${e.file}, ${e.sourceId}, ${e.at}, ${e.at}, ${e.read}, ${e.stored}, ${e.duplicates}, ${e.rejected})
    ON CONFLICT (id) DO UPDATE SET finished_at = excluded.finished_at,
      read_count = read_count + excluded.read_count, stored_count = stored_count + excluded.stored_count,
      duplicate_count = duplicate_count + excluded.duplicate_count, rejected_count = rejected_count + excluded.rejected_count`;

export const listImportsSql = (limit: number): Sql =>
  sql`SELECT id, kind, file, source_id, started_at, finished_at, read_count, stored_count, duplicate_count, rejected_count
    FROM imports ORDER BY started_at DESC, id DESC LIMIT ${limit}`;

// Spend -------------------------------------------------------------------------------------

export const createSpendStageSql = (name: string): Sql =>
  sql`CREATE TEMP TABLE ${ident(name)} (date DATE, channel VARCHAR, campaign VARCHAR, spend DOUBLE, impressions BIGINT, clicks BIGINT, currency VARCHAR)`;

export function insertSpendStageSql(name: string, rows: readonly SpendRow[]): Sql {
  const values = rows.map(
    (r) => sql`(${r.date}::DATE, ${r.channel}, ${r.campaign}, ${r.spend}::DOUBLE, ${r.impressions}::BIGINT, ${r.clicks}::BIGINT, ${r.currency}::VARCHAR)`,
  );
  return sql`INSERT INTO ${ident(name)} VALUES ${join(values)}`;
}

const SAME_KEY = raw('t.date = s.date AND t.channel = s.channel AND t.campaign = s.campaign');
const SAME_VALUES = raw(
  't.spend = s.spend AND t.impressions IS NOT DISTINCT FROM s.impressions AND t.clicks IS NOT DISTINCT FROM s.clicks AND t.currency IS NOT DISTINCT FROM s.currency',
);

/** How many staged rows are already stored as they are (duplicates) and how many change a stored row. */
export const classifySpendSql = (name: string): Sql =>
  sql`SELECT count(*) FILTER (WHERE ${SAME_VALUES}) AS identical, count(*) FILTER (WHERE NOT (${SAME_VALUES})) AS changed
    FROM ${ident(name)} s JOIN spend t ON ${SAME_KEY}`;

/** Inserts new rows and replaces changed ones (same date, channel, campaign); identical rows are left alone. */
export const upsertSpendSql = (name: string, importedAt: Date): Sql =>
  sql`INSERT INTO spend (date, channel, campaign, spend, impressions, clicks, currency, imported_at)
    SELECT s.date, s.channel, s.campaign, s.spend, s.impressions, s.clicks, s.currency, ${importedAt}::TIMESTAMP FROM ${ident(name)} s
    WHERE NOT EXISTS (SELECT 1 FROM spend t WHERE ${SAME_KEY} AND ${SAME_VALUES})
    ON CONFLICT (date, channel, campaign) DO UPDATE SET spend = excluded.spend, impressions = excluded.impressions,
      clicks = excluded.clicks, currency = excluded.currency, imported_at = excluded.imported_at`;
