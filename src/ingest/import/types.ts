import { z } from 'zod';
import type { MessageType } from '../schema.ts';
import type { SuppressionSpec } from '../suppression.ts';
import type { SealingSpec } from '../pii.ts';

export const IMPORT_KINDS = ['events', 'spend', 'customers'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** What an import (or one chunk of it) did. `read` counts input lines (CSV: data rows). */
export interface ImportCounts {
  read: number;
  stored: number;
  duplicates: number;
  rejected: number;
  /** Messages of erased people: dropped, counted, never stored. */
  suppressed: number;
}

export const emptyCounts = (): ImportCounts => ({ read: 0, stored: 0, duplicates: 0, rejected: 0, suppressed: 0 });

export function addCounts(into: ImportCounts, more: ImportCounts): ImportCounts {
  into.read += more.read;
  into.stored += more.stored;
  into.duplicates += more.duplicates;
  into.rejected += more.rejected;
  into.suppressed += more.suppressed ?? 0;
  return into;
}

/** A rejected input line: its 1-based line number in the file, why, and the line as read. */
export interface LineReject {
  readonly line: number;
  readonly reason: string;
  readonly raw: string;
}

/** Receives rejects in line order as the import advances. */
export type RejectSink = (rejects: readonly LineReject[]) => void;

/**
 * One CSV data row: the line it starts on, its text (for the rejects file) and its fields in
 * header order. This is also the JSON shape CSV rows travel in to a running server.
 */
export const csvRowSchema = z.object({
  line: z.number().int().min(1),
  raw: z.string(),
  values: z.array(z.string()),
  /** Set when the CSV parser could not read the record (e.g. a quote never closed). */
  error: z.string().optional(),
});
export type CsvRow = z.infer<typeof csvRowSchema>;

/** A CSV file's rows as they travel to `POST /api/import/{events,spend,customers}`. */
export const csvRowsBodySchema = z.object({
  header: z.array(z.string()).min(1),
  rows: z.array(csvRowSchema),
});

/**
 * Segment messages made from one input row (CSV events, customers), or why the row cannot give
 * any. All messages of a record are stored, or the record is rejected as a whole.
 */
export interface MessageRecord {
  readonly line: number;
  readonly raw: string;
  readonly messages: readonly Record<string, unknown>[] | null;
  readonly error: string | null;
}

/** Settings shared by every task of one import; plain data (crosses to worker threads). */
export interface TaskContext {
  /** Directory the staged CSV files are written to. */
  readonly dir: string;
  readonly sourceId: string;
  /** Import time (epoch ms): receivedAt for normalisation, and the quarantine's time. */
  readonly receivedAt: number;
  /** Quarantine origin, `import:<file name>`. */
  readonly origin: string;
  /** Type given to messages without one (`--type`), or null: such messages are rejected. */
  readonly defaultType: MessageType | null;
  /** The suppression list (erased people), or null when it is empty. */
  readonly suppression: SuppressionSpec | null;
  /** Seals personal data before it is staged (null: stored as sent). */
  readonly sealing: SealingSpec | null;
}

/** A unit of parsing work for a worker thread (or the event loop for small inputs). */
export type ImportTask = TaskContext &
  (
    | { readonly kind: 'ndjson'; readonly seq: number; readonly bytes: Uint8Array }
    | { readonly kind: 'records'; readonly seq: number; readonly records: readonly MessageRecord[] }
  );

/**
 * What a task produced. NDJSON line numbers are relative to the chunk (1 = its first line);
 * the importer adds the chunk's offset. Record line numbers are absolute.
 */
export interface TaskResult {
  readonly seq: number;
  /** Lines in the chunk, blank ones included (NDJSON; 0 for records). */
  readonly lines: number;
  readonly read: number;
  readonly accepted: number;
  /** Messages dropped because they belong to an erased person. */
  readonly suppressed: number;
  /** Staged events rows (CSV), or null when none were accepted. */
  readonly eventsFile: string | null;
  /** messageId and ord of each staged row, in file order (for de-duplication within the import). */
  readonly ids: string[];
  readonly ords: number[];
  /** Staged quarantine rows (CSV), or null when nothing was rejected. */
  readonly quarantineFile: string | null;
  readonly rejects: LineReject[];
}

/** The answer of a summary: counts and the rejects file written next to the input (or null). */
export interface ImportSummary extends ImportCounts {
  rejectsFile: string | null;
}
