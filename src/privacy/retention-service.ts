import type { Store } from '../store/index.ts';
import { retentionStatements } from './retention.sql.ts';

const DAY_MS = 86_400_000;

/** Deletes person-level rows older than `days` (one transaction); answers the rows removed per table. */
export async function applyRetention(store: Store, days: number, now = Date.now()): Promise<Record<string, number>> {
  const cutoff = new Date(now - days * DAY_MS);
  const removed: Record<string, number> = {};
  await store.transaction(async (tx) => {
    for (const step of retentionStatements(cutoff)) {
      const [row] = await tx.query(step.sql);
      removed[step.table] = row ? Number(Object.values(row)[0] ?? 0) : 0;
    }
  });
  return removed;
}
