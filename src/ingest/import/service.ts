import { randomBytes } from 'node:crypto';
import type { SuppressionSettings } from '../suppression.ts';
import type { SealingSpec } from '../pii.ts';
import { TributaryError } from '../../errors/index.ts';
import type { AccessService } from '../../privacy/index.ts';
import type { Store } from '../../store/index.ts';
import type { MessageType } from '../schema.ts';
import { customerRecord, mapCustomerHeader } from './customers.ts';
import { EventImport, type EventImportSpec } from './event-import.ts';
import { eventRecord, mapEventHeader } from './events-csv.ts';
import { defaultImportWorkers, ImportPool } from './import-pool.ts';
import {
  classifySpendSql,
  createSpendStageSql,
  dropTableSql,
  insertSpendStageSql,
  listImportsSql,
  upsertImportSql,
  upsertSpendSql,
} from './import.sql.ts';
import { splitAtLines } from './line-chunks.ts';
import { mapSpendHeader, parseSpendRow, sameSpend, spendKey, type SpendRow } from './spend.ts';
import type { CsvRow, ImportCounts, ImportKind, LineReject, MessageRecord, RejectSink } from './types.ts';

/** What one request (or a whole small import) did, with its rejects. */
export interface ImportOutcome extends ImportCounts {
  rejects: LineReject[];
}

export interface SpendOutcome extends ImportOutcome {
  /** Stored rows that replaced a stored row with other values (also counted in `stored`). */
  replaced: number;
}

/** Where a run's rows are recorded and which source its messages belong to. */
export interface ImportRun {
  /** The imports-history row (a client sending chunks passes the same id with each). */
  readonly importId?: string;
  readonly file: string;
  /** A source id; default: the first active source. */
  readonly sourceId?: string | null;
}

export interface ImportHistoryEntry {
  id: string;
  kind: string;
  file: string;
  sourceId: string | null;
  startedAt: string;
  finishedAt: string;
  read: number;
  stored: number;
  duplicates: number;
  rejected: number;
}

/** Splits an HTTP body's NDJSON over the workers in pieces of about this size. */
const BODY_PIECE_BYTES = 1024 * 1024;
const SPEND_ROWS_PER_INSERT = 500;

export const newImportId = (): string => 'imp_' + randomBytes(8).toString('hex');

/** A CSV row mapper of an events or customers file: the header is checked once, up front. */
export function csvRecordMapper(kind: 'events' | 'customers', header: readonly string[], defaultType: MessageType | null): (row: CsvRow) => MessageRecord {
  if (kind === 'customers') {
    const columns = mapCustomerHeader(header);
    return (row) => customerRecord(columns, row);
  }
  const paths = mapEventHeader(header);
  return (row) => eventRecord(paths, row, defaultType);
}

/**
 * Bulk imports of one data directory: Segment messages (NDJSON or CSV), CRM/POS customers (as
 * identify and offline-order messages through the same pipeline), daily ad spend, and the import
 * history. The CLI uses it directly when no server runs; the server's import routes use it for
 * the chunks the CLI sends.
 */
export class ImportService {
  private readonly pool: ImportPool;
  /** Drops messages of erased people (the suppression list is read at each import's start). */
  private readonly suppression: SuppressionSettings | null;
  /** Seals personal data (the spec is read at each import's start). */
  private readonly sealing: (() => SealingSpec) | null;

  constructor(
    private readonly store: Store,
    private readonly access: AccessService,
    options: { readonly workers?: number; readonly suppression?: SuppressionSettings; readonly sealing?: () => SealingSpec } = {},
  ) {
    this.pool = new ImportPool(options.workers ?? defaultImportWorkers());
    this.suppression = options.suppression ?? null;
    this.sealing = options.sealing ?? null;
  }

  /** The source messages are imported into: the given one (must be active) or the first active one. */
  async resolveSource(sourceId?: string | null): Promise<string> {
    const sources = await this.access.listSources();
    if (sourceId) {
      const source = sources.find((s) => s.id === sourceId);
      if (!source) throw new TributaryError('bad_request', `source ${sourceId}: no such source`);
      if (source.revoked) throw new TributaryError('bad_request', `source ${sourceId}: is revoked`);
      return source.id;
    }
    const first = sources.find((s) => !s.revoked);
    if (!first) throw new TributaryError('bad_request', 'there is no active source to import into (run `tributary init` first)');
    return first.id;
  }

  /** Starts a streaming import of messages (the caller submits chunks, then finishes it). */
  async startEventImport(
    kind: 'events' | 'customers',
    run: ImportRun & { readonly defaultType?: MessageType | null; readonly firstLine?: number },
    onRejects: RejectSink,
  ): Promise<EventImport> {
    const spec: EventImportSpec = {
      importId: run.importId ?? newImportId(),
      kind,
      file: run.file,
      sourceId: await this.resolveSource(run.sourceId),
      defaultType: run.defaultType ?? null,
      firstLine: run.firstLine,
    };
    return EventImport.start(this.store, this.pool, spec, onRejects, this.suppression, this.sealing?.() ?? null);
  }

