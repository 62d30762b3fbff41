import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AppendRow } from '../../store/index.ts';
import { normalizeMessage, type NormalizeContext } from '../normalize.ts';
import { payloadText, quarantineRow } from '../quarantine.ts';
import { LIMITS, type MessageType } from '../schema.ts';
import { validateMessage } from '../validate.ts';
import { rowSuppressor } from '../suppression.ts';
import { sealPayload, type Sealer } from '../../privacy/index.ts';
import { sealerOf } from '../pii.ts';
import type { ImportTask, LineReject, TaskContext, TaskResult } from './types.ts';

/**
 * Staged rows carry `ord = line × ORD_SCALE + k` (k: the message's index within its line), the
 * order "first occurrence in the file" is decided by.
 */
export const ORD_SCALE = 16;

/** A deterministic messageId: prefix + the first 128 bits of the SHA-256 of `text`, in hex. */
export function deterministicId(prefix: string, text: string): string {
  return prefix + createHash('sha256').update(text).digest('hex').slice(0, 32);
}

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The quote (and escape) character of staged CSV files: U+0001, which JSON.stringify never
 * leaves raw, so the JSON columns (most of a row's bytes) need no escaping at all. Quoting with
 * `"` meant doubling every quote of every JSON document: a fifth of the import's CPU.
 */
export const STAGE_QUOTE = '\u0001';

/**
 * One field of a staged CSV row (DuckDB reads it with STAGE_QUOTE as quote and escape, and
 * allow_quoted_nulls off): strings are always quoted, so an unquoted empty field is NULL and a
 * quoted empty one the empty string; numbers are written bare.
 */
function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return v.includes(STAGE_QUOTE) ? STAGE_QUOTE + v.replaceAll(STAGE_QUOTE, STAGE_QUOTE + STAGE_QUOTE) + STAGE_QUOTE : STAGE_QUOTE + v + STAGE_QUOTE;
}

function csvLine(first: number | null, row: AppendRow): string {
  let line = first === null ? csvField(row[0]) : String(first) + ',' + csvField(row[0]);
  for (let i = 1; i < row.length; i++) line += ',' + csvField(row[i]);
  return line + '\n';
}

/**
 * Text appended into one growing buffer. Keeping a task's output off the JS heap matters: an
 * array of thousands of row strings survives every young-generation GC of the task and made
 * garbage collection half of the import's CPU time.
 */
class ByteWriter {
  private buf: Buffer;
  length = 0;

  constructor(capacity: number) {
    this.buf = Buffer.allocUnsafe(Math.max(4096, capacity));
  }

  write(text: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    const needed = this.length + text.length * 3;
    if (needed > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(needed, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.length);
      this.buf = bigger;
    }
    this.length += this.buf.write(text, this.length);
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

/** What one task accumulates before it writes its staged files. */
class Staged {
  readonly events: ByteWriter;
  readonly quarantine = new ByteWriter(4096);
  readonly rejects: LineReject[] = [];
  readonly ids: string[] = [];
  readonly ords: number[] = [];
  read = 0;
  accepted = 0;
  suppressed = 0;
  private readonly isSuppressed: ((row: AppendRow) => boolean) | null;
  readonly sealer: Sealer | null;

  constructor(
    private readonly ctx: TaskContext,
    expectedBytes: number,
  ) {
    this.events = new ByteWriter(expectedBytes);
    this.isSuppressed = rowSuppressor(ctx.suppression);
    this.sealer = ctx.sealing ? sealerOf(ctx.sealing) : null;
  }

  accept(ord: number, row: AppendRow): void {
    if (this.isSuppressed?.(row)) {
      this.suppressed++;
      return;
    }
    this.events.write(csvLine(ord, row));
    this.ids.push(row[0] as string);
    this.ords.push(ord);
    this.accepted++;
  }

  reject(line: number, reason: string, raw: string, messageId: string | null): void {
    const text = payloadText(raw) ?? '';
    this.rejects.push({ line, reason, raw: text });
    const { sourceId, receivedAt, origin } = this.ctx;
    const payload = this.sealer ? sealPayload(this.sealer, text) : text;
    this.quarantine.write(csvLine(null, quarantineRow({ sourceId, receivedAt, origin, index: line, messageId, reason, payload })));
  }

  finish(seq: number, lines: number): TaskResult {
    const write = (suffix: string, out: ByteWriter): string | null => {
      if (out.length === 0) return null;
      const file = path.join(this.ctx.dir, `${seq}-${suffix}.csv`);
      fs.writeFileSync(file, out.bytes());
      return file;
    };
    return {
      seq,
      lines,
      read: this.read,
      accepted: this.accepted,
      suppressed: this.suppressed,
      eventsFile: write('e', this.events),
      ids: this.ids,
      ords: this.ords,
      quarantineFile: write('q', this.quarantine),
      rejects: this.rejects,
    };
  }
}

type Checked = { ok: true; row: AppendRow } | { ok: false; reason: string };

/** The API's checks, in the API's order: validate, normalise, then the per-message size limit. */
function checkMessage(message: unknown, ctx: NormalizeContext): Checked {
  const checked = validateMessage(message);
  if (!checked.ok) return checked;
  const normalized = normalizeMessage(checked.value, ctx);
  if (normalized.bytes > LIMITS.messageBytes) {
    return { ok: false, reason: `message: about ${normalized.bytes} bytes exceeds the limit of ${LIMITS.messageBytes} bytes` };
  }
  return { ok: true, row: normalized.row };
}

/**
 * An NDJSON line → a message: the default type for messages without one, and a messageId
 * derived from the line for messages without one (re-importing the file gives the same ids).
 */
function messageOfLine(text: string, defaultType: MessageType | null): { ok: true; value: unknown } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `line: is not valid JSON (${(err as Error).message})` };
  }
  if (isDict(value)) {
    const typed = value.type === undefined && defaultType !== null;
    if (typed) value.type = defaultType;
    if (value.messageId === undefined) value.messageId = deterministicId('imp-', typed ? `${text}\u0000${defaultType}` : text);
  }
  return { ok: true, value };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Lines of a chunk; a line that is not valid UTF-8 comes back as `{ invalid: text }`. */
