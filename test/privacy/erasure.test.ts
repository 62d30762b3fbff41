/**
 * Right of erasure end to end: a person's events, identifiers, traits and derived rows go (a scan
 * of every text column of every table finds nothing mentioning them), the answer reports what was
 * removed, and later messages for their identifiers are dropped on ingest and on import.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentifierHasher } from '../../src/identity/index.ts';
import { loadOrCreateSecret } from '../../src/privacy/index.ts';
import { openStore, raw, type Store } from '../../src/store/index.ts';
import { runCli } from '../helpers/cli.ts';
import { makeTestDataDir, readJson, removeTestDataDir, send, startTestServer, type TestServer } from '../helpers/server.ts';

const ERIN = { anonymousId: 'anon-erin-7f3a', userId: 'user-erin-42', email: 'Erin.Example@Mail.test', phone: '+44 20 7946 0958' };
const OTTO = { anonymousId: 'anon-otto-1b2c', userId: 'user-otto-77', email: 'otto@mail.test' };
const T0 = Date.UTC(2026, 5, 1, 10);
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function journey(p: { anonymousId: string; userId: string; email: string; phone?: string }, tag: string) {
  return {
    batch: [
      { type: 'page', anonymousId: p.anonymousId, name: 'Home', timestamp: iso(0), context: { page: { url: 'https://shop.test/?utm_source=google&utm_medium=cpc' } }, messageId: `${tag}-1` },
      { type: 'identify', anonymousId: p.anonymousId, userId: p.userId, traits: { email: p.email, phone: p.phone, name: 'Test Person' }, timestamp: iso(2), messageId: `${tag}-2` },
      { type: 'track', userId: p.userId, event: 'Order Completed', properties: { revenue: 80, order_id: `o-${tag}` }, timestamp: iso(5), messageId: `${tag}-3` },
    ],
  };
}

let parent: string;
let dataDir: string;
let server: TestServer;
let erinId: string;
let secret: string;

beforeAll(async () => {
  parent = makeTestDataDir();
  dataDir = path.join(parent, 'data');
  server = await startTestServer({ dataDir });
  expect((await send(server, '/v1/batch', journey(ERIN, 'erin'))).status).toBe(200);
  expect((await send(server, '/v1/batch', journey(OTTO, 'otto'))).status).toBe(200);
  // A bad message of Erin's lands in the quarantine with her anonymousId in its payload.
  await send(server, '/v1/track', { anonymousId: ERIN.anonymousId, properties: {} });
  await server.processNow();
  erinId = (await readJson(await server.api(`/api/people?userId=${ERIN.userId}`))).personId;
  secret = loadOrCreateSecret(dataDir);
});
afterAll(async () => {
  await server?.stop();
  removeTestDataDir(parent);
});

/** Every (table, column) whose text mentions one of the needles. */
async function scanAllTables(store: Pick<Store, 'query'>, needles: readonly string[]): Promise<string[]> {
  const columns = await store.query<{ table_name: string; column_name: string }>(
    raw(`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main' AND data_type = 'VARCHAR' ORDER BY 1, 2`),
  );
  const hits: string[] = [];
  for (const { table_name, column_name } of columns) {
    for (const needle of needles) {
      const [{ n }] = await store.query<{ n: number }>(
        raw(`SELECT count(*)::INTEGER AS n FROM "${table_name}" WHERE contains(lower("${column_name}"), lower('${needle.replaceAll("'", "''")}'))`),
      );
      if (n > 0) hits.push(`${table_name}.${column_name} ~ ${needle} (${n})`);
    }
  }
  return hits;
}

