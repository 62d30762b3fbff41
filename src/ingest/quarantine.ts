import { randomUUID } from 'node:crypto';
import type { AppendRow } from '../store/index.ts';
import { revealPayload, type Opener } from '../privacy/index.ts';

export const QUARANTINE_PAYLOAD_MAX = 64 * 1024;

export interface QuarantineEntry {
  readonly sourceId: string | null;
  readonly receivedAt: number;
  /** Where it came from: `api` (HTTP), `import:<file>`. */
  readonly origin: string;
  /** Index in the batch, or line number for imports. */
  readonly index: number | null;
  readonly messageId: string | null;
  readonly reason: string;
  readonly details?: unknown;
  /** The rejected message (or raw body), kept for inspection and replay. */
  readonly payload: unknown;
}

/** JSON with objects below `maxDepth` replaced by a marker: JSON.stringify overflows the stack on very deep input. */
function jsonCutAtDepth(payload: unknown, maxDepth: number): string {
  const depths = new WeakMap<object, number>();
  return JSON.stringify(payload, function (this: object, _key: string, value: unknown) {
    if (value === null || typeof value !== 'object') return value;
    const depth = (depths.get(this) ?? 0) + 1;
    if (depth > maxDepth) return '[nested too deep]';
    depths.set(value, depth);
    return value;
  });
}

export function payloadText(payload: unknown): string | null {
  if (payload === undefined) return null;
  let text: string;
  if (typeof payload === 'string') text = payload;
  else if (Buffer.isBuffer(payload)) text = payload.toString('utf8');
  else {
    try {
      text = JSON.stringify(payload);
    } catch {
      text = jsonCutAtDepth(payload, 64);
    }
  }
  return text.length > QUARANTINE_PAYLOAD_MAX ? text.slice(0, QUARANTINE_PAYLOAD_MAX) : text;
}

/** A quarantine entry → a row of the quarantine table (QUARANTINE_TABLE column order). */
export function quarantineRow(entry: QuarantineEntry): AppendRow {
  return [
    randomUUID(),
    entry.sourceId,
    entry.receivedAt,
    entry.origin,
    entry.index,
    entry.messageId,
    entry.reason,
    entry.details === undefined ? null : JSON.stringify(entry.details),
    payloadText(entry.payload),
  ];
}

/** A kept payload as messages to import again, or why it cannot be. */
export type Replayable = { readonly messages: Record<string, unknown>[] } | { readonly skipped: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The messages of a kept payload, personal data opened, ready to be fixed and imported again: a
 * rejected message is one; a whole batch rejected as a request gives each of its messages. A body
 * that was not JSON, or was cut at QUARANTINE_PAYLOAD_MAX, is skipped with the reason.
 */
export function replayableMessages(payload: string | null, open: Opener): Replayable {
  if (payload === null) return { skipped: 'nothing was kept' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return { skipped: payload.length >= QUARANTINE_PAYLOAD_MAX ? `cut at ${QUARANTINE_PAYLOAD_MAX} bytes` : 'the body was not JSON' };
  }
  const shown = revealPayload(parsed, open, 'clear');
  if (!isObject(shown)) return { skipped: typeof shown === 'string' ? 'the body was not JSON' : 'not a JSON object' };
  if ('batch' in shown) {
    const messages = Array.isArray(shown.batch) ? shown.batch.filter(isObject) : [];
    return messages.length > 0 ? { messages } : { skipped: 'a batch without messages' };
  }
  return { messages: [shown] };
}