  /** NDJSON lines (a request body; `firstLine` numbers its first line). */
  async importNdjson(body: Uint8Array, run: ImportRun & { readonly defaultType?: MessageType | null; readonly firstLine?: number }): Promise<ImportOutcome> {
    const rejects: LineReject[] = [];
    const session = await this.startEventImport('events', run, collectInto(rejects));
    try {
      for (const piece of splitAtLines(body, BODY_PIECE_BYTES)) await session.submitNdjson(piece);
    } catch (err) {
      await session.abort();
      throw err;
    }
    return { ...(await session.finish()), rejects };
  }

  /** CSV rows of an events or customers file, mapped to messages by the header. */
  async importCsvRows(
    kind: 'events' | 'customers',
    header: readonly string[],
    rows: readonly CsvRow[],
    run: ImportRun & { readonly defaultType?: MessageType | null },
  ): Promise<ImportOutcome> {
    const map = csvRecordMapper(kind, header, run.defaultType ?? null);
    const rejects: LineReject[] = [];
    const session = await this.startEventImport(kind, run, collectInto(rejects));
    try {
      await session.submitRecords(rows.map(map));
    } catch (err) {
      await session.abort();
      throw err;
    }
    return { ...(await session.finish()), rejects };
  }

  /**
   * Daily spend rows. A row identical to the stored one for its (date, channel, campaign) is a
   * duplicate; a row with other values replaces it (stored, and counted in `replaced`). Within
   * one call, a repeated key with other values is rejected as a conflict (the file contradicts
   * itself); an identical repeat is a duplicate.
   */
  async importSpendRows(header: readonly string[], rows: readonly CsvRow[], run: ImportRun): Promise<SpendOutcome> {
    const columns = mapSpendHeader(header);
    const rejects: LineReject[] = [];
    const byKey = new Map<string, { line: number; row: SpendRow }>();
    let repeats = 0;
    for (const r of rows) {
      const parsed = parseSpendRow(columns, r);
      if (!parsed.ok) {
        rejects.push({ line: r.line, reason: parsed.reason, raw: r.raw });
        continue;
      }
      const key = spendKey(parsed.value);
      const earlier = byKey.get(key);
      if (!earlier) byKey.set(key, { line: r.line, row: parsed.value });
      else if (sameSpend(earlier.row, parsed.value)) repeats++;
      else rejects.push({ line: r.line, reason: `conflicts with line ${earlier.line}: same date, channel and campaign with other values`, raw: r.raw });
    }
    const unique = [...byKey.values()].map((v) => v.row);
    const stage = `import_${randomBytes(6).toString('hex')}_spend`;
    const at = new Date();
    const { stored, identical, replaced } = await this.store.transaction(async (tx) => {
      let result = { stored: 0, identical: 0, replaced: 0 };
      if (unique.length > 0) {
        await tx.exec(createSpendStageSql(stage));
        for (let i = 0; i < unique.length; i += SPEND_ROWS_PER_INSERT) await tx.exec(insertSpendStageSql(stage, unique.slice(i, i + SPEND_ROWS_PER_INSERT)));
        const [c] = await tx.query<{ identical: number; changed: number }>(classifySpendSql(stage));
        const inserted = await tx.query<Record<string, unknown>>(upsertSpendSql(stage, at));
        result = { stored: Number(Object.values(inserted[0] ?? {})[0] ?? 0), identical: c?.identical ?? 0, replaced: c?.changed ?? 0 };
        await tx.exec(dropTableSql(stage));
      }
      await tx.exec(
        upsertImportSql({
          id: run.importId ?? newImportId(),
          kind: 'spend',
          file: run.file,
          sourceId: null,
          at,
          read: rows.length,
          stored: result.stored,
          duplicates: repeats + result.identical,
          rejected: rejects.length,
        }),
      );
      return result;
    });
    return { read: rows.length, stored, duplicates: repeats + identical, rejected: rejects.length, suppressed: 0, replaced, rejects };
  }

  /** Import runs, newest first. */
  async listImports(limit = 100): Promise<ImportHistoryEntry[]> {
    const rows = await this.store.query<Record<string, unknown>>(listImportsSql(limit));
    return rows.map((r) => ({
      id: r.id as string,
      kind: r.kind as ImportKind,
      file: r.file as string,
      sourceId: (r.source_id as string | null) ?? null,
      startedAt: r.started_at as string,
      finishedAt: r.finished_at as string,
      read: Number(r.read_count),
      stored: Number(r.stored_count),
      duplicates: Number(r.duplicate_count),
      rejected: Number(r.rejected_count),
    }));
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

function collectInto(list: LineReject[]): RejectSink {
  return (rejects) => {
    for (const r of rejects) list.push(r);
  };
}
