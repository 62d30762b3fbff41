import { TributaryError } from '../errors/index.ts';
import { sql, type AppendRow, type Store } from '../store/index.ts';
import type { AccessService, Source } from '../privacy/index.ts';
import { RecentIds } from './dedup.ts';
import { normalizeMessage } from './normalize.ts';
import { quarantineRow } from './quarantine.ts';
import { RateLimiter } from './rate-limit.ts';
import { LIMITS, type MessageType } from './schema.ts';
import { validateMessage } from './validate.ts';
import { BatchWriter } from './writer.ts';
import type { IngestConfig } from '../config/index.ts';

export interface Rejection {
  readonly index: number;
  readonly messageId: string | null;
  readonly reason: string;
}

export interface IngestOutcome {
  readonly received: number;
  readonly stored: number;
  readonly duplicates: number;
  readonly rejected: readonly Rejection[];
}

type Dict = Record<string, unknown>;

/** The write key of a request: HTTP Basic user name, else `writeKey` in the body. */
export function writeKeyOf(basicUser: string | null, body: unknown): string | null {
  if (basicUser) return basicUser;
  if (body !== null && typeof body === 'object' && typeof (body as Dict).writeKey === 'string') return (body as Dict).writeKey as string;
  return null;
}

/**
 * The ingestion pipeline behind `/v1/*`: authenticate, rate-limit, validate each message,
 * de-duplicate by messageId, and commit through the group-commit writer. Rejected messages go to
 * the quarantine table with their reason; nothing is dropped silently.
 */
export class IngestService {
  readonly writer: BatchWriter;
  private readonly recent: RecentIds;
  private readonly limiter: RateLimiter;
  /** messageIds queued but not yet committed: a retry waits for the original's commit. */
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly access: AccessService,
    private readonly config: IngestConfig,
  ) {
    this.writer = new BatchWriter(store, config);
    this.recent = new RecentIds(config.dedupWindowHours * 3_600_000, config.dedupMaxIds);
    this.limiter = new RateLimiter(config.rateLimitPerSecond, config.rateLimitBurst);
  }

  /** Loads the messageIds received within the de-duplication window (after a restart). */
  async warmUp(now = Date.now()): Promise<number> {
    if (this.config.dedupMaxIds === 0) return 0;
    const since = new Date(now - this.config.dedupWindowHours * 3_600_000);
    const rows = await this.store.query<{ source_id: string; message_id: string; at: number }>(
      sql`SELECT source_id, message_id, epoch_ms(received_at) AS at FROM events WHERE received_at >= ${since}
          ORDER BY received_at DESC LIMIT ${this.config.dedupMaxIds}`,
    );
    for (let i = rows.length - 1; i >= 0; i--) this.recent.add(RecentIds.key(rows[i].source_id, rows[i].message_id), rows[i].at);
    return rows.length;
  }

  async authenticate(writeKey: string | null): Promise<Source> {
    if (!writeKey) {
      throw new TributaryError('unauthorized', 'missing write key: send it as the HTTP Basic user name or as "writeKey" in the body');
    }
    const source = await this.access.resolveWriteKey(writeKey);
    if (!source) throw new TributaryError('unauthorized', 'unknown or revoked write key');
    return source;
  }

  /** 429 past the per-key rate limit. */
  checkRate(source: Source, now: number): void {
    const wait = this.limiter.take(source.id, now);
    if (wait > 0) {
      throw new TributaryError('rate_limited', `rate limit of ${this.config.rateLimitPerSecond} requests/s for this write key exceeded`, undefined, {
        retryAfter: wait,
      });
    }
  }

  /** Stores a request that could not be read at all (bad JSON, bad gzip) so it can be inspected. */
  async quarantineRequest(source: Source, reason: string, payload: unknown, receivedAt: number): Promise<void> {
    await this.writer.submit([], [quarantineRow({ sourceId: source.id, receivedAt, origin: 'api', index: null, messageId: null, reason, payload })]);
  }

  /** Ingests the messages of one request (`kind` is the endpoint: a message type or `batch`). */
  async ingest(source: Source, kind: MessageType | 'batch', body: unknown, receivedAt: number): Promise<IngestOutcome> {
    this.writer.assertAccepting();
    let unpacked: ReturnType<typeof unpack>;
    try {
      unpacked = unpack(kind, body);
    } catch (err) {
      // A body of the wrong shape can never succeed either: keep it, like an unreadable one.
      if (err instanceof TributaryError && err.status === 400) await this.quarantineRequest(source, err.message, body, receivedAt);
      throw err;
    }
    const { messages, envelopeSentAt } = unpacked;
    const rows: AppendRow[] = [];
    const quarantine: AppendRow[] = [];
    const rejected: Rejection[] = [];
    const waitFor: Promise<void>[] = [];
    const keys: string[] = [];
    let duplicates = 0;
    for (let index = 0; index < messages.length; index++) {
      const raw = messages[index];
      const checked = validateMessage(raw, kind === 'batch' ? undefined : kind);
      let reason: string | null = checked.ok ? null : checked.reason;
      let messageId: string | null = messageIdOf(raw);
      if (checked.ok) {
        const normalized = normalizeMessage(checked.value, { sourceId: source.id, receivedAt, envelopeSentAt });
        messageId = normalized.messageId;
        if (normalized.bytes > LIMITS.messageBytes) {
          reason = `message: about ${normalized.bytes} bytes exceeds the limit of ${LIMITS.messageBytes} bytes`;
        } else {
          const key = RecentIds.key(source.id, normalized.messageId);
          const pending = this.inflight.get(key);
          if (pending) {
            waitFor.push(pending);
            duplicates++;
          } else if (this.recent.has(key)) {
            duplicates++;
          } else {
            this.recent.add(key, receivedAt);
            keys.push(key);
            rows.push(normalized.row);
          }
          continue;
        }
      }
      rejected.push({ index, messageId, reason: reason! });
      quarantine.push(quarantineRow({ sourceId: source.id, receivedAt, origin: 'api', index, messageId, reason: reason!, payload: raw }));
    }
    await this.commit(rows, quarantine, keys);
    await Promise.all(waitFor);
    return { received: messages.length, stored: rows.length, duplicates, rejected };
  }

  private async commit(rows: AppendRow[], quarantine: AppendRow[], keys: string[]): Promise<void> {
    let committed: Promise<void>;
    try {
      committed = this.writer.submit(rows, quarantine);
    } catch (err) {
      for (const key of keys) this.recent.delete(key);
      throw err;
    }
    for (const key of keys) this.inflight.set(key, committed);
    try {
      await committed;
    } catch (err) {
      // Not stored: forget the ids so the client's retry is accepted.
      for (const key of keys) this.recent.delete(key);
      throw err;
    } finally {
      for (const key of keys) this.inflight.delete(key);
    }
  }

  async close(): Promise<void> {
    await this.writer.close();
  }
}

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
  return { messages: dict.batch, envelopeSentAt };
}
