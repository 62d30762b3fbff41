import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { changedRows, type Store } from '../../store/index.ts';
import type { MessageType } from '../schema.ts';
import type { ImportPool } from './import-pool.ts';
import { insertStagedEventsSql, insertStagedQuarantineSql, upsertImportSql } from './import.sql.ts';
import { countSuppressedSql, loadSuppressionKeysSql, type SuppressionSettings } from '../suppression.ts';
import type { SealingSpec } from '../pii.ts';
import { emptyCounts, type ImportCounts, type ImportTask, type MessageRecord, type RejectSink, type TaskContext, type TaskResult } from './types.ts';

export interface EventImportSpec {
  /** The imports-history row this run adds to. */
  readonly importId: string;
  readonly kind: 'events' | 'customers';
  /** The input's file name (quarantine origin `import:<file>`, history). */
  readonly file: string;
  readonly sourceId: string;
  /** Type for NDJSON messages without one (`--type`). */
  readonly defaultType?: MessageType | null;
  /** Line number of the first NDJSON line (a chunk of a larger file sent by a client). */
  readonly firstLine?: number;
}

/** Staged rows per commit: large enough that per-commit costs vanish, small enough to bound the temp files. */
const FLUSH_ROWS = 250_000;
/** Below these sizes a task runs on the event loop: a worker's start-up would cost more. */
const INLINE_BYTES = 256 * 1024;
const INLINE_RECORDS = 500;
const RECORDS_PER_TASK = 2_000;

/** Staged files waiting for one commit, and what they hold. */
class Batch {
  readonly eventFiles: string[] = [];
  readonly quarantineFiles: Array<{ file: string; lineOffset: number }> = [];
  /** messageIds staged in this batch: a later row with one of them is a duplicate. */
  readonly ids = new Set<string>();
  readonly repeats = { files: [] as string[], ords: [] as number[] };
  staged = 0;
  read = 0;
  rejected = 0;
  suppressed = 0;

  files(): string[] {
    return [...this.eventFiles, ...this.quarantineFiles.map((q) => q.file)];
  }
}

/**
 * One import of Segment messages into the events table. Chunks of NDJSON (or records made from
 * CSV rows) go to the pool's workers, which run the API's validation and normalisation and
 * stage the accepted rows as CSV files. Results are taken in input order (line numbers, rejects
 * file, "first occurrence wins"); every FLUSH_ROWS staged rows are committed by DuckDB reading
 * the files into `events`, with the quarantine rows and the history counts in the same
 * transaction, while the workers go on with the next batch. Duplicates — messageIds the source
 * already has, or seen earlier in the import — are left out and counted.
 */
export class EventImport {
  private readonly counts = emptyCounts();
  private batch = new Batch();
  private flushing: Promise<void> = Promise.resolve();
  private lineOffset: number;
  private seq = 0;
  private tail: Promise<void> = Promise.resolve();
  private inflight = 0;
  private readonly waiting: Array<() => void> = [];
  private failure: unknown = null;
  private closed = false;

  private constructor(
    private readonly store: Store,
    private readonly pool: ImportPool,
    private readonly spec: EventImportSpec,
    private readonly context: TaskContext,
    private readonly onRejects: RejectSink,
  ) {
    this.lineOffset = (spec.firstLine ?? 1) - 1;
  }

