import { TributaryError } from '../errors/index.ts';
import { sql, type AppendRow, type Store } from '../store/index.ts';
import type { AccessService, Source } from '../privacy/index.ts';
import { RecentIds } from './dedup.ts';
import { ParsePool } from './parse-pool.ts';
import type { AcceptedMessage, RawRequest, RejectedMessage } from './parse-request.ts';
import type { SealingSpec } from './pii.ts';
import { quarantineRow } from './quarantine.ts';
import { RateLimiter } from './rate-limit.ts';
import { BatchWriter } from './writer.ts';
import type { IngestConfig } from '../config/index.ts';
import { countSuppressedSql, loadSuppressionKeysSql, rowSuppressor, type SuppressionSettings } from './suppression.ts';

export interface Rejection {
  readonly index: number;
  readonly messageId: string | null;
  readonly reason: string;
}

export interface IngestOutcome {
  readonly received: number;
  readonly stored: number;
  readonly duplicates: number;
  /** Messages of erased people, dropped and counted (never stored). */
  readonly suppressed: number;
  readonly rejected: readonly Rejection[];
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
  private readonly pool: ParsePool;
  /** Recognises messages of erased people; null while the suppression list is empty. */
  private suppressed: ((row: AppendRow) => boolean) | null = null;

  constructor(
    private readonly store: Store,
    private readonly access: AccessService,
    private readonly config: IngestConfig,
    private readonly suppression: SuppressionSettings | null = null,
    /** The current sealing spec (read per request, so a key rotation applies at once); null: no sealing. */
    private readonly sealing: (() => SealingSpec) | null = null,
  ) {
    this.writer = new BatchWriter(store, config);
    this.recent = new RecentIds(config.dedupWindowHours * 3_600_000, config.dedupMaxIds);
    this.limiter = new RateLimiter(config.rateLimitPerSecond, config.rateLimitBurst);
    this.pool = new ParsePool(config.parseWorkers);
  }

  /** (Re)loads the suppression list: at start, and after an erasure adds to it. */
  async loadSuppressions(): Promise<number> {
    if (!this.suppression) return 0;
    const keys = (await this.store.query<{ key: string }>(loadSuppressionKeysSql())).map((r) => r.key);
    this.suppressed = rowSuppressor({ ...this.suppression, keys });
    return keys.length;
  }

  /** Loads the suppression list and the messageIds received within the de-duplication window (after a restart). */
  async warmUp(now = Date.now()): Promise<number> {
    await this.loadSuppressions();
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

  /**
   * Ingests one request (`kind` is the endpoint: a message type or `batch`): authenticate by the
   * Basic user name (or the body's writeKey), rate-limit, parse on the pool, de-duplicate by
   * messageId, and commit valid messages and quarantined rejects together.
   */
  async ingestRequest(raw: Omit<RawRequest, 'receivedAt'>, headerKey: string | null): Promise<IngestOutcome> {
    this.writer.assertAccepting();
    // The receive time is held open until the messages are committed (or refused), so that the
    // derived-data steps never read past a request still under way.
    const receipt = this.store.receipts.begin();
    try {
      return await this.ingestReceived({ ...raw, receivedAt: receipt.at }, headerKey);
    } finally {
      receipt.close();
    }
  }

  private async ingestReceived(request: RawRequest, headerKey: string | null): Promise<IngestOutcome> {
    let source = headerKey ? await this.authenticate(headerKey) : null;
    if (source) this.checkRate(source, request.receivedAt);
    const parsed = await this.pool.parse(this.sealing ? { ...request, sealing: this.sealing() } : request);
    // An unreadable body without a header key: say what is wrong with the body, keep nothing.
    if (!parsed.ok && !source && parsed.bodyWriteKey === null) throw new TributaryError(parsed.error.code, parsed.error.message);
    if (!source) {
      source = await this.authenticate(parsed.bodyWriteKey);
      this.checkRate(source, request.receivedAt);
    }
    if (!parsed.ok) {
      // A request that can never succeed is kept in the quarantine, so nothing vanishes unseen.
      if (parsed.payload !== null) {
        const entry = { sourceId: source.id, receivedAt: request.receivedAt, origin: 'api', index: null, messageId: null };
        await this.writer.submit([], [quarantineRow({ ...entry, reason: parsed.error.message, payload: parsed.payload })]);
      }
      throw new TributaryError(parsed.error.code, parsed.error.message);
    }
    return this.storeParsed(source, parsed.accepted, parsed.rejected, parsed.received, request.receivedAt);
  }

  private async storeParsed(
    source: Source,
    accepted: readonly AcceptedMessage[],
    rejectedMessages: readonly RejectedMessage[],
    received: number,
    receivedAt: number,
  ): Promise<IngestOutcome> {
    const rows: AppendRow[] = [];
    const waitFor: Promise<void>[] = [];
    const keys: string[] = [];
    let duplicates = 0;
    let suppressed = 0;
    for (const { messageId, row } of accepted) {
      if (this.suppressed?.(row)) {
        suppressed++;
        continue;
      }
      const key = RecentIds.key(source.id, messageId);
      const pending = this.inflight.get(key);
      if (pending) {
        waitFor.push(pending);
        duplicates++;
      } else if (this.recent.has(key)) {
        duplicates++;
      } else {
        this.recent.add(key, receivedAt);
        keys.push(key);
        const withSource = row.slice();
        withSource[1] = source.id;
        rows.push(withSource);
      }
    }
    const rejected: Rejection[] = rejectedMessages.map(({ index, messageId, reason }) => ({ index, messageId, reason }));
    const quarantine = rejectedMessages.map((r) =>
      quarantineRow({ sourceId: source.id, receivedAt, origin: 'api', index: r.index, messageId: r.messageId, reason: r.reason, payload: r.payload }),
    );
    await this.commit(rows, quarantine, keys);
    await Promise.all(waitFor);
    if (suppressed > 0) await this.store.exec(countSuppressedSql(new Date(receivedAt), 'api', suppressed));
    return { received, stored: rows.length, duplicates, suppressed, rejected };
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
    await this.pool.close();
  }
}

