import type { Dialect, Executor, Store } from '../store/index.ts';
import {
  ACTIVITY_WATERMARK,
  clearActivitySql,
  CONVERSION_EVENTS_KEY,
  conversionEventNamesSql,
  dropStagedActivitySql,
  insertActivitySql,
  insertConversionsSql,
  insertVisitorsSql,
  maxReceivedAtSql,
  readStateSql,
  stageNewActivitySql,
  writeStateSql,
} from './kpis-activity.sql.ts';
import {
  forgetChangedPairsSql,
  identityFingerprintSql,
  mapNewPairsSql,
  PEOPLE_FINGERPRINT,
  replaceSnapshotSql,
  stageChangedIdentifiersSql,
} from './kpis-people-map.sql.ts';

export interface ActivityRefresh {
  /** Pair-hours read from new events (before skipping the known ones); 0 when nothing was new. */
  readonly pairHours: number;
  /** Conversion event names copied from all events for the first time (a new definition). */
  readonly backfilled: readonly string[];
  /** Whether the identity graph had changed since the last refresh (pairs were mapped again). */
  readonly identityChanged: boolean;
  readonly ms: number;
}

const running = new WeakMap<Store, Promise<ActivityRefresh>>();

/**
 * Brings the activity rollups (kpis-activity.sql.ts) up to date with the events table; this is
 * their store-facing half. Analytics queries call it first; with nothing new it costs a few tiny
 * queries. Runs on one store never overlap. `rebuild` starts over from all events (needed only
 * if events were ever deleted).
 */
export function refreshActivity(store: Store, options: { rebuild?: boolean } = {}): Promise<ActivityRefresh> {
  const previous = running.get(store) ?? Promise.resolve(null);
  const next = previous
    .catch(() => null)
    .then(() => {
      // Taken before the transaction's snapshot: every event received up to it is committed.
      const settled = store.receipts.settled();
      return store.transaction((tx) => runRefresh(tx, store.dialect, settled, options.rebuild ?? false));
    });
  running.set(store, next);
  return next;
}

async function readState(tx: Executor, key: string): Promise<string | null> {
  const [row] = await tx.query<{ value: string }>(readStateSql(key));
  return row?.value ?? null;
}

async function runRefresh(tx: Executor, dialect: Dialect, settled: number, rebuild: boolean): Promise<ActivityRefresh> {
  const started = Date.now();
  if (rebuild) for (const q of clearActivitySql()) await tx.exec(q);
  const [{ at: latest }] = await tx.query<{ at: number | null }>(maxReceivedAtSql());
  const maxAt = latest === null ? null : Math.min(latest, settled);
  const stored = await readState(tx, ACTIVITY_WATERMARK);
  const watermark = stored === null ? null : Number(stored);
  const covered: string[] = JSON.parse((await readState(tx, CONVERSION_EVENTS_KEY)) ?? '[]') as string[];
  const wanted = (await tx.query<{ event: string }>(conversionEventNamesSql())).map((r) => r.event);
  const missing = wanted.filter((e) => !covered.includes(e));
  const hasNew = maxAt !== null && (watermark === null || maxAt > watermark);

  let pairHours = 0;
  if (hasNew) {
    const since = watermark;
    await tx.exec(stageNewActivitySql(since));
    [{ n: pairHours }] = await tx.query<{ n: number }>({ text: 'SELECT count(*) AS n FROM analytics_new_activity', params: [] });
    await tx.exec(insertActivitySql());
    await tx.exec(insertVisitorsSql());
    await tx.exec(dropStagedActivitySql());
    if (covered.length > 0) await tx.exec(insertConversionsSql(covered, since));
    await tx.exec(writeStateSql(ACTIVITY_WATERMARK, String(maxAt)));
  }
  if (missing.length > 0) {
    await tx.exec(insertConversionsSql(missing, null));
    await tx.exec(writeStateSql(CONVERSION_EVENTS_KEY, JSON.stringify([...covered, ...missing].sort())));
  }
  const identityChanged = await refreshPeopleMap(tx);
  if (hasNew || identityChanged) await tx.exec(mapNewPairsSql(dialect));
  return { pairHours, backfilled: missing, identityChanged, ms: Date.now() - started };
}

/** Forgets the people of pairs whose identity rows changed since the last refresh. */
async function refreshPeopleMap(tx: Executor): Promise<boolean> {
  const [{ fp }] = await tx.query<{ fp: string }>(identityFingerprintSql());
  if (fp === (await readState(tx, PEOPLE_FINGERPRINT))) return false;
  await tx.exec(stageChangedIdentifiersSql());
  await tx.exec(forgetChangedPairsSql());
  for (const q of replaceSnapshotSql()) await tx.exec(q);
  await tx.exec(writeStateSql(PEOPLE_FINGERPRINT, fp));
  return true;
}
