/**
 * Compatibility with the real server-side SDKs: @segment/analytics-node and
 * @rudderstack/rudder-sdk-node send every message type to a real server, and what they sent is
 * read back through the API. Each SDK talks to the server through a small recording proxy (plain
 * node:http, forwarding with fetch) so the tests can compare the stored events with the exact
 * bytes on the wire and replay those bytes as a client retry would.
 */
import http from 'node:http';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Analytics as SegmentAnalytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { basicAuth, readJson, startTestServer, TEST_WRITE_KEY, type TestServer } from '../helpers/server.ts';

const WIRE_DIR = '/work/shared/data/segment-wire';

// ---------------------------------------------------------------------------------------------
// What every SDK run sends (the same calls as the captured wire files).

const HISTORICAL = '2024-05-01T12:00:00.000Z';
const CAMPAIGN = { source: 'newsletter', medium: 'email', name: 'spring_sale' };
const ORDER = {
  order_id: 'ord_1001',
  checkout_id: 'chk_9',
  total: 42.5,
  revenue: 37.5,
  shipping: 5,
  tax: 0,
  currency: 'EUR',
  products: [
    { product_id: 'p1', sku: 'SKU-1', name: 'T-shirt', price: 12.5, quantity: 1, category: 'Apparel' },
    { product_id: 'p2', sku: 'SKU-2', name: 'Mug', price: 25, quantity: 1, category: 'Home' },
  ],
};
const USER_TRAITS = { email: 'jane@example.com', firstName: 'Jane', lastName: 'Doe', plan: 'pro', createdAt: '2024-01-02T03:04:05Z' };
const GROUP_TRAITS = { name: 'Acme Inc', industry: 'Retail', employees: 50 };
const PAGE_PROPS = { url: 'https://example.com/pricing?utm_source=google', path: '/pricing', referrer: 'https://google.com/', title: 'Pricing' };
const SCREEN_PROPS = { variant: 'A' };

interface Ids {
  readonly userId: string;
  readonly anonymousId: string;
  readonly groupId: string;
}

function idsFor(prefix: string): Ids {
  return { userId: `${prefix}_user`, anonymousId: `${prefix}_anon`, groupId: `${prefix}_acct` };
}

// ---------------------------------------------------------------------------------------------
// Recording proxy: SDK → proxy → server, keeping each request's method, path, headers and bytes.

interface Captured {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

interface Recorder {
  readonly url: string;
  readonly requests: Captured[];
  close(): Promise<void>;
}

/** Hop-by-hop headers and ones fetch computes itself. */
const NOT_FORWARDED = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

/** Sends a captured request again, byte for byte, to `target` (headers may be overridden). */
function replay(target: string, req: Captured, overrides: { headers?: Record<string, string>; body?: Buffer } = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (!NOT_FORWARDED.has(k)) headers[k] = v;
  Object.assign(headers, overrides.headers ?? {});
  const body = overrides.body ?? req.body;
  return fetch(target + req.url, {
    method: req.method,
    headers,
    body: req.method === 'GET' || req.method === 'HEAD' ? undefined : new Uint8Array(body),
  });
}

async function startRecorder(target: string): Promise<Recorder> {
  const requests: Captured[] = [];
  const proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      const captured: Captured = { method: req.method ?? 'GET', url: req.url ?? '/', headers, body: Buffer.concat(chunks) };
      requests.push(captured);
      replay(target, captured).then(
        async (upstream) => {
          const bytes = Buffer.from(await upstream.arrayBuffer());
          res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
          res.end(bytes);
        },
        (err: unknown) => {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`proxy: ${String(err)}`);
        },
      );
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.closeAllConnections();
        proxy.close(() => resolve());
      }),
  };
}

type Dict = Record<string, unknown>;

/** The JSON a captured request carried, gunzipped when it says so. */
function decodeCaptured(req: Captured): Dict {
  const gz = /gzip/i.test(req.headers['content-encoding'] ?? '');
  return JSON.parse((gz ? gunzipSync(req.body) : req.body).toString('utf8')) as Dict;
}