describe('export and erasure of a person', () => {
  it('exports everything stored about the person, unmasked, and audits it', async () => {
    const res = await server.api(`/api/people/${erinId}/export`);
    expect(res.status).toBe(200);
    const data = await readJson(res);
    expect(data.events.map((e: { message_id: string }) => e.message_id)).toEqual(['erin-1', 'erin-2', 'erin-3']);
    expect(data.profile.traits.email).toBe(ERIN.email);
    expect(data.identifiers.map((i: { kind: string }) => i.kind).sort()).toEqual(['anonymous_id', 'email', 'phone', 'user_id']);
    expect(data.sessions.length).toBeGreaterThan(0);
    const audit = await readJson(await server.api('/api/audit?action=person.export'));
    expect(audit.entries[0]).toMatchObject({ action: 'person.export', actor: 'admin' });
  });

  it('erases the person: the answer says what went, and no table mentions them any more', async () => {
    const hash = createIdentifierHasher(secret);
    const emailHash = hash('email', ERIN.email.toLowerCase());
    const store = { query: async <T,>(q: ReturnType<typeof raw>) => (await server.store.query<T>(q)) };
    const before = await scanAllTables(store, [ERIN.anonymousId, ERIN.userId, ERIN.email, emailHash, erinId]);
    expect(before.length).toBeGreaterThan(5);

    const res = await server.api(`/api/people/${erinId}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    const report = await readJson(res);
    expect(report).toMatchObject({ personId: erinId, identifiers: 4, suppressed: 4 });
    expect(report.deleted.events).toBe(3);
    expect(report.deleted.quarantine).toBe(1);
    expect(report.deleted.identities).toBe(4);
    expect(report.deleted.people).toBe(1);

    // Only the suppression list keeps the keyed hashes: that is what blocks her messages later.
    const left = await scanAllTables(store, [ERIN.anonymousId, ERIN.userId, ERIN.email, 'Erin.Example', emailHash, erinId, '7946 0958']);
    expect(left).toEqual([`suppressions.hash ~ ${emailHash} (1)`]);
    // The other customer is untouched.
    const otto = await readJson(await server.api(`/api/people?userId=${OTTO.userId}`));
    expect((await readJson(await server.api(`/api/people/${otto.personId}`))).events).toBe(3);
    expect((await server.api(`/api/people/${erinId}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('audits the erasure without naming the person', async () => {
    const { entries } = await readJson(await server.api('/api/audit?action=person.erase'));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: 'admin', details: { identifiers: 4 } });
    expect(entries[0].target).toMatch(/^person:[0-9a-f]{16}$/);
    expect(JSON.stringify(entries[0])).not.toContain(ERIN.userId);
    expect(JSON.stringify(entries[0])).not.toContain(erinId);
    // The export before it is filed under the same pseudonym, so an auditor can tie them together.
    const exported = await readJson(await server.api('/api/audit?action=person.export'));
    expect(exported.entries[0].target).toBe(entries[0].target);
  });

  it('drops later messages for any of the identifiers on the API, counting them', async () => {
    await send(server, '/v1/track', { userId: ERIN.userId, event: 'Came Back', messageId: 'erin-4' });
    await send(server, '/v1/identify', { anonymousId: 'a-new-device', traits: { email: ' erin.example@mail.test ' }, messageId: 'erin-5' });
    await send(server, '/v1/page', { anonymousId: ERIN.anonymousId, messageId: 'erin-6' });
    expect((await send(server, '/v1/track', { userId: OTTO.userId, event: 'Came Back', messageId: 'otto-4' })).status).toBe(200);
    const events = await server.store.query<{ message_id: string }>(raw(`SELECT message_id FROM events WHERE message_id LIKE 'erin-%' OR message_id = 'otto-4'`));
    expect(events.map((e) => e.message_id)).toEqual(['otto-4']);
    const [{ n }] = await server.store.query<{ n: number }>(raw(`SELECT sum(messages)::INTEGER AS n FROM suppressed_messages WHERE origin = 'api'`));
    expect(n).toBe(3);
  });

  it('drops them on import too (the suppression list is read at the import start)', async () => {
    await server.stop();
    const file = path.join(parent, 'late.ndjson');
    fs.writeFileSync(
      file,
      [
        { type: 'track', userId: ERIN.userId, event: 'Order Completed', timestamp: iso(100), messageId: 'erin-import-1' },
        { type: 'identify', userId: 'someone-else', traits: { phone: '+442079460958' }, timestamp: iso(101), messageId: 'erin-import-2' },
        { type: 'track', userId: OTTO.userId, event: 'Order Completed', timestamp: iso(102), messageId: 'otto-import-1' },
      ]
        .map((m) => JSON.stringify(m))
        .join('\n') + '\n',
    );
    const run = await runCli('import', 'events', file, '--data', dataDir, '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ read: 3, stored: 1, suppressed: 2 });
    const store = await openStore(dataDir);
    try {
      const rows = await store.query<{ message_id: string }>(raw(`SELECT message_id FROM events WHERE message_id LIKE '%import%'`));
      expect(rows.map((r) => r.message_id)).toEqual(['otto-import-1']);
    } finally {
      await store.close();
    }
  });

  it('tributary privacy export | erase work on the file by e-mail, and say clearly when nobody matches', async () => {
    const exported = await runCli('privacy', 'export', '--email', 'OTTO@mail.test', '--data', dataDir);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout).events.map((e: { message_id: string }) => e.message_id)).toContain('otto-import-1');
    const erased = await runCli('privacy', 'erase', '--email', 'otto@mail.test', '--data', dataDir, '--json');
    expect(erased.code, erased.stderr).toBe(0);
    expect(JSON.parse(erased.stdout).deleted.events).toBe(5);
    const again = await runCli('privacy', 'erase', '--user-id', OTTO.userId, '--data', dataDir);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no person user:user-otto-77');
    const both = await runCli('privacy', 'erase', '--user-id', 'x', '--email', 'y@z.test', '--data', dataDir);
    expect(both.stderr).toContain('give exactly one of');
  });

  it('erases a visitor the identity graph never linked (an anonymous device), by its pseudo-person id', async () => {
    const server2 = await startTestServer();
    try {
      await send(server2, '/v1/page', { anonymousId: 'lonely-device', messageId: 'lonely-1' });
      await send(server2, '/v1/page', { anonymousId: 'other-device', messageId: 'other-1' });
      await server2.processNow();
      const report = await readJson(await server2.api('/api/people/anon:lonely-device', { method: 'DELETE' }));
      expect(report).toMatchObject({ personId: 'anon:lonely-device', identifiers: 1, suppressed: 1 });
      expect(report.deleted.events).toBe(1);
      await send(server2, '/v1/page', { anonymousId: 'lonely-device', messageId: 'lonely-2' });
      const left = await server2.store.query<{ message_id: string }>(raw(`SELECT message_id FROM events ORDER BY 1`));
      expect(left.map((r) => r.message_id)).toEqual(['other-1']);
    } finally {
      await server2.stop();
    }
  });
});
