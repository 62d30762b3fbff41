import { TributaryError } from '../errors/index.ts';
import { EVENTS_TABLE, QUARANTINE_TABLE, type AppendRow, type Store } from '../store/index.ts';

export interface WriterOptions {
  readonly flushIntervalMs: number;
  readonly flushMaxRows: number;
  readonly maxPendingRows: number;
}

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Group commit: requests hand their rows to the writer and wait; every `flushIntervalMs` (or as
 * soon as `flushMaxRows` are pending) one Appender pass commits everything pending and then
 * answers all waiters. A request is acknowledged only after its rows are committed.
 */
export class BatchWriter {
  private events: AppendRow[] = [];
  private quarantine: AppendRow[] = [];
  private waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private closing = false;
  /** Rows committed since start (for health and benchmarks). */
  committedEvents = 0;

  constructor(
    private readonly store: Store,
    private readonly options: WriterOptions,
  ) {}

  get pendingRows(): number {
    return this.events.length + this.quarantine.length;
  }

  /** Throws 503 when the writer is shutting down or too far behind (back-pressure). */
  assertAccepting(): void {
    if (this.closing) throw new TributaryError('unavailable', 'the server is shutting down; retry shortly', undefined, { retryAfter: 5 });
    if (this.pendingRows >= this.options.maxPendingRows) {
      throw new TributaryError('unavailable', 'the store is busy; retry shortly', undefined, { retryAfter: 1 });
    }
  }

  /** Queues rows; resolves once they are committed, rejects if the commit fails. */
  submit(events: readonly AppendRow[], quarantine: readonly AppendRow[] = []): Promise<void> {
    if (events.length === 0 && quarantine.length === 0) return Promise.resolve();
    this.assertAccepting();
    for (const r of events) this.events.push(r);
    for (const r of quarantine) this.quarantine.push(r);
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.pendingRows >= this.options.flushMaxRows) this.schedule(0);
    else this.schedule(this.options.flushIntervalMs);
    return done;
  }

  /** Commits everything pending now. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pendingRows === 0) return;
    this.flushing = this.commitPending();
    try {
      await this.flushing;
    } finally {
      this.flushing = null;
    }
  }

  /** New submissions get 503 from now on; pending ones still commit. */
  beginShutdown(): void {
    this.closing = true;
  }

  /** Stops accepting, commits what is pending. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }

  private schedule(delayMs: number): void {
    if (this.timer !== null && delayMs > 0) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush().catch(() => undefined);
    }, delayMs);
  }

  private async commitPending(): Promise<void> {
    const events = this.events;
    const quarantine = this.quarantine;
    const waiters = this.waiters;
    this.events = [];
    this.quarantine = [];
    this.waiters = [];
    try {
      // One commit for both: a failure leaves neither, so the client's retry stores each once.
      await this.store.appendAll([
        { table: EVENTS_TABLE, rows: events },
        { table: QUARANTINE_TABLE, rows: quarantine },
      ]);
      this.committedEvents += events.length;
      for (const w of waiters) w.resolve();
    } catch (err) {
      const failure = new TributaryError('unavailable', 'the store could not commit the events; retry', undefined, {
        retryAfter: 1,
        cause: err,
      });
      for (const w of waiters) w.reject(failure);
    }
    if (this.pendingRows > 0) this.schedule(this.pendingRows >= this.options.flushMaxRows ? 0 : this.options.flushIntervalMs);
  }
}
