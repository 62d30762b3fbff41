/**
 * Receive times of event writes that have not committed yet, so that whatever derives from events
 * can tell how far back everything is on disk.
 *
 * A write of events (an API request, an import's batch) takes its `received_at` from `begin()` and
 * closes the receipt once its commit succeeded or failed. `settled()` is the latest receive time
 * up to which every write has ended: the derived-data steps read events received up to it, and
 * the next run starts right after it. A write received before a step's run but committed after it
 * is still ahead of that step's watermark, so nothing needs to be read twice.
 *
 * A receive time handed out always lies after every `settled()` already answered, even when the
 * system clock steps back or both fall in the same millisecond. Otherwise it is the clock's time:
 * writes of the same millisecond share it.
 */
export class Receipts {
  /** Receive times of the writes under way → how many writes hold each. */
  private readonly open = new Map<number, number>();
  /** The latest time answered as settled. */
  private lastSettled = 0;
  /** The latest receive time handed out. */
  private lastBegun = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  /** A receive time for a write of events; call `close()` once it committed or failed. */
  begin(): Receipt {
    const at = Math.max(this.clock(), this.lastSettled + 1);
    this.lastBegun = Math.max(this.lastBegun, at);
    this.open.set(at, (this.open.get(at) ?? 0) + 1);
    let closed = false;
    return {
      at,
      close: () => {
        if (closed) return;
        closed = true;
        const n = this.open.get(at)! - 1;
        if (n === 0) this.open.delete(at);
        else this.open.set(at, n);
      },
    };
  }

  /** Every event write received at or before this time (epoch ms) has committed or failed. */
  settled(): number {
    let oldest = Infinity;
    for (const at of this.open.keys()) if (at < oldest) oldest = at;
    const settled = oldest !== Infinity ? oldest - 1 : Math.max(this.clock(), this.lastBegun);
    this.lastSettled = Math.max(settled, this.lastSettled);
    return this.lastSettled;
  }
}

export interface Receipt {
  /** The write's receive time (epoch ms). */
  readonly at: number;
  /** Ends the write (committed or failed); later calls do nothing. */
  close(): void;
}
