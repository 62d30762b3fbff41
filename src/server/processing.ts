import type { Logger } from 'pino';
import type { DeriveService } from '../channels/index.ts';
import type { IdentityService } from '../identity/index.ts';
import { refreshActivity } from '../analytics/index.ts';
import type { Store } from '../store/index.ts';

/** What catching up needs: the store and the two services that derive from events. */
export interface PendingWork {
  readonly store: Store;
  readonly identity: IdentityService;
  readonly derive: DeriveService;
}

/**
 * Brings everything derived from events up to date: identity links, then sessions and touches,
 * then the analytics roll-ups (each step reads what the previous one wrote).
 */
export async function processPending(work: PendingWork) {
  const identity = await work.identity.processNewEvents();
  const derived = await work.derive.processNewEvents();
  await refreshActivity(work.store);
  return { identity, derived };
}

/**
 * Keeps the derived data current while the server runs: every few seconds the identity graph
 * takes in new links, sessions and touches are re-derived for visitors with new events, and the
 * analytics roll-ups catch up (so a dashboard request rarely has to).
 * Runs never overlap; a run with nothing new costs two small queries.
 */
export class Processing {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly services: PendingWork,
    private readonly logger: Logger,
    private readonly intervalMs = 2_000,
  ) {}

  start(): void {
    if (this.timer || this.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      void this.runNow().catch((err: unknown) => this.logger.error({ err }, 'processing new events failed'));
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Processes what arrived since the last run (waits for a run already under way). */
  async runNow(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      const { identity, derived } = await processPending(this.services);
      if (identity.messages > 0 || derived.visitors > 0) {
        this.logger.debug({ identity, derived }, 'processed new events');
      }
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }
}