function splitLines(bytes: Uint8Array): Array<string | { invalid: string }> {
  try {
    return utf8.decode(bytes).split('\n');
  } catch {
    const lines: Array<string | { invalid: string }> = [];
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let start = 0;
    for (;;) {
      const end = buf.indexOf(10, start);
      const part = buf.subarray(start, end === -1 ? buf.length : end);
      try {
        lines.push(utf8.decode(part));
      } catch {
        lines.push({ invalid: part.toString('utf8') });
      }
      if (end === -1) return lines;
      start = end + 1;
    }
  }
}

function runNdjson(task: ImportTask & { kind: 'ndjson' }): TaskResult {
  const out = new Staged(task, task.bytes.byteLength * 1.5);
  const ctx: NormalizeContext = { sourceId: task.sourceId, receivedAt: task.receivedAt, sealer: out.sealer };
  const parts = splitLines(task.bytes);
  const lines = parts.length > 0 && parts[parts.length - 1] === '' ? parts.length - 1 : parts.length;
  for (let i = 0; i < lines; i++) {
    const part = parts[i];
    const line = i + 1;
    if (typeof part !== 'string') {
      out.read++;
      out.reject(line, 'line: is not valid UTF-8', part.invalid, null);
      continue;
    }
    let text = part;
    if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.length === 0 || text.trim().length === 0) continue;
    out.read++;
    const parsed = messageOfLine(text, task.defaultType);
    if (!parsed.ok) {
      out.reject(line, parsed.reason, text, null);
      continue;
    }
    const checked = checkMessage(parsed.value, ctx);
    if (checked.ok) out.accept(line * ORD_SCALE, checked.row);
    else out.reject(line, checked.reason, text, messageIdOf(parsed.value));
  }
  return out.finish(task.seq, lines);
}

function messageIdOf(value: unknown): string | null {
  return isDict(value) && typeof value.messageId === 'string' ? value.messageId : null;
}

/** Which message of a multi-message record a reason is about. */
function labelOf(message: Dict): string {
  return message.type === 'track' && typeof message.event === 'string' ? message.event : String(message.type);
}

function runRecords(task: ImportTask & { kind: 'records' }): TaskResult {
  const out = new Staged(task, task.records.length * 2048);
  const ctx: NormalizeContext = { sourceId: task.sourceId, receivedAt: task.receivedAt, sealer: out.sealer };
  for (const record of task.records) {
    out.read++;
    const messages = record.messages;
    if (record.error !== null || messages === null || messages.length === 0) {
      out.reject(record.line, record.error ?? 'row: gives no message', record.raw, null);
      continue;
    }
    if (messages.length > ORD_SCALE) throw new Error(`an import row gives at most ${ORD_SCALE} messages`);
    const rows: AppendRow[] = [];
    let failure: { reason: string; messageId: string | null } | null = null;
    for (const message of messages) {
      const checked = checkMessage(message, ctx);
      if (checked.ok) rows.push(checked.row);
      else {
        failure = { reason: messages.length > 1 ? `${labelOf(message)}: ${checked.reason}` : checked.reason, messageId: messageIdOf(message) };
        break;
      }
    }
    if (failure) out.reject(record.line, failure.reason, record.raw, failure.messageId);
    else rows.forEach((row, k) => out.accept(record.line * ORD_SCALE + k, row));
  }
  return out.finish(task.seq, 0);
}

/**
 * Parses, validates and normalises one task's messages with the API's own functions, writes the
 * accepted rows and the quarantine rows as CSV files for DuckDB to load, and returns the
 * rejects. Pure CPU plus two file writes: it runs on a worker thread.
 */
export function runTask(task: ImportTask): TaskResult {
  return task.kind === 'ndjson' ? runNdjson(task) : runRecords(task);
}