  static async start(
    store: Store,
    pool: ImportPool,
    spec: EventImportSpec,
    onRejects: RejectSink,
    suppression: SuppressionSettings | null = null,
    sealing: SealingSpec | null = null,
  ): Promise<EventImport> {
    const keys = suppression ? (await store.query<{ key: string }>(loadSuppressionKeysSql())).map((r) => r.key) : [];
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'tributary-import-'));
    const context: TaskContext = {
      dir,
      sourceId: spec.sourceId,
      receivedAt: Date.now(),
      origin: `import:${spec.file}`,
      defaultType: spec.defaultType ?? null,
      suppression: suppression && keys.length > 0 ? { ...suppression, keys } : null,
      sealing,
    };
    return new EventImport(store, pool, spec, context, onRejects);
  }

  /** Queues a chunk of NDJSON that ends at a line boundary; its bytes are handed over. Waits while the pipeline is full. */
  async submitNdjson(bytes: Uint8Array): Promise<void> {
    await this.enqueue({ ...this.context, kind: 'ndjson', seq: this.seq++, bytes }, bytes.byteLength < INLINE_BYTES);
  }

  /** Queues records made from input rows (absolute line numbers). */
  async submitRecords(records: readonly MessageRecord[]): Promise<void> {
    const inline = records.length < INLINE_RECORDS;
    for (let i = 0; i < records.length; i += RECORDS_PER_TASK) {
      await this.enqueue({ ...this.context, kind: 'records', seq: this.seq++, records: records.slice(i, i + RECORDS_PER_TASK) }, inline);
    }
  }

  /** Waits for every queued chunk, commits what is staged, and answers the counts. */
  async finish(): Promise<ImportCounts> {
    try {
      await this.tail;
      await this.flushing;
      if (this.failure !== null) throw this.failure;
      await this.flush(this.batch);
      return { ...this.counts };
    } finally {
      await this.cleanUp();
    }
  }

  /** Gives up: what was committed stays (a re-import completes it), the rest is dropped. */
  async abort(): Promise<void> {
    this.failure ??= new Error('import aborted');
    await this.tail;
    await this.flushing;
    await this.cleanUp();
  }

  private async enqueue(task: ImportTask, inline: boolean): Promise<void> {
    while (this.inflight >= this.maxInflight() && this.failure === null) await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (this.failure !== null) throw this.failure;
    this.inflight++;
    const result = this.pool.run(task, inline);
    result.catch(() => undefined);
    this.tail = this.tail.then(async () => {
      try {
        const r = await result;
        if (this.failure === null) await this.take(task, r);
      } catch (err) {
        this.failure ??= err;
      } finally {
        this.inflight--;
        this.waiting.shift()?.();
        if (this.failure !== null) for (const wake of this.waiting.splice(0)) wake();
      }
    });
  }

  /** Enough queued work to keep every worker busy while the event loop takes results. */
  private maxInflight(): number {
    return Math.max(2, this.pool.size * 3);
  }

  /** Takes one task's result, in input order: rejects out, staged files into the batch. */
  private async take(task: ImportTask, r: TaskResult): Promise<void> {
    const offset = task.kind === 'ndjson' ? this.lineOffset : 0;
    if (task.kind === 'ndjson') this.lineOffset += r.lines;
    if (r.rejects.length > 0) this.onRejects(offset === 0 ? r.rejects : r.rejects.map((x) => ({ ...x, line: x.line + offset })));
    this.counts.read += r.read;
    this.counts.rejected += r.rejects.length;
    this.counts.suppressed += r.suppressed;
    const batch = this.batch;
    batch.read += r.read;
    batch.rejected += r.rejects.length;
    batch.suppressed += r.suppressed;
    if (r.quarantineFile) batch.quarantineFiles.push({ file: r.quarantineFile, lineOffset: offset });
    if (r.eventsFile) {
      batch.eventFiles.push(r.eventsFile);
      for (let i = 0; i < r.ids.length; i++) {
        if (!batch.ids.has(r.ids[i])) batch.ids.add(r.ids[i]);
        else {
          batch.repeats.files.push(r.eventsFile);
          batch.repeats.ords.push(r.ords[i]);
        }
      }
      batch.staged += r.accepted;
    }
    if (batch.staged >= FLUSH_ROWS) {
      // One commit at a time (the next batch's anti-join must see this one's rows); the workers
      // and this chain go on staging the next batch meanwhile.
      await this.flushing;
      if (this.failure !== null) throw this.failure;
      this.batch = new Batch();
      this.flushing = this.flush(batch).catch((err: unknown) => {
        this.failure ??= err;
      });
    }
  }

  /** Commits a batch: events, quarantine rows and the history counts in one transaction. */
  private async flush(batch: Batch): Promise<void> {
    // Held open until the commit: the derived-data steps do not read past this batch's receive time before it is stored.
    const receipt = this.store.receipts.begin();
    const at = new Date(receipt.at);
    try {
      const stored = await this.store.transaction(async (tx) => {
        const inserted = batch.eventFiles.length > 0 ? changedRows(await tx.query(insertStagedEventsSql(batch.eventFiles, this.spec.sourceId, at, batch.repeats))) : 0;
        for (const q of batch.quarantineFiles) await tx.exec(insertStagedQuarantineSql(q.file, q.lineOffset));
        if (batch.suppressed > 0) await tx.exec(countSuppressedSql(at, 'import', batch.suppressed));
        await tx.exec(
          upsertImportSql({
            id: this.spec.importId,
            kind: this.spec.kind,
            file: this.spec.file,
            sourceId: this.spec.sourceId,
            at,
            read: batch.read,
            stored: inserted,
            duplicates: batch.staged - inserted,
            rejected: batch.rejected,
          }),
        );
        return inserted;
      });
      this.counts.stored += stored;
      this.counts.duplicates += batch.staged - stored;
    } finally {
      receipt.close();
      await Promise.all(batch.files().map((f) => fs.promises.rm(f, { force: true })));
    }
  }

  private async cleanUp(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await fs.promises.rm(this.context.dir, { recursive: true, force: true });
  }
}
