import fs from 'node:fs';
import { parse, type CsvError, type Options, type Parser } from 'csv-parse';
import { TributaryError } from '../../errors/index.ts';
import type { CsvRow } from './types.ts';

/** A batch of data rows, with the file's header and how many bytes have been read so far. */
export interface CsvBatch {
  readonly header: string[];
  readonly rows: CsvRow[];
  readonly bytesRead: number;
}

/** `first_name`, `First Name`, `firstName`, `FIRST-NAME` → `first_name`. */
export function normalizeHeaderName(name: string): string {
  return name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** The record's text without the line breaks around it. */
function trimBreaks(raw: string): string {
  return raw.replace(/^[\r\n]+|[\r\n]+$/g, '');
}

/**
 * Line numbers of byte offsets in a stream, counted as the bytes arrive (csv-parse's own line
 * count is off by one for every CRLF inside a quoted field). Offsets must be asked in order.
 */
class LineCounter {
  private readonly chunks: Buffer[] = [];
  /** Absolute offset of chunks[0][0]. */
  private base = 0;
  /** Scanned up to this absolute offset, which has `newlines` newlines before it. */
  private pos = 0;
  private newlines = 0;
  private last = -1;

  add(chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  /** The line a record ending at `end` (just past its delimiter, if any) ends on. */
  endLine(end: number): number {
    while (this.pos < end && this.chunks.length > 0) {
      const chunk = this.chunks[0];
      const stop = Math.min(chunk.length, end - this.base);
      for (let i = chunk.indexOf(10, this.pos - this.base); i !== -1 && i < stop; i = chunk.indexOf(10, i + 1)) this.newlines++;
      this.last = chunk[stop - 1];
      this.pos = this.base + stop;
      if (stop === chunk.length) {
        this.chunks.shift();
        this.base += chunk.length;
      }
    }
    return 1 + this.newlines - (this.last === 10 ? 1 : 0);
  }
}

/** First line of a record that ends on line `endLine` (quoted fields may span lines). */
function startLine(endLine: number, text: string): number {
  let breaks = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) breaks++;
  return endLine - breaks;
}

/**
 * Reads a CSV file (RFC 4180: quoted fields may hold commas, quotes and line breaks; a BOM is
 * skipped) as batches of rows numbered by the line they start on. The first record is the header.
 * A record the parser cannot read comes as a row with `error` set, never dropped; a row with a
 * different number of fields than the header is kept for the importer to reject.
 */
export async function* readCsvRows(file: string, batchRows = 5_000): AsyncGenerator<CsvBatch> {
  const input = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  let bytesRead = 0;
  const lines = new LineCounter();
  input.on('data', (chunk) => {
    bytesRead += chunk.length;
    lines.add(chunk as Buffer);
  });
  // Line numbers are taken as the parser emits (records and skips come in input order there).
  const skipped: CsvRow[] = [];
  /** Where the last record read ended: a record the parser gives up on starts after it. */
  let lastEnd = 0;
  const parser: Parser = input.pipe(
    parse({
      bom: true,
      raw: true,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      // With raw and info on, a record arrives as { record, raw, info }; the typings do not say so.
      on_record: ((ext: { record: string[]; raw: string; info: { bytes: number } }): CsvRow => {
        const text = trimBreaks(ext.raw);
        lastEnd = ext.info.bytes;
        return { line: startLine(lines.endLine(ext.info.bytes), text), raw: text, values: ext.record };
      }) as unknown as Options['on_record'],
      on_skip: (err: CsvError | undefined, raw: string | undefined) => {
        const text = trimBreaks(raw ?? '');
        // Blank lines before it stay in its raw text (CRLF ones as a lone \r: the \n was a delimiter).
        const blankBefore = (raw ?? '').match(/^[\r\n]*/)![0].replace(/\r\n?/g, '\n').length;
        const line = (lastEnd === 0 ? 1 : lines.endLine(lastEnd) + 1) + blankBefore;
        // csv-parse counts lines its own way: leave its "at line N" out of the reason.
        const reason = (err?.message ?? 'cannot be read').replace(/ at line \d+/, '');
        skipped.push({ line, raw: text, values: [], error: `row: ${reason}` });
      },
    }),
  );
  input.on('error', (err) => parser.destroy(err));
  let header: string[] | null = null;
  let rows: CsvRow[] = [];
  const takeSkipped = (before: number): void => {
    while (skipped.length > 0 && skipped[0].line < before) rows.push(skipped.shift()!);
  };
  try {
    for await (const row of parser as AsyncIterable<CsvRow>) {
      takeSkipped(row.line);
      if (header === null) {
        header = row.values;
        continue;
      }
      rows.push(row);
      if (rows.length >= batchRows) {
        yield { header, rows, bytesRead };
        rows = [];
      }
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw new TributaryError('bad_request', `cannot read ${file}: ${(err as Error).message}`);
    }
    throw err;
  }
  takeSkipped(Infinity);
  if (header === null) {
    const why = rows[0]?.error;
    throw new TributaryError('bad_request', why ? `${file}: the header cannot be read (${why})` : `${file}: is empty (expected a header row)`);
  }
  yield { header, rows, bytesRead };
}
