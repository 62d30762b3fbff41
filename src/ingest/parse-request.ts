import { TributaryError } from '../errors/index.ts';
import type { AppendRow } from '../store/index.ts';
import { decodeBody, bodyLimitFor } from './body.ts';
import { sealPayload, type Sealer } from '../privacy/index.ts';
import { normalizeMessage } from './normalize.ts';
import { sealerOf, type SealingSpec } from './pii.ts';
import { payloadText } from './quarantine.ts';
import { LIMITS, type MessageType } from './schema.ts';
import { validateMessage } from './validate.ts';

/** A request's raw bytes and what the endpoint implies. Plain data: it crosses to worker threads. */
export interface RawRequest {
  readonly body: Uint8Array;
  readonly contentEncoding?: string;
  readonly kind: MessageType | 'batch';
  readonly receivedAt: number;
  /** Seals personal data before it is stored (null: stored as sent). */
  readonly sealing?: SealingSpec | null;
}

export interface AcceptedMessage {
  readonly messageId: string;
  /** An events row whose source_id (index 1) is filled in once the write key is resolved. */
  readonly row: AppendRow;
}

export interface RejectedMessage {
  readonly index: number;
  readonly messageId: string | null;
  readonly reason: string;
  /** The message as received (JSON text, cut at 64 KB), for the quarantine. */
  readonly payload: string | null;
}

export type ParsedRequest =
  | {
      readonly ok: true;
      readonly bodyWriteKey: string | null;
      readonly received: number;
      readonly accepted: AcceptedMessage[];
      readonly rejected: RejectedMessage[];
    }
  | {
      readonly ok: false;
      readonly bodyWriteKey: string | null;
      readonly error: { readonly code: TributaryError['code']; readonly message: string };
      /** What to keep in the quarantine for a request that can never succeed (null: not kept). */
      readonly payload: string | null;
    };

type Dict = Record<string, unknown>;

function messageIdOf(raw: unknown): string | null {
  if (raw !== null && typeof raw === 'object' && typeof (raw as Dict).messageId === 'string') return (raw as Dict).messageId as string;
  return null;
}

/** The messages of a request body, with the batch envelope's sentAt. */
function unpack(kind: MessageType | 'batch', body: unknown): { messages: unknown[]; envelopeSentAt: string | null } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new TributaryError('validation_failed', 'body: must be a JSON object' + (kind === 'batch' ? ' of the form {"batch": [...]}' : ''));
  }
  const dict = body as Dict;
  const envelopeSentAt = typeof dict.sentAt === 'string' && !Number.isNaN(Date.parse(dict.sentAt)) ? dict.sentAt : null;
  if (kind !== 'batch') {
    const { writeKey: _ignored, ...message } = dict;
    return { messages: [message], envelopeSentAt: null };
  }
  if (!Array.isArray(dict.batch)) throw new TributaryError('validation_failed', 'batch: is required and must be an array of messages');
  if (dict.batch.length > LIMITS.batchMessages) {
    throw new TributaryError('payload_too_large', `batch: ${dict.batch.length} messages exceeds the limit of ${LIMITS.batchMessages}`);
  }
  if (dict.batch.length === 0) throw new TributaryError('validation_failed', 'batch: is empty');
  return { messages: withEnvelope(dict.batch, dict), envelopeSentAt };
}

const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A batch's top-level `context` and `integrations` apply to each of its messages, as in Segment's
 * batch call; a message's own keys win. A message whose own field is not an object is left for
 * validation to reject.
 */
function withEnvelope(batch: unknown[], envelope: Dict): unknown[] {
  const shared = (['context', 'integrations'] as const).filter((field) => isDict(envelope[field]));
  if (shared.length === 0) return batch;
  return batch.map((message) => {
    if (!isDict(message)) return message;
    const out: Dict = { ...message };
    for (const field of shared) {
      const own = message[field];
      if (own === undefined || own === null) out[field] = envelope[field];
      else if (isDict(own)) out[field] = { ...(envelope[field] as Dict), ...own };
    }
    return out;
  });
}

/** The quarantine's copy of a rejected message or body: JSON text with personal data sealed. */
function keptPayload(sealer: Sealer | null, payload: unknown): string | null {
  return payloadText(sealer ? sealPayload(sealer, payload) : payload);
}

function failure(err: unknown, bodyWriteKey: string | null, payload: unknown, sealer: Sealer | null): ParsedRequest {
  if (!(err instanceof TributaryError)) throw err;
  // Only requests that can never succeed (400) are kept; limits (413/415) are the client's to fix.
  return { ok: false, bodyWriteKey, error: { code: err.code, message: err.message }, payload: err.status === 400 ? keptPayload(sealer, payload) : null };
}

/**
 * Decode, parse, validate and normalise one request: the CPU-heavy part of ingestion, pure and
 * free of I/O so it can run on a worker thread. Never throws for bad input: it says what was
 * wrong with the request, or with each message.
 */
export function parseRequest(req: RawRequest): ParsedRequest {
  const bytes = Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength);
  const sealer = req.sealing ? sealerOf(req.sealing) : null;
  let body: unknown;
  try {
    body = decodeBody(bytes, req.contentEncoding, bodyLimitFor(req.kind === 'batch' ? 'batch' : 'single'));
  } catch (err) {
    return failure(err, null, bytes.subarray(0, 64 * 1024).toString('latin1'), sealer);
  }
  const bodyWriteKey =
    body !== null && typeof body === 'object' && typeof (body as Dict).writeKey === 'string' ? ((body as Dict).writeKey as string) : null;
  let unpacked: ReturnType<typeof unpack>;
  try {
    unpacked = unpack(req.kind, body);
  } catch (err) {
    return failure(err, bodyWriteKey, body, sealer);
  }
  const accepted: AcceptedMessage[] = [];
  const rejected: RejectedMessage[] = [];
  const context = { sourceId: '', receivedAt: req.receivedAt, envelopeSentAt: unpacked.envelopeSentAt, sealer };
  unpacked.messages.forEach((raw, index) => {
    const checked = validateMessage(raw, req.kind === 'batch' ? undefined : req.kind);
    if (!checked.ok) {
      rejected.push({ index, messageId: messageIdOf(raw), reason: checked.reason, payload: keptPayload(sealer, raw) });
      return;
    }
    const normalized = normalizeMessage(checked.value, context);
    if (normalized.bytes > LIMITS.messageBytes) {
      const reason = `message: about ${normalized.bytes} bytes exceeds the limit of ${LIMITS.messageBytes} bytes`;
      rejected.push({ index, messageId: normalized.messageId, reason, payload: keptPayload(sealer, raw) });
      return;
    }
    accepted.push({ messageId: normalized.messageId, row: normalized.row });
  });
  return { ok: true, bodyWriteKey, received: unpacked.messages.length, accepted, rejected };
}
