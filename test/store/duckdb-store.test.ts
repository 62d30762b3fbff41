import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TributaryError } from '../../src/errors/index.ts';
import { normalizeMessage, validateMessage } from '../../src/ingest/index.ts';
import { DUCKDB_MIGRATIONS } from '../../src/store/duckdb/migrations.ts';
import { DuckDbStore, EVENTS_TABLE, ident, join, raw, sql, type AppendRow } from '../../src/store/index.ts';
import { makeTestDataDir, removeTestDataDir } from '../helpers/server.ts';

let dir: string;
beforeAll(() => {
  dir = makeTestDataDir();
});
afterAll(() => {
  removeTestDataDir(dir);
});

describe('migrations', () => {
  it('records each applied migration and applies nothing twice on re-open', async () => {
    const file = path.join(dir, 'migrations.duckdb');
    const first = await DuckDbStore.open({ path: file });
    const recorded = await first.query<{ version: number; name: string; applied_at: string }>(
      sql`SELECT version, name, applied_at FROM schema_migrations ORDER BY version`,
    );
    expect(recorded.map((r) => [r.version, r.name])).toEqual(DUCKDB_MIGRATIONS.map((m) => [m.version, m.name]));
    expect(recorded[0].applied_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    await first.exec(sql`INSERT INTO sources (id, name, write_key_hash, key_hint, created_at) VALUES ('src_1', 'web', 'h', 'wk_…1', now()::TIMESTAMP)`);
    await first.close();

    const second = await DuckDbStore.open({ path: file });
    expect(await second.query(sql`SELECT version, name, applied_at FROM schema_migrations ORDER BY version`)).toEqual(recorded);
    expect(await second.migrate(DUCKDB_MIGRATIONS)).toBe(0);
    expect(await second.query(sql`SELECT id FROM sources`)).toEqual([{ id: 'src_1' }]);
    await second.close();
  });

  it('applies only newer migrations, and rolls back one that fails', async () => {
    const store = await DuckDbStore.open({ path: ':memory:' });
    const next = [...DUCKDB_MIGRATIONS, { version: 99, name: 'notes', statements: ['CREATE TABLE notes (id INTEGER)'] }];
    expect(await store.migrate(next)).toBe(1);
    expect(await store.migrate(next)).toBe(0);
    const broken = [...next, { version: 100, name: 'broken', statements: ['CREATE TABLE half (id INTEGER)', 'CREATE TABLE notes (id INTEGER)'] }];
    await expect(store.migrate(broken)).rejects.toThrow(/^migration 100 \(broken\) failed: /);
    expect(await store.query(sql`SELECT version FROM schema_migrations WHERE version >= 99`)).toEqual([{ version: 99 }]);
    expect(await store.query(sql`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'half'`)).toEqual([{ n: 0 }]);
    await store.close();
  });

  it('gives the sessions and touches of an older store their pair keys', async () => {
    const store = await DuckDbStore.open({ path: ':memory:' });
    // The store as it was before migration 13, holding a session and its touches.
    await store.exec(raw('ALTER TABLE sessions DROP COLUMN vk'));
    await store.exec(raw('ALTER TABLE touches DROP COLUMN vk'));
    await store.exec(raw('DELETE FROM schema_migrations WHERE version = 13'));
    await store.exec(raw(`INSERT INTO sessions VALUES ('s1', 'a1', 'a1', 'u1', TIMESTAMP '2025-01-01', TIMESTAMP '2025-01-01', 1, 'k', 'Email', 'news', 'email', NULL, NULL, NULL, NULL, NULL)`));
    await store.exec(raw(`INSERT INTO touches VALUES ('s1', 'a1', 'a1', 'u1', TIMESTAMP '2025-01-01', 'session', NULL, 'Email', 'news', 'email', NULL),
      ('m2', 'user:u2', NULL, 'u2', TIMESTAMP '2025-01-02', 'event', 'Ad Click', 'Display', 'gdn', 'display', NULL)`));
    expect(await store.migrate(DUCKDB_MIGRATIONS)).toBe(1);
    // The same keys the analytics rollups compute for the pairs of events.
    const keys = await store.query<{ id: string; same: boolean }>(raw(`SELECT touch_id AS id, vk = hash(user_id, anonymous_id) AND vk IS NOT NULL AS same FROM touches
      UNION ALL SELECT session_id || '/session', vk = hash('u1', 'a1') FROM sessions ORDER BY 1`));
    expect(keys).toEqual([{ id: 'm2', same: true }, { id: 's1', same: true }, { id: 's1/session', same: true }]);
    await store.close();
  });
});

describe('the sql tag', () => {
  let store: DuckDbStore;
  beforeEach(async () => {
    store = await DuckDbStore.open({ path: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('binds values as parameters: quotes and "; DROP TABLE" round-trip as data', async () => {
    const evil = `x'); DROP TABLE events; --"`;
    const q = sql`SELECT ${evil} AS v, ${42} AS n`;
    expect(q.text).toBe('SELECT ? AS v, ? AS n');
    expect(q.params).toEqual([evil, 42]);
    expect(await store.query(q)).toEqual([{ v: evil, n: 42 }]);
    await store.exec(sql`INSERT INTO quarantine (id, received_at, origin, reason) VALUES (${evil}, ${new Date(0)}, 'api', ${evil})`);
    expect(await store.query(sql`SELECT id, reason FROM quarantine WHERE id = ${evil}`)).toEqual([{ id: evil, reason: evil }]);
    expect(await store.query(sql`SELECT count(*) AS n FROM events`)).toEqual([{ n: 0 }]);
  });

  it('inlines nested Sql with its parameters in order', () => {
    const inner = sql`type = ${'track'}`;
    const q = sql`SELECT * FROM ${ident('events')} WHERE ${inner} AND user_id = ${'u1'} ${raw('LIMIT 1')}`;
    expect(q.text).toBe('SELECT * FROM "events" WHERE type = ? AND user_id = ? LIMIT 1');
    expect(q.params).toEqual(['track', 'u1']);
  });

  it.each(['events; DROP TABLE events', 'a"b', '1col', 'user-id', '', 'x y', "o'neil"])('ident rejects %j', (name) => {
    expect(() => ident(name)).toThrow(/invalid SQL identifier/);
  });

  it('ident quotes plain names', () => {
    expect(ident('user_id').text).toBe('"user_id"');
    expect(ident('_Events2').params).toEqual([]);
  });

  it('join concatenates text and parameters', async () => {
    const q = join([sql`${1} AS a`, sql`${'two'} AS b`, raw('3 AS c')]);
    expect(q.text).toBe('? AS a, ? AS b, 3 AS c');
    expect(q.params).toEqual([1, 'two']);
    expect(join([sql`x = ${1}`, sql`y = ${2}`], ' AND ').text).toBe('x = ? AND y = ?');
    expect(join([]).text).toBe('');
    expect(await store.query(sql`SELECT ${q}`)).toEqual([{ a: 1, b: 'two', c: 3 }]);
  });
});

describe('query results have the documented shape', () => {
  let store: DuckDbStore;
  beforeAll(async () => {
    store = await DuckDbStore.open({ path: ':memory:' });
  });
  afterAll(async () => {
    await store.close();
  });

  it('BIGINT and HUGEINT → number; beyond 2^53 → decimal string', async () => {
    const [row] = await store.query(sql`SELECT count(*) AS n, sum(i) AS s, 9007199254740993::BIGINT AS big, 7::BIGINT AS small FROM range(10) t(i)`);
    expect(row).toEqual({ n: 10, s: 45, big: '9007199254740993', small: 7 });
    expect(typeof row.n).toBe('number');
  });

  it('TIMESTAMP → ISO string in UTC with Z; Date parameters bind as TIMESTAMP', async () => {
    const at = new Date('2024-05-01T12:34:56.789Z');
    const [row] = await store.query(sql`SELECT TIMESTAMP '2024-05-01 12:00:00' AS t, ${at} AS p, CAST(NULL AS TIMESTAMP) AS n`);
    expect(row).toEqual({ t: '2024-05-01T12:00:00.000Z', p: '2024-05-01T12:34:56.789Z', n: null });
  });

  it('lists → arrays, structs → objects, doubles and booleans as they are', async () => {
    const [row] = await store.query(sql`SELECT [1, 2, 3] AS l, ['a', 'b'] AS s, {'k': 1, 'v': 'x'} AS o, 0.5::DOUBLE AS d, true AS b, [] AS e`);
    expect(row).toEqual({ l: [1, 2, 3], s: ['a', 'b'], o: { k: 1, v: 'x' }, d: 0.5, b: true, e: [] });
  });

  it('array parameters bind as lists', async () => {
    const [row] = await store.query(sql`SELECT len(${['a', 'b', 'c']}) AS n, list_contains(${['a', 'b']}, ${'b'}) AS has`);
    expect(row).toEqual({ n: 3, has: true });
  });
});

describe('append and transactions', () => {
  let store: DuckDbStore;
  beforeEach(async () => {
    store = await DuckDbStore.open({ path: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('appends EVENTS_TABLE rows and reads them back typed', async () => {
    const checked = validateMessage({
      type: 'track',
      event: 'Order Completed',
      userId: 'u1',
      messageId: 'm1',
      timestamp: '2024-05-01T12:00:00.000Z',
      properties: { revenue: '19.90', currency: 'EUR' },
      context: { campaign: { source: 'google' } },
    });
    if (!checked.ok) throw new Error(checked.reason);
    const { row } = normalizeMessage(checked.value, { sourceId: 'src_1', receivedAt: Date.parse('2024-05-01T12:00:01.000Z') });
    const rows: AppendRow[] = [row, row.map((v, i) => (i === 0 ? 'm2' : v))];
    await store.append(EVENTS_TABLE, rows);
    await store.append(EVENTS_TABLE, []);
    const stored = await store.query(
      sql`SELECT message_id, type, event, user_id, timestamp, received_at, sent_at, revenue, currency, campaign_source, properties FROM events ORDER BY message_id`,
    );
    expect(stored).toEqual([
      {
        message_id: 'm1',
        type: 'track',
        event: 'Order Completed',
        user_id: 'u1',
        timestamp: '2024-05-01T12:00:00.000Z',
        received_at: '2024-05-01T12:00:01.000Z',
        sent_at: null,
        revenue: 19.9,
        currency: 'EUR',
        campaign_source: 'google',
        properties: '{"revenue":"19.90","currency":"EUR"}',
      },
      expect.objectContaining({ message_id: 'm2' }),
    ]);
    expect(await store.query(sql`SELECT ${store.dialect.jsonString(raw('properties'), ['currency'])} AS c FROM events LIMIT 1`)).toEqual([{ c: 'EUR' }]);
  });

  it('commits a transaction and returns its value', async () => {
    const result = await store.transaction(async (tx) => {
      await tx.exec(sql`INSERT INTO quarantine (id, received_at, origin, reason) VALUES ('q1', now()::TIMESTAMP, 'api', 'r')`);
      return (await tx.query<{ n: number }>(sql`SELECT count(*) AS n FROM quarantine`))[0].n;
    });
    expect(result).toBe(1);
    expect(await store.query(sql`SELECT id FROM quarantine`)).toEqual([{ id: 'q1' }]);
  });

  it('rolls back when the function throws, and rethrows', async () => {
    await expect(
      store.transaction(async (tx) => {
        await tx.exec(sql`INSERT INTO quarantine (id, received_at, origin, reason) VALUES ('q2', now()::TIMESTAMP, 'api', 'r')`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.query(sql`SELECT count(*) AS n FROM quarantine`)).toEqual([{ n: 0 }]);
    // The write connection is usable afterwards.
    await store.exec(sql`INSERT INTO quarantine (id, received_at, origin, reason) VALUES ('q3', now()::TIMESTAMP, 'api', 'r')`);
    expect(await store.query(sql`SELECT id FROM quarantine`)).toEqual([{ id: 'q3' }]);
  });

  it('refuses work once closed', async () => {
    const other = await DuckDbStore.open({ path: ':memory:' });
    await other.close();
    await other.close();
    expect(() => other.query(sql`SELECT 1`)).toThrow(/closed/);
  });
});

describe('a database file is used by one store at a time', () => {
  it('a second open in this process fails with a clear "in use" error', async () => {
    const file = path.join(dir, 'busy.duckdb');
    const first = await DuckDbStore.open({ path: file });
    const err = await DuckDbStore.open({ path: file }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TributaryError);
    expect(err).toMatchObject({ code: 'unavailable', status: 503, message: expect.stringMatching(/in use/) });
    expect((err as Error).message).toContain(file);
    // A relative spelling of the same file is the same file.
    const relative = path.relative(process.cwd(), file);
    await expect(DuckDbStore.open({ path: relative })).rejects.toMatchObject({ code: 'unavailable' });
    await first.close();
    const again = await DuckDbStore.open({ path: file });
    await again.close();
  });

  it('an open from another process fails with a clear "in use" error', async () => {
    const file = path.join(dir, 'other-process.duckdb');
    const storeModule = new URL('../../src/store/index.ts', import.meta.url).href;
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const { DuckDbStore } = await import(${JSON.stringify(storeModule)});
         const s = await DuckDbStore.open({ path: ${JSON.stringify(file)} });
         console.log('ready');
         process.stdin.once('data', async () => { await s.close(); process.exit(0); });`,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
        child.once('exit', (code) => reject(new Error(`holder exited early with ${code}`)));
      });
      const err = await DuckDbStore.open({ path: file }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TributaryError);
      expect(err).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/in use by another process/) });
    } finally {
      child.stdin.write('done\n');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    // Released: it opens now.
    const store = await DuckDbStore.open({ path: file });
    await store.close();
  });
});

describe('queryColumns', () => {
  it('returns the same values as query, column by column', async () => {
    const store = await DuckDbStore.open({ path: ':memory:' });
    try {
      const q = sql`SELECT i::BIGINT AS n, 'p' || i AS label, i / 2 AS half, TIMESTAMP '2025-01-01' + to_seconds(i) AS at FROM range(3) t(i) ORDER BY i`;
      const rows = await store.query<{ n: number; label: string; half: number; at: string }>(q);
      const columns = await store.queryColumns<{ n: number; label: string; half: number; at: string }>(q);
      expect(columns).toEqual({ n: rows.map((r) => r.n), label: rows.map((r) => r.label), half: rows.map((r) => r.half), at: rows.map((r) => r.at) });
      expect(columns.n).toEqual([0, 1, 2]);
      expect(columns.at[1]).toBe('2025-01-01T00:00:01.000Z');
    } finally {
      await store.close();
    }
  });
});