interface WireMessage {
  readonly message: Dict;
  readonly envelope: Dict;
}

/** Every message the SDK put on the wire, by messageId (first sending wins). */
function wireMessages(requests: readonly Captured[]): Map<string, WireMessage> {
  const out = new Map<string, WireMessage>();
  for (const req of requests) {
    if (req.method !== 'POST') continue;
    const body = decodeCaptured(req);
    const batch = Array.isArray(body.batch) ? (body.batch as Dict[]) : [body];
    for (const message of batch) {
      const id = message.messageId as string;
      if (!out.has(id)) out.set(id, { message, envelope: body });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// SDK drivers: each sends identify, track, page, screen, group and alias, then flushes.

interface SdkRun {
  /** Wall-clock bounds around the SDK calls and the flush. */
  readonly before: number;
  readonly after: number;
  readonly requests: Captured[];
}

async function runSegment(target: string, ids: Ids): Promise<SdkRun> {
  const recorder = await startRecorder(target);
  const errors: unknown[] = [];
  const before = Date.now();
  try {
    const analytics = new SegmentAnalytics({ writeKey: TEST_WRITE_KEY, host: recorder.url, flushAt: 20, maxRetries: 1 });
    analytics.on('error', (err) => errors.push(err));
    const cb = (err?: unknown) => {
      if (err) errors.push(err);
    };
    const { userId, anonymousId, groupId } = ids;
    analytics.identify({ userId, anonymousId, traits: USER_TRAITS }, cb);
    analytics.track(
      { userId, anonymousId, event: 'Order Completed', properties: ORDER, context: { campaign: CAMPAIGN }, timestamp: new Date(HISTORICAL) },
      cb,
    );
    analytics.page({ userId, anonymousId, category: 'Docs', name: 'Pricing', properties: PAGE_PROPS }, cb);
    analytics.screen({ userId, anonymousId, name: 'Home', properties: SCREEN_PROPS }, cb);
    analytics.group({ userId, anonymousId, groupId, traits: GROUP_TRAITS }, cb);
    analytics.alias({ userId, previousId: anonymousId }, cb);
    await analytics.closeAndFlush({ timeout: 10_000 });
  } finally {
    await recorder.close();
  }
  expect(errors, 'errors reported by @segment/analytics-node').toEqual([]);
  return { before, after: Date.now(), requests: recorder.requests };
}

async function runRudder(target: string, ids: Ids, gzip: boolean): Promise<SdkRun> {
  const recorder = await startRecorder(target);
  const errors: unknown[] = [];
  const before = Date.now();
  try {
    const analytics = new RudderAnalytics(TEST_WRITE_KEY, {
      dataPlaneUrl: recorder.url,
      flushAt: 20,
      flushInterval: 60_000,
      retryCount: 1,
      logLevel: 'error',
      gzip,
    });
    const { userId, anonymousId, groupId } = ids;
    analytics.identify({ userId, anonymousId, traits: USER_TRAITS });
    analytics.track({
      userId,
      anonymousId,
      event: 'Order Completed',
      properties: ORDER,
      context: { campaign: CAMPAIGN },
      timestamp: new Date(HISTORICAL),
    });
    analytics.page({ userId, anonymousId, category: 'Docs', name: 'Pricing', properties: PAGE_PROPS });
    analytics.screen({ userId, anonymousId, name: 'Home', properties: SCREEN_PROPS });
    analytics.group({ userId, anonymousId, groupId, traits: GROUP_TRAITS });
    analytics.alias({ userId, anonymousId, previousId: anonymousId });
    // The SDK sends the first message alone at once; flush() waits for it, then sends the rest.
    await analytics.flush((err) => {
      if (err) errors.push(err);
    });
  } finally {
    await recorder.close();
  }
  expect(errors, 'errors reported by @rudderstack/rudder-sdk-node').toEqual([]);
  return { before, after: Date.now(), requests: recorder.requests };
}

// ---------------------------------------------------------------------------------------------

let server: TestServer;

async function eventsOf(query: string) {
  const res = await server.api(`/api/events?${query}`);
  expect(res.status).toBe(200);
  return readJson(res);
}

async function totalEvents(): Promise<number> {
  return (await eventsOf('limit=1')).total as number;
}

async function quarantineTotal(): Promise<number> {
  const res = await server.api('/api/quarantine?limit=5');
  expect(res.status).toBe(200);
  const body = await readJson(res);
  return body.total as number;
}

const ms = (iso: unknown): number => Date.parse(String(iso));

/** Checks every field that matters of the six stored events against what the SDK was given and what it sent. */
async function checkStoredRun(run: SdkRun, ids: Ids, libraryName: string): Promise<Record<string, Dict>> {
  const list = await eventsOf(`userId=${encodeURIComponent(ids.userId)}&limit=100`);
  expect(list.total).toBe(6);
  const byType: Record<string, Dict> = {};
  for (const e of list.events) byType[e.type] = e;
  expect(Object.keys(byType).sort()).toEqual(['alias', 'group', 'identify', 'page', 'screen', 'track']);

  const wire = wireMessages(run.requests);
  expect(wire.size).toBe(6);
  for (const e of list.events) {
    const sent = wire.get(e.messageId);
    expect(sent, `stored messageId ${e.messageId} is one the SDK sent`).toBeDefined();
    const { message, envelope } = sent!;
    expect(e.type).toBe(message.type);
    expect(e.sourceId).toEqual(expect.any(String));
    expect(e.context.library.name).toBe(libraryName);

    // Time fields: originalTimestamp is the SDK's stamp; timestamp is skew-corrected with it.
    const clientTime = (message.originalTimestamp ?? message.timestamp) as string;
    const sentAt = (message.sentAt ?? envelope.sentAt) as string;
    expect(e.originalTimestamp).toBe(new Date(clientTime).toISOString());
    expect(e.sentAt).toBe(new Date(sentAt).toISOString());
    expect(ms(e.receivedAt)).toBeGreaterThanOrEqual(run.before);
    expect(ms(e.receivedAt)).toBeLessThanOrEqual(run.after);
    if (message.originalTimestamp && message.timestamp) {
      // An explicit time next to the device time (RudderStack) is the event time, as given.
      expect(e.timestamp).toBe(new Date(message.timestamp as string).toISOString());
    } else {
      expect(ms(e.timestamp)).toBe(ms(e.receivedAt) - (ms(sentAt) - ms(clientTime)));
      expect(Math.abs(ms(e.timestamp) - ms(e.originalTimestamp))).toBeLessThan(2_000);
    }
  }

  const { userId, anonymousId, groupId } = ids;
  expect(byType.identify).toMatchObject({ userId, anonymousId, event: null, name: null, traits: USER_TRAITS });
  expect(byType.track).toMatchObject({
    userId,
    anonymousId,
    event: 'Order Completed',
    name: null,
    revenue: 37.5,
    currency: 'EUR',
    properties: ORDER,
  });
  expect((byType.track.context as Dict).campaign).toEqual(CAMPAIGN);
  expect(byType.page).toMatchObject({ userId, anonymousId, name: 'Pricing', event: null, properties: PAGE_PROPS });
  expect(byType.screen).toMatchObject({ userId, anonymousId, name: 'Home', properties: SCREEN_PROPS });
  expect(byType.group).toMatchObject({ userId, anonymousId, groupId, traits: GROUP_TRAITS });
  expect(byType.alias).toMatchObject({ userId, previousId: anonymousId, groupId: null });
  for (const type of ['identify', 'track', 'page', 'screen', 'alias']) expect(byType[type].groupId, type).toBeNull();
  for (const type of ['identify', 'track', 'page', 'screen', 'group']) expect(byType[type].previousId, type).toBeNull();
  return byType;
}

const runs: Record<string, { run: SdkRun; stored: Record<string, Dict> }> = {};

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('@segment/analytics-node 3.1', () => {
  it('stores identify, track, page, screen, group and alias with their fields', async () => {
    const ids = idsFor('seg');
    const run = await runSegment(server.url, ids);
    const posts = run.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.url)).toEqual(['/v1/batch']);
    expect(posts[0].headers['content-type']).toBe('application/json');
    expect(posts[0].headers.authorization).toBe(basicAuth(TEST_WRITE_KEY));

    const stored = await checkStoredRun(run, ids, '@segment/analytics-node');
    // An explicit timestamp becomes originalTimestamp as given; the stored timestamp is only
    // moved by the request's transit time (receivedAt − sentAt).
    expect(stored.track.originalTimestamp).toBe(HISTORICAL);
    expect(Math.abs(ms(stored.track.timestamp) - ms(HISTORICAL))).toBeLessThan(2_000);
    // Calls without a timestamp are stamped by the SDK at call time.
    expect(ms(stored.identify.originalTimestamp)).toBeGreaterThanOrEqual(run.before);
    expect(ms(stored.identify.originalTimestamp)).toBeLessThanOrEqual(run.after);
    expect(await quarantineTotal()).toBe(0);
    runs.segment = { run, stored };
  });
});

describe('@rudderstack/rudder-sdk-node 3.0', () => {
  it('stores all message types from gzip bodies labelled application/x-www-form-urlencoded', async () => {
    const ids = idsFor('rs_gz');
    const run = await runRudder(server.url, ids, true);
    const posts = run.requests.filter((r) => r.method === 'POST');
    expect(posts.length).toBe(2); // the first message alone, then the rest
    for (const post of posts) {
      expect(post.url).toBe('/v1/batch');
      expect(post.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(post.headers['content-encoding']).toBe('gzip');
      expect([...post.body.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
      expect(post.headers.authorization).toBe(basicAuth(TEST_WRITE_KEY));
    }
    const stored = await checkStoredRun(run, ids, 'analytics-node');
    // RudderStack copies identify traits into context.traits.
    expect((stored.identify.context as Dict).traits).toEqual(USER_TRAITS);
    // RudderStack stamps originalTimestamp at call time even when the caller passes a timestamp,
    // which it sends as `timestamp` next to it.
    const sentTrack = wireMessages(run.requests).get(stored.track.messageId as string)?.message;
    expect(sentTrack?.timestamp).toBe(HISTORICAL);
    expect(sentTrack?.originalTimestamp).toBe(stored.track.originalTimestamp);
    for (const e of Object.values(stored)) {
      expect(ms(e.originalTimestamp)).toBeGreaterThanOrEqual(run.before);
      expect(ms(e.originalTimestamp)).toBeLessThanOrEqual(run.after);
    }
    expect(await quarantineTotal()).toBe(0);
    runs.rudderGzip = { run, stored };
  });

  it('stores all message types with gzip: false (plain JSON)', async () => {
    const ids = idsFor('rs_plain');
    const run = await runRudder(server.url, ids, false);
    const posts = run.requests.filter((r) => r.method === 'POST');
    expect(posts.length).toBe(2);
    for (const post of posts) {
      expect(post.headers['content-type']).toBe('application/json');
      expect(post.headers['content-encoding']).toBeUndefined();
    }
    await checkStoredRun(run, ids, 'analytics-node');
    expect(await quarantineTotal()).toBe(0);
    runs.rudderPlain = { run, stored: {} };
  });

  // RudderStack's SDK sends the caller's `timestamp` next to its own `originalTimestamp` (call
  // time); like RudderStack's server, Tributary keeps the explicit one as the event time.
  it('keeps an explicit timestamp passed to the RudderStack SDK as the event time', () => {
    expect(runs.rudderGzip.stored.track.timestamp).toBe(HISTORICAL);
  });
});

describe('retries are stored once', () => {
  it('replays of recorded SDK requests (byte-identical and re-gzipped) add nothing', async () => {
    const segment = runs.segment?.run.requests.find((r) => r.method === 'POST');
    const rudderGzip = runs.rudderGzip?.run.requests.filter((r) => r.method === 'POST') ?? [];
    const rudderPlain = runs.rudderPlain?.run.requests.filter((r) => r.method === 'POST') ?? [];
    expect(segment, 'the SDK tests ran first').toBeDefined();
    expect(rudderGzip.length).toBe(2);
    expect(rudderPlain.length).toBe(2);
    const before = await totalEvents();

    const answers: Response[] = [];
    // Segment's JSON batch, as sent and then gzip-compressed (Content-Encoding: gzip).
    answers.push(await replay(server.url, segment!));
    answers.push(await replay(server.url, segment!, { headers: { 'content-encoding': 'gzip' }, body: gzipSync(segment!.body) }));
    // RudderStack's gzip bodies labelled form-urlencoded, byte for byte, twice at once.
    for (const req of rudderGzip) answers.push(...(await Promise.all([replay(server.url, req), replay(server.url, req)])));
    for (const req of rudderPlain) answers.push(await replay(server.url, req));

    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ success: true });
    }
    expect(await totalEvents()).toBe(before);
    expect(await quarantineTotal()).toBe(0);
  });

  for (const scenario of ['segment-node-retry-500x2', 'rudder-node-retry-500x2']) {
    it(`the captured ${scenario} requests with new messageIds, sent twice, are stored once each`, async () => {
      const capture = JSON.parse(fs.readFileSync(`${WIRE_DIR}/${scenario}.json`, 'utf8')) as {
        requests: Array<{ method: string; url: string; headers: Record<string, string>; body: Dict }>;
      };
      const tag = randomUUID().slice(0, 8);
      const newIds = new Map<string, string>();
      for (const req of capture.requests) {
        for (const m of req.body.batch as Dict[]) {
          const old = m.messageId as string;
          if (!newIds.has(old)) newIds.set(old, `${old}-${tag}`);
        }
      }
      const userId = `wire_${tag}_user`;
      // Same body shape and key order as captured; only ids and the write key change.
      const requests: Captured[] = capture.requests.map((req) => {
        let text = JSON.stringify(req.body);
        for (const [old, fresh] of newIds) text = text.replaceAll(`"${old}"`, `"${fresh}"`);
        text = text.replaceAll('"user_123"', `"${userId}"`).replaceAll('"writeKey":"wk_test"', `"writeKey":"${TEST_WRITE_KEY}"`);
        const gz = /gzip/i.test(req.headers['content-encoding'] ?? '');
        return {
          method: req.method,
          url: req.url,
          headers: { ...req.headers, authorization: basicAuth(TEST_WRITE_KEY) },
          body: gz ? gzipSync(text) : Buffer.from(text),
        };
      });

      const before = await totalEvents();
      // The SDK's own sequence (first try, two retries after 500, …), then all of it once more.
      for (let round = 0; round < 2; round++) {
        for (const req of requests) {
          const res = await replay(server.url, req);
          expect(res.status, `${req.url} ${JSON.stringify(req.headers)}`).toBe(200);
          expect(await res.json()).toEqual({ success: true });
        }
      }
      expect(await totalEvents()).toBe(before + newIds.size);
      expect(await quarantineTotal()).toBe(0);

      const stored = await eventsOf(`userId=${userId}&limit=100`);
      const storedIds = new Set<string>(stored.events.map((e: Dict) => e.messageId as string));
      // Every message but the anonymous page carries the rewritten userId.
      const all = capture.requests.flatMap((r) => r.body.batch as Dict[]);
      const expected = [...new Set(all.filter((m) => m.userId === 'user_123').map((m) => newIds.get(m.messageId as string)!))];
      expect(expected.length).toBeGreaterThan(0);
      expect([...storedIds].sort()).toEqual(expected.sort());
      if (scenario.startsWith('segment')) {
        // The first delivery is the one kept: its envelope sentAt, not a retry's.
        const firstSentAt = capture.requests[0].body.sentAt as string;
        for (const e of stored.events) expect(e.sentAt).toBe(new Date(firstSentAt).toISOString());
      }
    });
  }
});
