import type { Logger } from 'pino';
import type { DeriveService } from '../channels/index.ts';
import type { IdentityService } from '../identity/index.ts';
import { refreshActivity, refreshEventCatalog } from '../analytics/index.ts';
import type { Store } from '../store/index.ts';
import { refreshConsent } from '../profiles/index.ts';
import { applyRetention } from '../privacy/index.ts';
import { eventsState } from '../ingest/index.ts';

/** What catching up needs: the store and the two services that derive from events. */
export interface PendingWork {
  readonly store: Store;
  readonly identity: IdentityService;
  readonly derive: DeriveService;
  /** Days raw events are kept (0 or absent: forever); the server's loop applies it hourly. */
  readonly retentionDays?: number;
}

const RETENTION_EVERY_MS = 3_600_000;

/**
 * Brings everything derived from events up to date: identity links, then sessions and touches,
 * then the analytics roll-ups, the event catalog and consent (each step reads what the previous one wrote).
 * `newEvents: false` (the caller knows no event was stored or deleted since its last run, and
 * that run read everything) skips identity and sessions.
 */
export async function processPending(work: PendingWork, options: { newEvents?: boolean } = {}) {
  const fresh = options.newEvents ?? true;
  const identity = fresh ? await work.identity.processNewEvents() : null;
  const derived = fresh ? await work.derive.processNewEvents() : null;
  await refreshActivity(work.store);
  await refreshEventCatalog(work.store);
  const consentChanges = await refreshConsent(work.store);
  return { identity, derived, consentChanges };
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
  /** When retention last ran (it runs at most hourly). */
  private retainedAt = 0;
  /** The events' state (`eventsState`) at the start of the last completed run that read every event. */
  private eventsSeen: string | null = null;

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
      const settled = this.services.store.receipts.settled();
      const events = await eventsState(this.services.store);
      const { identity, derived } = await processPending(this.services, { newEvents: events.state !== this.eventsSeen });
      // Events received after `settled` were left for the next run, which must not skip them.
      this.eventsSeen = events.latest <= settled ? events.state : null;
      if ((identity?.messages ?? 0) > 0 || (derived?.visitors ?? 0) > 0) {
        this.logger.debug({ identity, derived }, 'processed new events');
      }
      const days = this.services.retentionDays ?? 0;
      if (days > 0 && Date.now() - this.retainedAt >= RETENTION_EVERY_MS) {
        this.retainedAt = Date.now();
        const removed = await applyRetention(this.services.store, days);
        if (Object.values(removed).some((n) => n > 0)) this.logger.info({ removed, days }, 'deleted data older than the retention period');
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
