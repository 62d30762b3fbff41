import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normalizeMessage, validateMessage } from '../../src/ingest/index.ts';
import { eventsWithPersonSql, IdentityService, personIdFor } from '../../src/identity/index.ts';
import { DuckDbStore, EVENTS_TABLE, sql, type AppendRow } from '../../src/store/index.ts';
import { options } from './helpers.ts';

const DAY = '2024-05-01';
const at = (time: string): string => `${DAY}T${time}:00.000Z`;
const R1 = Date.parse(at('12:00'));
const R2 = Date.parse(at('13:00'));
const R3 = Date.parse(at('14:00'));

/** Validated, normalised event rows as ingestion writes them. */
function rows(receivedAt: number, messages: ReadonlyArray<Record<string, unknown>>): AppendRow[] {
  return messages.map((input) => {
    const result = validateMessage(input);
    if (!result.ok) throw new Error(result.reason);
    return normalizeMessage(result.value, { sourceId: 'src_test', receivedAt }).row;
  });
}

let store: DuckDbStore;
let service: IdentityService;

beforeEach(async () => {
  store = await DuckDbStore.open({ path: ':memory:' });
  service = new IdentityService(store, options());
});
afterEach(async () => {
  await store.close();
});

/** message_id → person_id through the query-time mapping. */
async function mapping(): Promise<Record<string, string>> {
  const result = await store.query<{ message_id: string; person_id: string }>(
    sql`SELECT ev.message_id, ev.person_id FROM ${eventsWithPersonSql(store.dialect)} AS ev ORDER BY ev.message_id`,
  );
  return Object.fromEntries(result.map((r) => [r.message_id, r.person_id]));
}

async function count(table: string): Promise<number> {
  const [row] = await store.query<{ n: number }>({ text: `SELECT count(*) AS n FROM ${table}`, params: [] });
  return row.n;
}

const STEP_1 = [
  { type: 'page', messageId: 'a1-p1', anonymousId: 'a1', timestamp: at('09:00') },
  { type: 'page', messageId: 'a1-p2', anonymousId: 'a1', timestamp: at('09:05') },
  { type: 'page', messageId: 'laptop-p1', anonymousId: 'laptop', timestamp: at('09:10') },
  { type: 'identify', messageId: 'alice-login', anonymousId: 'tablet', userId: 'alice', timestamp: at('09:20') },
  { type: 'track', messageId: 'bob-track', event: 'Viewed', anonymousId: 'tablet', userId: 'bob', timestamp: at('09:30') },
  { type: 'page', messageId: 'tablet-p1', anonymousId: 'tablet', timestamp: at('09:35') },
  { type: 'page', messageId: 'x9-p1', anonymousId: 'x9', timestamp: at('09:40') },
];

const STEP_2 = [
  {
    type: 'identify',
    messageId: 'u1-login',
    anonymousId: 'a1',
    userId: 'u1',
    traits: { email: 'Jane.Doe@Example.com', phone: '(212) 555-0100', plan: 'pro' },
    timestamp: at('10:00'),
  },
  { type: 'identify', messageId: 'u1-laptop', anonymousId: 'laptop', userId: 'u1', timestamp: at('10:30') },
  { type: 'track', messageId: 'u1-order', event: 'Order Completed', anonymousId: 'laptop', userId: 'u1', timestamp: at('10:31') },
  { type: 'track', messageId: 'u1-order-2', event: 'Order Completed', anonymousId: 'laptop', userId: 'u1', timestamp: at('10:40') },
];

