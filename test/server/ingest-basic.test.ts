import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, send, startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

describe('ingestion over HTTP', () => {
  it('stores a track call and reads it back', async () => {
    const res = await send(server, '/v1/track', {
      userId: 'u1',
      event: 'Order Completed',
      properties: { revenue: 42.5, currency: 'EUR' },
      context: { campaign: { source: 'google', medium: 'cpc', name: 'spring' } },
      timestamp: '2024-05-01T12:00:00.000Z',
      messageId: 'm-1',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true });
    const list = await readJson(await server.api('/api/events?userId=u1'));
    expect(list.total).toBe(1);
    const [e] = list.events;
    expect(e).toMatchObject({
      messageId: 'm-1',
      type: 'track',
      event: 'Order Completed',
      userId: 'u1',
      revenue: 42.5,
      currency: 'EUR',
      timestamp: '2024-05-01T12:00:00.000Z',
      properties: { revenue: 42.5, currency: 'EUR' },
    });
    expect(e.context.campaign).toEqual({ source: 'google', medium: 'cpc', name: 'spring' });
  });

  it('requires a token for the read API but not for health', async () => {
    expect((await fetch(server.url + '/api/events')).status).toBe(401);
    expect((await fetch(server.url + '/api/health')).status).toBe(200);
  });

  it('applies a batch’s top-level context and integrations to each message, the message’s own keys winning', async () => {
    const res = await send(server, '/v1/batch', {
      context: { library: { name: 'batch-sender', version: '1.0' }, locale: 'de-DE' },
      integrations: { All: false, Tributary: true },
      batch: [
        { type: 'track', userId: 'envelope_u1', event: 'A', messageId: 'env-1', timestamp: '2024-05-01T12:00:00.000Z' },
        {
          type: 'track',
          userId: 'envelope_u1',
          event: 'B',
          messageId: 'env-2',
          timestamp: '2024-05-01T12:01:00.000Z',
          context: { locale: 'fr-FR', page: { path: '/b' } },
          integrations: { All: true },
        },
      ],
    });
    expect(res.status).toBe(200);
    const list = await readJson(await server.api('/api/events?userId=envelope_u1'));
    const byEvent = Object.fromEntries(list.events.map((e: { event: string }) => [e.event, e]));
    expect(byEvent.A.context).toMatchObject({ library: { name: 'batch-sender', version: '1.0' }, locale: 'de-DE' });
    expect(byEvent.A.integrations).toEqual({ All: false, Tributary: true });
    expect(byEvent.B.context).toMatchObject({ library: { name: 'batch-sender', version: '1.0' }, locale: 'fr-FR', page: { path: '/b' } });
    expect(byEvent.B.integrations).toEqual({ All: true, Tributary: true });
  });
});
