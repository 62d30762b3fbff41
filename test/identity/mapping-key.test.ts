import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsWithPersonKeySql, eventsWithPersonSql } from '../../src/identity/index.ts';
import { DuckDbStore, raw, sql, type Store } from '../../src/store/index.ts';

/**
 * `eventsWithPersonKeySql` must partition events into people exactly as `eventsWithPersonSql`
 * does: every rule of the mapping (userId first, the anonymousId unless flagged, then the ids
 * themselves) has events here, and the expected people are written out by hand.
 */
const IDENTITIES: Array<[kind: string, value: string, person: string]> = [
  ['user_id', 'u1', 'p_1'],
  ['anonymous_id', 'a1', 'p_1'],
  ['anonymous_id', 'a2', 'p_2'], // flagged below: its anonymous events belong to nobody in particular
  ['anonymous_id', 'a3', 'p_3'],
  ['user_id', 'u5', 'p_5'],
  ['anonymous_id', 'a6', 'p_6'],
];
const FLAGGED = ['a2'];

/** message id, user id, anonymous id, and the person the mapping's rules give. */
const EVENTS: Array<[id: string, userId: string | null, anonymousId: string | null, person: string]> = [
  ['e1', 'u1', 'a1', 'p_1'], // both ids in one person
  ['e2', null, 'a1', 'p_1'], // the device before sign-in
  ['e3', 'u1', 'other', 'p_1'], // the userId wins over an unknown device
  ['e4', null, 'a2', 'anon:a2'], // flagged device
  ['e5', 'u9', 'a2', 'user:u9'], // unknown user on a flagged device
  ['e6', 'u3', 'a3', 'p_3'], // a userId the graph has not processed: the device's person
  ['e7', null, 'a4', 'anon:a4'], // anonymous only
  ['e8', null, 'a4', 'anon:a4'],
  ['e9', 'u5', 'a6', 'p_5'], // the userId wins over the device's own person
  ['e10', null, 'a6', 'p_6'],
  ['e11', 'x', null, 'user:x'], // the same text as a userId and as an anonymousId: two people
  ['e12', null, 'x', 'anon:x'],
  ['e13', 'u9', null, 'user:u9'],
];

let store: Store;

beforeAll(async () => {
  store = await DuckDbStore.open({ path: ':memory:' });
  for (const [kind, value, person] of IDENTITIES) {
    await store.exec(sql`INSERT INTO identities (kind, value, person_id, first_seen, message_id) VALUES (${kind}, ${value}, ${person}, now()::TIMESTAMP, 'm')`);
  }
  for (const value of FLAGGED) {
    await store.exec(
      sql`INSERT INTO identity_flags VALUES ('anonymous_id', ${value}, 'p_2', 'too many people', 11, now()::TIMESTAMP, 'm')`,
    );
  }
  for (const [id, userId, anonymousId] of EVENTS) {
    await store.exec(
      sql`INSERT INTO events (message_id, source_id, type, event, user_id, anonymous_id, timestamp, received_at)
          VALUES (${id}, 'src', 'track', 'E', ${userId}, ${anonymousId}, now()::TIMESTAMP, now()::TIMESTAMP)`,
    );
  }
});
afterAll(async () => {
  await store.close();
});

describe('eventsWithPersonKeySql', () => {
  it('gives the events of one person one key and different people different keys', async () => {
    const rows = await store.query<{ message_id: string; person_key: string }>(
      sql`SELECT message_id, person_key::VARCHAR AS person_key FROM ${eventsWithPersonKeySql(store.dialect)} AS e`,
    );
    expect(rows).toHaveLength(EVENTS.length);
    const keyOf = new Map(rows.map((r) => [r.message_id, r.person_key]));
    for (const [a, , , personA] of EVENTS) {
      for (const [b, , , personB] of EVENTS) expect(keyOf.get(a) === keyOf.get(b), `${a} ~ ${b}`).toBe(personA === personB);
    }
  });

  it('agrees with eventsWithPersonSql on every event, and is hash(person_id) for people of the graph', async () => {
    const rows = await store.query<{ message_id: string; person_id: string; same_key: boolean }>(
      sql`SELECT p.message_id, p.person_id, k.person_key = hash(p.person_id) AS same_key
          FROM ${eventsWithPersonSql(store.dialect)} AS p JOIN ${eventsWithPersonKeySql(store.dialect)} AS k USING (message_id)
          ORDER BY p.message_id`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.message_id, r.person_id]))).toEqual(Object.fromEntries(EVENTS.map(([id, , , person]) => [id, person])));
    for (const r of rows) expect(r.same_key, r.message_id).toBe(r.person_id.startsWith('p_'));
  });

  it('keeps every column of the events relation it is given', async () => {
    const events = raw(`(SELECT message_id, user_id, anonymous_id, 42 AS extra FROM events)`);
    const [row] = await store.query<Record<string, unknown>>(sql`SELECT * FROM ${eventsWithPersonKeySql(store.dialect, { events })} AS e LIMIT 1`);
    expect(Object.keys(row).sort()).toEqual(['anonymous_id', 'extra', 'message_id', 'person_key', 'user_id']);
  });
});
