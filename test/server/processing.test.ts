import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { raw } from '../../src/store/index.ts';
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

const page = (anonymousId: string, messageId: string) =>
  send(server, '/v1/page', { anonymousId, messageId, timestamp: new Date().toISOString(), context: { page: { url: 'https://x.test/?utm_source=google&utm_medium=cpc' } } });

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
});
