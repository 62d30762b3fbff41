import type { Executor, Store } from '../store/index.ts';
import { DAY_MS, HOUR_MS } from './kpis-time.ts';
import { latestEventMs } from './kpis-service.ts';
import { assembleCatalog, DEFAULT_CATALOG_DAYS, type CatalogQuery, type CatalogRow, type EventCatalog } from './events-catalog.ts';
import {
  catalogSql,
  clearCatalogSql,
  countCatalogSql,
  forgetCatalogHoursSql,
  maxReceivedSql,
  readCatalogWatermarkSql,
  writeCatalogWatermarkSql,
} from './events-catalog.sql.ts';

/** Events committed out of receipt order (a slow request) are caught by recounting this far back. */
const OVERLAP_MS = 5 * 60_000;

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
  const next = previous.catch(() => null).then(() => store.transaction((tx) => runRefresh(tx, options.rebuild ?? false)));
  running.set(store, next);
  return next;
}

async function runRefresh(tx: Executor, rebuild: boolean): Promise<CatalogRefresh> {
  const started = Date.now();
  const [{ at: maxAt }] = await tx.query<{ at: number | null }>(maxReceivedSql());
  const [stored] = await tx.query<{ value: string }>(readCatalogWatermarkSql());
  const watermark = rebuild || stored === undefined ? null : Number(stored.value);
  if (maxAt === null || (watermark !== null && maxAt <= watermark)) return { counted: false, ms: Date.now() - started };
  // Whole receipt hours are recounted, so the cut must fall on an hour.
  const since = watermark === null ? null : Math.floor((watermark - OVERLAP_MS) / HOUR_MS) * HOUR_MS;
  await tx.exec(since === null ? clearCatalogSql() : forgetCatalogHoursSql(since));
  await tx.exec(countCatalogSql(since));
  await tx.exec(writeCatalogWatermarkSql(maxAt));
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