describe('IdentityService on DuckDB', () => {
  it('processes incrementally from the watermark; a late identify re-attributes earlier anonymous events', async () => {
    service = new IdentityService(store, options());
    await store.append(EVENTS_TABLE, rows(R1, STEP_1));
    const first = await service.processNewEvents();
    expect(first).toMatchObject({ messages: 2, peopleCreated: 2, merges: 0, conflicts: 1, watermark: R1 });

    const alice = personIdFor({ kind: 'user_id', value: 'alice' });
    const bob = personIdFor({ kind: 'user_id', value: 'bob' });
    expect(await mapping()).toEqual({
      'a1-p1': 'anon:a1',
      'a1-p2': 'anon:a1',
      'laptop-p1': 'anon:laptop',
      'alice-login': alice,
      'bob-track': bob,
      'tablet-p1': alice,
      'x9-p1': 'anon:x9',
    });

    await store.append(EVENTS_TABLE, rows(R2, STEP_2));
    const second = await service.processNewEvents();
    // Two identifies and one (laptop, u1) group for the two orders; step 1 is not read again.
    expect(second).toMatchObject({ messages: 3, peopleCreated: 1, merges: 0, conflicts: 0, watermark: R2 });
    const u1 = personIdFor({ kind: 'user_id', value: 'u1' });
    const after = await mapping();
    for (const id of ['a1-p1', 'a1-p2', 'laptop-p1', 'u1-login', 'u1-laptop', 'u1-order', 'u1-order-2']) expect(after[id]).toBe(u1);
    expect(after['x9-p1']).toBe('anon:x9');

    const person = await service.getPerson(u1);
    expect(person).toMatchObject({ personId: u1, traits: { plan: 'pro' }, firstSeen: at('10:00'), lastSeen: at('10:40') });
    expect(person!.identifiers.map((i) => i.kind).sort()).toEqual(['anonymous_id', 'anonymous_id', 'email', 'phone', 'user_id']);
    expect(person!.identifiers.find((i) => i.kind === 'email')).toMatchObject({ hashed: true, value: expect.stringMatching(/^[0-9a-f]{12}…$/) });
  });

  it('applying the same events again changes nothing (processing is idempotent)', async () => {
    await store.append(EVENTS_TABLE, rows(R1, STEP_1));
    await store.append(EVENTS_TABLE, rows(R1 + 1000, STEP_2));
    await service.processNewEvents();
    const tables = ['identities', 'people', 'identity_merges', 'identity_flags', 'identity_conflicts'];
    const before = await Promise.all(tables.map(count));
    const snapshot = await store.query(sql`SELECT * FROM identities ORDER BY kind, value`);

    // A run after the watermark reads nothing; without the watermark it reads every event again.
    expect((await service.processNewEvents()).messages).toBe(0);
    await store.exec(sql`DELETE FROM identity_state`);
    const again = await service.processNewEvents();
    expect(again.messages).toBeGreaterThan(0);
    expect(again).toMatchObject({ peopleCreated: 0, identifiersAdded: 0, merges: 0, flags: 0, conflicts: 0 });
    expect(await Promise.all(tables.map(count))).toEqual(before);
    expect(await store.query(sql`SELECT * FROM identities ORDER BY kind, value`)).toEqual(snapshot);

    // A fresh service loads the graph from the tables and agrees.
    const reloaded = new IdentityService(store, options());
    expect(await reloaded.processNewEvents()).toMatchObject({ identifiersAdded: 0, conflicts: 0 });
  });

  it('never stores a raw e-mail or phone in the identity tables', async () => {
    await store.append(EVENTS_TABLE, rows(R1, STEP_2));
    await store.append(
      EVENTS_TABLE,
      rows(R1, [{ type: 'track', event: 'E', anonymousId: 'tv', context: { traits: { email: 'tv.owner@example.com' } }, timestamp: at('11:00') }]),
    );
    await service.processNewEvents();
    await service.importCustomers([{ externalId: 'crm-7', email: 'other@example.com', phone: '+44 7700 900123' }], { at: R2 });
    const dump = JSON.stringify(
      await Promise.all(['identities', 'identity_merges', 'identity_conflicts', 'identity_flags', 'identity_imports'].map((t) =>
        store.query({ text: `SELECT * FROM ${t}`, params: [] }),
      )),
    ).toLowerCase();
    for (const raw of ['jane.doe@example.com', 'tv.owner@example.com', 'other@example.com', '555-0100', '2125550100', '7700900123', '7700 900123']) {
      expect(dump).not.toContain(raw);
    }
    const emails = await store.query<{ value: string }>(sql`SELECT value FROM identities WHERE kind = 'email'`);
    expect(emails).toHaveLength(3);
    for (const e of emails) expect(e.value).toMatch(/^[0-9a-f]{64}$/);
    expect(await service.findPerson({ email: '  TV.Owner@example.com' })).toBe(await service.findPerson({ anonymousId: 'tv' }));
  });

  it('links a CRM customer by hashed e-mail and replays the import on rebuild', async () => {
    await store.append(EVENTS_TABLE, rows(R1, STEP_2));
    await service.processNewEvents();
    const u1 = personIdFor({ kind: 'user_id', value: 'u1' });
    const imported = await service.importCustomers([{ externalId: 'crm-00000001', email: '  JANE.DOE@example.COM ', traits: { tier: 'gold' } }], { at: R2 });
    expect(imported).toMatchObject({ messages: 1, identifiersAdded: 1, peopleCreated: 0 });
    expect(await service.findPerson({ externalId: 'crm-00000001' })).toBe(u1);
    expect(await service.findPerson({ phone: '+1 212 555 0100' })).toBe(u1);
    expect((await service.getPerson(u1))!.traits).toMatchObject({ plan: 'pro', tier: 'gold' });
    // Importing the same file again adds nothing.
    const row = { externalId: 'crm-00000001', email: '  JANE.DOE@example.COM ', traits: { tier: 'gold' } };
    expect(await service.importCustomers([row, row], { at: R3 })).toMatchObject({ identifiersAdded: 0, merges: 0, conflicts: 0 });
    expect(await count('identity_imports')).toBe(1);

    const before = await mapping();
    await service.rebuild();
    expect(await mapping()).toEqual(before);
    expect(await service.findPerson({ externalId: 'crm-00000001' })).toBe(u1);
    expect((await service.getPerson(u1))!.traits).toMatchObject({ plan: 'pro', tier: 'gold' });
  });

  it('records a merge chain A–B–C, lists it for the survivor and follows merged-away ids', async () => {
    await store.append(
      EVENTS_TABLE,
      rows(R1, [
        { type: 'identify', messageId: 'c1', userId: 'A', traits: { name: 'Ann' }, timestamp: at('08:00') },
        { type: 'identify', messageId: 'c2', anonymousId: 'B', traits: { plan: 'trial' }, timestamp: at('08:01') },
        { type: 'identify', messageId: 'c3', anonymousId: 'C', traits: { email: 'c@example.com' }, timestamp: at('08:02') },
      ]),
    );
    await service.processNewEvents();
    await store.append(
      EVENTS_TABLE,
      rows(R2, [
        { type: 'track', messageId: 'c4', event: 'Viewed', anonymousId: 'B', userId: 'A', timestamp: at('08:03') },
        { type: 'identify', messageId: 'c5', anonymousId: 'B', traits: { email: 'c@example.com' }, timestamp: at('08:04') },
      ]),
    );
    expect(await service.processNewEvents()).toMatchObject({ merges: 2 });
    const a = personIdFor({ kind: 'user_id', value: 'A' });
    const b = personIdFor({ kind: 'anonymous_id', value: 'B' });
    const c = personIdFor({ kind: 'anonymous_id', value: 'C' });
    expect(new Set(Object.values(await mapping()))).toEqual(new Set([a]));
    expect(await count('people')).toBe(1);

    const merges = await service.listMerges({ personId: a });
    expect(merges.map((m) => [m.into, m.from, m.reason, m.messageId])).toEqual([
      [a, c, 'link', 'c5'],
      [a, b, 'link', 'c4'],
    ]);
    expect(merges[0].identifiers.map((i) => i.kind)).toEqual(['anonymous_id', 'email']);
    expect(await service.listMerges({ personId: c })).toHaveLength(1);

    const viaOldId = await service.getPerson(c);
    expect(viaOldId).toMatchObject({ personId: a, mergedFrom: c, traits: { name: 'Ann', plan: 'trial' } });
    expect(viaOldId!.firstSeen).toBe(at('08:00'));
    expect(await service.getPerson('p_0000000000000000')).toBeNull();
  });

  it('lists conflicts and flags', async () => {
    const strict = new IdentityService(store, options({ maxPeoplePerIdentifier: 2 }));
    await store.append(
      EVENTS_TABLE,
      rows(R1, ['u1', 'u2', 'u3'].map((u, i) => ({ type: 'identify', messageId: `k${i}`, anonymousId: 'kiosk', userId: u, timestamp: at(`08:0${i}`) }))),
    );
    expect(await strict.processNewEvents()).toMatchObject({ conflicts: 1, flags: 1 });
    const u1 = personIdFor({ kind: 'user_id', value: 'u1' });
    expect(await strict.listConflicts({ personId: u1 })).toMatchObject([
      { identifier: { kind: 'anonymous_id', value: 'kiosk' }, personId: u1, otherPersonId: personIdFor({ kind: 'user_id', value: 'u2' }), reason: 'distinct_user_ids', messageId: 'k1' },
    ]);
    expect(await strict.listFlags()).toMatchObject([{ identifier: { kind: 'anonymous_id', value: 'kiosk' }, personId: u1, reason: 'max_people', linkCount: 2, messageId: 'k2' }]);
    // The flag survives a reload: the next user on the kiosk is not even counted.
    await store.append(
      EVENTS_TABLE,
      rows(R3, [
        { type: 'identify', messageId: 'k9', anonymousId: 'kiosk', userId: 'u9', timestamp: at('08:09') },
        { type: 'page', messageId: 'kiosk-page', anonymousId: 'kiosk', timestamp: at('08:10') },
      ]),
    );
    expect(await new IdentityService(store, options({ maxPeoplePerIdentifier: 2 })).processNewEvents()).toMatchObject({ conflicts: 0, flags: 0, peopleCreated: 1 });
    // Each user keeps their own events; the flagged device's anonymous events belong to nobody.
    const mapped = await mapping();
    expect(mapped).toMatchObject({ k0: u1, k9: personIdFor({ kind: 'user_id', value: 'u9' }), 'kiosk-page': 'anon:kiosk' });
  });

  it('does nothing on an empty store', async () => {
    expect(await service.processNewEvents()).toMatchObject({ messages: 0, watermark: null });
    expect(await service.rebuild()).toMatchObject({ messages: 0 });
  });
});
