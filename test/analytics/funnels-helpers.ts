import { DuckDbStore, EVENTS_TABLE, sql, type Store } from '../../src/store/index.ts';
import { normalizeMessage, validateMessage } from '../../src/ingest/index.ts';
import { DeriveService } from '../../src/channels/index.ts';
import { IdentityService, createIdentifierHasher } from '../../src/identity/index.ts';
import type { World } from './funnels-world.ts';

/** An in-memory store with the world ingested as the ingest path stores it, identity and sessions processed. */
export async function storeWithFunnelWorld(world: World): Promise<Store> {
  const store = await DuckDbStore.open({ path: ':memory:' });
  const rows = world.messages.map(({ message }) => {
    const checked = validateMessage(message);
    if (!checked.ok) throw new Error(`${checked.reason}: ${JSON.stringify(message)}`);
    return normalizeMessage(checked.value, { sourceId: 'src_test', receivedAt: Date.now() }).row;
  });
  await store.append(EVENTS_TABLE, rows);
  await new IdentityService(store, { mergeDistinctUserIds: false, maxPeoplePerIdentifier: 10, hash: createIdentifierHasher('test-secret-0123456789') }).processNewEvents();
  await new DeriveService(store).processNewEvents();
  return store;
}

/** Test person key → the store's person id (identified people through the identity table). */
export async function personIdsOf(store: Store, world: World): Promise<(key: string) => string> {
  const rows = await store.query<{ value: string; person_id: string }>(sql`SELECT value, person_id FROM identities WHERE kind = 'user_id'`);
  const byUser = new Map(rows.map((r) => [r.value, r.person_id]));
  return (key) => {
    const userId = world.userIds.get(key);
    if (userId === undefined) return key;
    const id = byUser.get(userId);
    if (id === undefined) throw new Error(`no person for ${userId}`);
    return id;
  };
}
