import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw } from '../../src/store/index.ts';
import { send, startTestServer, type TestServer } from '../helpers/server.ts';

const DAY = 86_400_000;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ retentionDays: 30 });
});
afterAll(async () => {
  await server?.stop();
});

const count = async (table: string, where = 'TRUE') =>
  (await server.store.query<{ n: number }>(raw(`SELECT count(*)::INTEGER AS n FROM ${table} WHERE ${where}`)))[0].n;

describe('retention', () => {
  it('deletes raw events, sessions and touches older than the retention period, keeping spend and newer data', async () => {
    const old = new Date(Date.now() - 40 * DAY).toISOString();
    const recent = new Date(Date.now() - 2 * DAY).toISOString();
    for (const [id, timestamp] of [['old', old], ['new', recent]]) {
      await send(server, '/v1/page', { anonymousId: `a-${id}`, timestamp, context: { page: { url: 'https://x.test/?utm_source=google&utm_medium=cpc' } }, messageId: `${id}-1` });
      await send(server, '/v1/track', { anonymousId: `a-${id}`, event: 'Order Completed', timestamp, properties: { revenue: 10 }, messageId: `${id}-order` });
    }
    await server.store.exec(raw(`INSERT INTO spend VALUES (current_date - 40, 'Paid Search', 'spring', 100, 1000, 10, 'USD', now())`));
    // The first run brings sessions and touches up to date, then applies retention.
    await server.processNow();
    expect(await count('events')).toBe(2);
    expect(await count('events', `message_id = 'new-1'`)).toBe(1);
    expect(await count('conversion_events')).toBe(1);
    expect(await count('conversion_events', `message_id = 'new-order'`)).toBe(1);
    expect(await count('sessions', `anonymous_id = 'a-old'`)).toBe(0);
    expect(await count('touches', `anonymous_id = 'a-old'`)).toBe(0);
    expect(await count('touches', `anonymous_id = 'a-new'`)).toBe(1);
    expect(await count('spend')).toBe(1);
  });
});
