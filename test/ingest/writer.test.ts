import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TributaryError } from '../../src/errors/index.ts';
import { BatchWriter, normalizeMessage, quarantineRow, validateMessage } from '../../src/ingest/index.ts';
import { DuckDbStore, sql, type AppendRow, type TableSpec } from '../../src/store/index.ts';

let store: DuckDbStore;
let seq = 0;

beforeEach(async () => {
  store = await DuckDbStore.open({ path: ':memory:' });
});
afterEach(async () => {
  await store.close();
});

function eventRow(userId = 'u'): AppendRow {
  const checked = validateMessage({ type: 'track', event: 'E', userId, messageId: `m-${++seq}` });
  if (!checked.ok) throw new Error(checked.reason);
  return normalizeMessage(checked.value, { sourceId: 'src_test', receivedAt: Date.now() }).row;
}

const rows = (n: number, userId?: string) => Array.from({ length: n }, () => eventRow(userId));

async function countEvents(): Promise<number> {
  const [{ n }] = await store.query<{ n: number }>(sql`SELECT count(*) AS n FROM events`);
  return n;
}

/** Records each append the writer makes (table and row count). */
function recordAppends(): Array<[string, number]> {
  const calls: Array<[string, number]> = [];
  const appendAll = store.appendAll.bind(store);
  store.appendAll = (parts: ReadonlyArray<{ table: TableSpec; rows: readonly AppendRow[] }>) => {
    for (const { table, rows: r } of parts) if (r.length > 0) calls.push([table.name, r.length]);
    return appendAll(parts);
  };
  return calls;
}

const writerFor = (options: Partial<ConstructorParameters<typeof BatchWriter>[1]> = {}) =>
  new BatchWriter(store, { flushIntervalMs: 20, flushMaxRows: 10_000, maxPendingRows: 100_000, ...options });

describe('BatchWriter', () => {
  it('group-commits concurrent submits in one pass and resolves once the rows are visible', async () => {
    const appends = recordAppends();
    const writer = writerFor();
    const seenOnResolve: number[] = [];
    const submits = [rows(2), rows(3), rows(5)].map((batch) => writer.submit(batch).then(async () => seenOnResolve.push(await countEvents())));
    expect(writer.pendingRows).toBe(10);
    expect(await countEvents()).toBe(0);
    await Promise.all(submits);
    expect(seenOnResolve).toEqual([10, 10, 10]);
    expect(appends.filter(([table]) => table === 'events')).toEqual([['events', 10]]);
    expect(writer.committedEvents).toBe(10);
    expect(writer.pendingRows).toBe(0);
    await writer.close();
  });

  it('commits quarantine rows with the events', async () => {
    const writer = writerFor();
    const q = quarantineRow({ sourceId: 'src_test', receivedAt: Date.now(), origin: 'api', index: 3, messageId: 'bad-1', reason: 'event: is required', payload: { type: 'track' } });
    await writer.submit(rows(1), [q]);
    const [kept] = await store.query<Record<string, unknown>>(sql`SELECT message_index, message_id, reason, payload FROM quarantine`);
    expect(kept).toEqual({ message_index: 3, message_id: 'bad-1', reason: 'event: is required', payload: '{"type":"track"}' });
    expect(await countEvents()).toBe(1);
    await writer.close();
  });

  it('resolves an empty submit at once', async () => {
    const writer = writerFor();
    await writer.submit([]);
    expect(writer.pendingRows).toBe(0);
    await writer.close();
  });

  it('flushes at once when flushMaxRows are pending, not after the interval', async () => {
    const writer = writerFor({ flushIntervalMs: 1000, flushMaxRows: 3 });
    const small = writer.submit(rows(2));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(writer.pendingRows).toBe(2);
    expect(await countEvents()).toBe(0);
    const started = Date.now();
    await Promise.all([small, writer.submit(rows(1))]);
    expect(Date.now() - started).toBeLessThan(800);
    expect(await countEvents()).toBe(3);
    await writer.close();
  });

  it('close() commits what is pending', async () => {
    const writer = writerFor({ flushIntervalMs: 1000 });
    const pending = writer.submit(rows(4));
    await writer.close();
    await pending;
    expect(await countEvents()).toBe(4);
    expect(writer.pendingRows).toBe(0);
  });

  it('after beginShutdown, submit throws 503 while pending rows still commit', async () => {
    const writer = writerFor({ flushIntervalMs: 50 });
    const pending = writer.submit(rows(2));
    writer.beginShutdown();
    let thrown: unknown;
    try {
      void writer.submit(rows(1));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(TributaryError);
    expect(thrown).toMatchObject({ code: 'unavailable', status: 503, retryAfter: 5, message: expect.stringMatching(/shutting down/) });
    await pending;
    expect(await countEvents()).toBe(2);
    await writer.close();
  });

  it('answers 503 past maxPendingRows (back-pressure)', async () => {
    const writer = writerFor({ flushIntervalMs: 1000, maxPendingRows: 3 });
    const pending = writer.submit(rows(3));
    expect(() => writer.submit(rows(1))).toThrow(expect.objectContaining({ code: 'unavailable', status: 503, retryAfter: 1 }) as unknown as Error);
    await writer.flush();
    await pending;
    const accepted = writer.submit(rows(1));
    await writer.flush();
    await accepted;
    expect(await countEvents()).toBe(4);
    await writer.close();
  });

  it('a failing append rejects every waiter with a retryable 503', async () => {
    const writer = writerFor();
    const submits = [writer.submit(rows(1)), writer.submit(rows(2), [quarantineRow({ sourceId: null, receivedAt: 0, origin: 'api', index: null, messageId: null, reason: 'r', payload: 'x' })])];
    await store.close();
    const results = await Promise.allSettled(submits);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const err = (result as PromiseRejectedResult).reason;
      expect(err).toBeInstanceOf(TributaryError);
      expect(err).toMatchObject({ code: 'unavailable', status: 503, retryAfter: 1 });
      expect((err as Error).cause).toBeInstanceOf(Error);
    }
    expect(writer.committedEvents).toBe(0);
    expect(writer.pendingRows).toBe(0);
    store = await DuckDbStore.open({ path: ':memory:' }); // for afterEach
  });

  it('keeps working after a failed commit', async () => {
    const writer = writerFor();
    const appendAll = store.appendAll.bind(store);
    let failures = 1;
    store.appendAll = (parts) => (failures-- > 0 ? Promise.reject(new Error('disk full')) : appendAll(parts));
    await expect(writer.submit(rows(2))).rejects.toMatchObject({ code: 'unavailable' });
    await writer.submit(rows(3));
    expect(await countEvents()).toBe(3);
    expect(writer.committedEvents).toBe(3);
    await writer.close();
  });
});
