import type { Executor, Store } from '../store/index.ts';
import { DAY_MS, HOUR_MS } from './kpis-time.ts';
import { latestEventMs } from './kpis-service.ts';
import { assembleCatalog, DEFAULT_CATALOG_DAYS, type CatalogQuery, type CatalogRow, type EventCatalog } from './events-catalog.ts';
import {
  catalogSql,
  clearCatalogSql,
  countCatalogSql,
  maxReceivedSql,
  mergeCatalogHoursSql,
  readCatalogWatermarkSql,
  writeCatalogWatermarkSql,
} from './events-catalog.sql.ts';

export interface CatalogRefresh {
  /** Whether new events were counted. */
  readonly counted: boolean;
  readonly ms: number;
}

const running = new WeakMap<Store, Promise<CatalogRefresh>>();

/**
 * Brings the event catalog roll-up (events-catalog.sql.ts) up to date with the events table.
 * With nothing new it costs two tiny queries; runs on one store never overlap. `rebuild` counts
 * every event again (needed only if events were ever deleted).
 */
export function refreshEventCatalog(store: Store, options: { rebuild?: boolean } = {}): Promise<CatalogRefresh> {
  const previous = running.get(store) ?? Promise.resolve(null);
  const next = previous
    .catch(() => null)
    .then(() => {
      // Taken before the transaction's snapshot: every event received up to it is committed.
      const settled = store.receipts.settled();
      return store.transaction((tx) => runRefresh(tx, settled, options.rebuild ?? false));
    });
  running.set(store, next);
  return next;
}

async function runRefresh(tx: Executor, settled: number, rebuild: boolean): Promise<CatalogRefresh> {
  const started = Date.now();
  const [{ at: latest }] = await tx.query<{ at: number | null }>(maxReceivedSql());
  const [stored] = await tx.query<{ value: string }>(readCatalogWatermarkSql());
  const watermark = rebuild || stored === undefined ? null : Number(stored.value);
  const upTo = latest === null ? null : Math.min(latest, settled);
  if (upTo === null || (watermark !== null && upTo <= watermark)) return { counted: false, ms: Date.now() - started };
  if (watermark === null) await tx.exec(clearCatalogSql());
  await tx.exec(countCatalogSql(watermark, upTo));
  if (watermark !== null) for (const q of mergeCatalogHoursSql(Math.floor((watermark + 1) / HOUR_MS) * HOUR_MS)) await tx.exec(q);
  await tx.exec(writeCatalogWatermarkSql(upTo));
  return { counted: true, ms: Date.now() - started };
}

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The range asked for, or the DEFAULT_CATALOG_DAYS days up to the latest event's (today when empty). */
async function catalogRange(store: Store, q: CatalogQuery, now: number): Promise<{ from: string; to: string }> {
  if (q.from !== undefined && q.to !== undefined) return { from: q.from, to: q.to };
  const end = Math.floor(((await latestEventMs(store)) ?? now) / DAY_MS) * DAY_MS;
  return { from: isoDay(end - (DEFAULT_CATALOG_DAYS - 1) * DAY_MS), to: isoDay(end) };
}

/** The events of a range of days with counts and their most frequent property keys. */
export async function eventCatalogFromStore(store: Store, q: CatalogQuery, options: { now?: number } = {}): Promise<EventCatalog> {
  await refreshEventCatalog(store);
  const range = await catalogRange(store, q, options.now ?? Date.now());
  const rows = await store.query<CatalogRow>(catalogSql({ ...range, topKeys: q.keys }));
  return assembleCatalog(rows, range);
}
