import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { normalizeMessage, validateMessage } from '../../src/ingest/index.ts';
import { EVENTS_TABLE, raw } from '../../src/store/index.ts';
import { send, startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;

beforeAll(async () => {
  // No timer: the test drives every run.
  server = await startTestServer({ processingIntervalMs: 0 });
});
afterAll(async () => {
  await server?.stop();
});

const sessionsOf = async (anonymousId: string) =>
  (await server.store.query<{ n: number }>(raw(`SELECT count(*)::INTEGER AS n FROM sessions WHERE anonymous_id = '${anonymousId}'`)))[0].n;

const pageMessage = (anonymousId: string, messageId: string) => ({
  type: 'page',
  anonymousId,
  messageId,
  timestamp: new Date().toISOString(),
  context: { page: { url: 'https://x.test/?utm_source=google&utm_medium=cpc' } },
});
const page = (anonymousId: string, messageId: string) => send(server, '/v1/page', pageMessage(anonymousId, messageId));

/** Page views counted by the event catalog, and stored. */
const pageCounts = async () => {
  const [catalog] = await server.store.query<{ n: number }>(raw(`SELECT coalesce(sum(n), 0)::INTEGER AS n FROM analytics_event_catalog WHERE type = 'page' AND key IS NULL`));
  const [stored] = await server.store.query<{ n: number }>(raw(`SELECT count(*)::INTEGER AS n FROM events WHERE type = 'page'`));
  return { catalog: catalog.n, stored: stored.n };
};

describe('the server processing loop', () => {
  it('re-reads recent events for identity and sessions only when events were stored since its last run', async () => {
    const identity = vi.spyOn(server.services.identity, 'processNewEvents');
    const derive = vi.spyOn(server.services.derive, 'processNewEvents');
    await page('a-1', 'm-1');
    await server.processNow();
    expect(await sessionsOf('a-1')).toBe(1);
    expect([identity.mock.calls.length, derive.mock.calls.length]).toEqual([1, 1]);

    // Nothing new: identity and sessions are not run again (they would re-read the overlap).
    await server.processNow();
    await server.processNow();
    expect([identity.mock.calls.length, derive.mock.calls.length]).toEqual([1, 1]);

    await page('a-2', 'm-2');
    await server.processNow();
    expect(await sessionsOf('a-2')).toBe(1);
    expect([identity.mock.calls.length, derive.mock.calls.length]).toEqual([2, 2]);
  });

  it('reads no event received after a write still under way, and takes them all in once it commits', async () => {
    // A slow request: received first, committed after the others.
    const slow = server.store.receipts.begin();
    await page('late-2', 'm-late-2');
    await server.processNow();
    // The catalog counts each event once, so it stops short of the slow write's receive time.
    const before = await pageCounts();
    expect(before.catalog).toBe(before.stored - 1);

    const checked = validateMessage(pageMessage('late-1', 'm-late-1'));
    if (!checked.ok) throw new Error(checked.reason);
    await server.store.append(EVENTS_TABLE, [normalizeMessage(checked.value, { sourceId: 'src_slow', receivedAt: slow.at }).row]);
    slow.close();
    await server.processNow();
    expect([await sessionsOf('late-1'), await sessionsOf('late-2')]).toEqual([1, 1]);
    // Every page view counted once, none twice.
    const after = await pageCounts();
    expect(after).toEqual({ catalog: after.stored, stored: before.stored + 1 });

    // Nothing new: a further run changes nothing.
    await server.processNow();
    expect(await pageCounts()).toEqual(after);
  });
});
