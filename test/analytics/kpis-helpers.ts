import { DuckDbStore, EVENTS_TABLE, sql, type Store } from '../../src/store/index.ts';
import { normalizeMessage, validateMessage } from '../../src/ingest/index.ts';
import { DeriveService } from '../../src/channels/index.ts';
import { IdentityService, createIdentifierHasher } from '../../src/identity/index.ts';
import { DAY, T0, type World } from './kpis-world.ts';

/** Validated, normalised event rows of some world messages (as the ingest path stores them). */
export function toRows(messages: World['messages']): Array<ReturnType<typeof normalizeMessage>['row']> {
  return messages.map(({ message }) => {
    const checked = validateMessage(message);
    if (!checked.ok) throw new Error(`${checked.reason}: ${JSON.stringify(message)}`);
    return normalizeMessage(checked.value, { sourceId: 'src_test', receivedAt: Date.now() }).row;
  });
}

/** Identity graph, then sessions and touches, as the server's processing loop runs them. */
export async function processStore(store: Store): Promise<void> {
  await new IdentityService(store, { mergeDistinctUserIds: false, maxPeoplePerIdentifier: 10, hash: createIdentifierHasher('test-secret-0123456789') }).processNewEvents();
  await new DeriveService(store).processNewEvents();
}

export async function insertSpend(store: Store, spend: World['spend']): Promise<void> {
  for (const s of spend) {
    const date = new Date(T0 + s.day * DAY).toISOString().slice(0, 10);
    await store.exec(sql`INSERT INTO spend VALUES (${date}::DATE, ${s.channel}, ${s.campaign}, ${s.spend}, ${s.impressions}, ${s.clicks}, 'USD', now()::TIMESTAMP)`);
  }
}

/** An in-memory store holding a whole world, processed. */
export async function storeWithWorld(world: World): Promise<Store> {
  const store = await DuckDbStore.open({ path: ':memory:' });
  await store.append(EVENTS_TABLE, toRows(world.messages));
  await processStore(store);
  await insertSpend(store, world.spend);
  return store;
}

/** Compares metric objects: exact for counts, close for ratios; lists the differences. */
export function diffMetrics(actual: Record<string, unknown>, expected: Record<string, number | null>, label: string): string[] {
  const out: string[] = [];
  for (const [k, e] of Object.entries(expected)) {
    const a = actual[k];
    const same = e === null ? a === null : typeof a === 'number' && Math.abs(a - e) <= 1e-9 * Math.max(1, Math.abs(e));
    if (!same) out.push(`${label}.${k}: expected ${e}, got ${JSON.stringify(a)}`);
  }
  return out;
}

export { runCli, type CliRun } from '../helpers/cli.ts';
