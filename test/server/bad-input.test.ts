import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/store/index.ts';
import { basicAuth, readJson, send, startTestServer, TEST_ADMIN_TOKEN, TEST_WRITE_KEY, type TestServer } from '../helpers/server.ts';

/**
 * Malformed input over real HTTP: every case answers with its exact status and the error
 * envelope, names what was wrong and where, stores nothing it should not, quarantines what it
 * rejects, and leaves the server serving.
 */

type Auth = 'valid' | 'wrong' | 'none' | 'admin' | 'revoked-in-body' | 'unknown-in-body';

interface Request {
  readonly path: string;
  readonly method?: 'GET' | 'POST';
  /** Objects are sent as JSON; strings and buffers as they are. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly auth?: Auth;
}

interface BadCase {
  readonly name: string;
  /** Builds the request; `m` is a marker unique to the case (user ids, message ids, payload text). */
  readonly request: (m: string) => Request;
  readonly status: number;
  readonly code: string;
  /** Matched against error.message, or against each per-message reason when `rejected` is set. */
  readonly reason: RegExp;
  /** Batch indexes rejected one by one (400 with details.rejected, each quarantined). */
  readonly rejected?: readonly number[];
  /** Valid siblings (userId `${m}-ok`) that must be stored. */
  readonly stored?: number;
  /** The unreadable body is kept in the quarantine (request level, no index). */
  readonly quarantinedBody?: boolean;
}

const LATER = '2024-05-01T12:00:00.000Z';
const track = (m: string, i: number, extra: Record<string, unknown> = {}) => ({
  type: 'track',
  event: 'Signed Up',
  userId: m,
  messageId: `${m}-${i}`,
  timestamp: LATER,
  ...extra,
});
const ok = (m: string, i: number) => track(m, i, { userId: `${m}-ok` });
const single = ({ type: _type, ...message }: Record<string, unknown>) => message;
const nested = (levels: number): unknown => {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};

/** Built as text: JSON.stringify itself overflows the stack on objects this deep. */
const deepBatch = (m: string, field: string, levels: number): string => {
  const deep = JSON.stringify(track(m, 1)).replace(/}$/, `,"${field}":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}`);
  return `{"batch":[${JSON.stringify(ok(m, 0))},${deep}]}`;
};

const CASES: readonly BadCase[] = [
  // Unreadable bodies
  { name: 'not JSON', request: (m) => ({ path: '/v1/batch', body: `this is not json ${m}` }), status: 400, code: 'invalid_json', reason: /^body: is not valid JSON/, quarantinedBody: true },
  { name: 'truncated JSON', request: (m) => ({ path: '/v1/batch', body: JSON.stringify({ batch: [track(m, 0)] }).slice(0, -5) }), status: 400, code: 'invalid_json', reason: /^body: is not valid JSON/, quarantinedBody: true },
  { name: 'empty body', request: () => ({ path: '/v1/track', body: '' }), status: 400, code: 'invalid_json', reason: /^body: is empty/ },
  { name: 'invalid UTF-8 bytes', request: (m) => ({ path: '/v1/batch', body: Buffer.concat([Buffer.from(`{"batch":[{"type":"track","userId":"${m}","event":"`), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}]}')]) }), status: 400, code: 'invalid_encoding', reason: /^body: is not valid UTF-8/, quarantinedBody: true },
  { name: 'gzip label on a plain body', request: (m) => ({ path: '/v1/batch', body: JSON.stringify({ batch: [track(m, 0)] }), headers: { 'content-encoding': 'gzip' } }), status: 400, code: 'invalid_encoding', reason: /^body: Content-Encoding is gzip but the body is not valid gzip/, quarantinedBody: true },
  { name: 'gzip bomb past 500 KB', request: () => ({ path: '/v1/batch', body: gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20)), headers: { 'content-encoding': 'gzip' } }), status: 413, code: 'payload_too_large', reason: /^body: larger than 512000 bytes once decompressed/ },
  { name: 'gzip single message past 32 KB once decompressed', request: (m) => ({ path: '/v1/track', body: gzipSync(JSON.stringify(single(track(m, 0, { properties: { blob: 'x'.repeat(40_000) } })))), headers: { 'content-encoding': 'gzip' } }), status: 413, code: 'payload_too_large', reason: /once decompressed/ },
  { name: 'unsupported Content-Encoding', request: (m) => ({ path: '/v1/batch', body: JSON.stringify({ batch: [track(m, 0)] }), headers: { 'content-encoding': 'br' } }), status: 415, code: 'unsupported_media_type', reason: /^Content-Encoding "br" is not supported/ },
  // Well-formed JSON of the wrong shape
  { name: 'JSON array instead of object', request: (m) => ({ path: '/v1/batch', body: [track(m, 0)] }), status: 400, code: 'validation_failed', reason: /^body: must be a JSON object/, quarantinedBody: true },
  { name: 'string body', request: (m) => ({ path: '/v1/track', body: JSON.stringify(m) }), status: 400, code: 'validation_failed', reason: /^body: must be a JSON object/, quarantinedBody: true },
  { name: 'null body', request: () => ({ path: '/v1/identify', body: 'null' }), status: 400, code: 'validation_failed', reason: /^body: must be a JSON object/ },
  { name: 'batch not an array', request: (m) => ({ path: '/v1/batch', body: { batch: track(m, 0) } }), status: 400, code: 'validation_failed', reason: /^batch: is required and must be an array/, quarantinedBody: true },
  { name: 'batch missing', request: (m) => ({ path: '/v1/b', body: { messages: [track(m, 0)] } }), status: 400, code: 'validation_failed', reason: /^batch: is required/, quarantinedBody: true },
  { name: 'empty batch', request: () => ({ path: '/v1/batch', body: { batch: [] } }), status: 400, code: 'validation_failed', reason: /^batch: is empty/ },
  // One message, wrong per the spec
  { name: 'userId is an object', request: (m) => ({ path: '/v1/track', body: single(track(m, 0, { userId: { id: m } })) }), status: 400, code: 'validation_failed', reason: /^userId: /, rejected: [0] },
  { name: 'event is a number', request: (m) => ({ path: '/v1/track', body: single(track(m, 0, { event: 42 })) }), status: 400, code: 'validation_failed', reason: /^event: .*expected string/, rejected: [0] },
  { name: 'properties is an array', request: (m) => ({ path: '/v1/track', body: single(track(m, 0, { properties: [1, 2] })) }), status: 400, code: 'validation_failed', reason: /^properties: .*expected object/, rejected: [0] },
  { name: 'context is a string', request: (m) => ({ path: '/v1/t', body: single(track(m, 0, { context: 'web' })) }), status: 400, code: 'validation_failed', reason: /^context: .*expected object/, rejected: [0] },
  { name: 'empty anonymousId and no userId', request: (m) => ({ path: '/v1/page', body: { anonymousId: '', messageId: `${m}-0` } }), status: 400, code: 'validation_failed', reason: /^anonymousId: must not be empty/, rejected: [0] },
  { name: 'userId longer than 1024', request: (m) => ({ path: '/v1/identify', body: { userId: m + 'u'.repeat(1100), messageId: `${m}-0` } }), status: 400, code: 'validation_failed', reason: /^userId: is longer than 1024/, rejected: [0] },
  { name: 'missing both ids', request: (m) => ({ path: '/v1/identify', body: { traits: { email: `${m}@example.com` }, messageId: `${m}-0` } }), status: 400, code: 'validation_failed', reason: /^userId or anonymousId: one of them is required/, rejected: [0] },
  { name: 'track without event', request: (m) => ({ path: '/v1/track', body: { userId: m, messageId: `${m}-0` } }), status: 400, code: 'validation_failed', reason: /^event: is required/, rejected: [0] },
  { name: 'group without groupId', request: (m) => ({ path: '/v1/group', body: { userId: m, traits: { name: 'Acme' }, messageId: `${m}-0` } }), status: 400, code: 'validation_failed', reason: /^groupId: is required/, rejected: [0] },
  { name: 'alias without previousId', request: (m) => ({ path: '/v1/alias', body: { userId: m, messageId: `${m}-0` } }), status: 400, code: 'validation_failed', reason: /^previousId: is required/, rejected: [0] },
  { name: 'type contradicts the endpoint', request: (m) => ({ path: '/v1/track', body: { type: 'identify', userId: m, messageId: `${m}-0` } }), status: 400, code: 'validation_failed', reason: /^type: "identify" does not match the endpoint \/v1\/track/, rejected: [0] },
  { name: 'timestamp "yesterday"', request: (m) => ({ path: '/v1/track', body: single(track(m, 0, { timestamp: 'yesterday' })) }), status: 400, code: 'validation_failed', reason: /^timestamp: must be an ISO-8601 date-time/, rejected: [0] },
  { name: 'timestamp 2024-13-45', request: (m) => ({ path: '/v1/track', body: single(track(m, 0, { timestamp: '2024-13-45T00:00:00Z' })) }), status: 400, code: 'validation_failed', reason: /^timestamp: is not a valid calendar date-time/, rejected: [0] },
  { name: 'timestamp 2023-02-30 (no such day)', request: (m) => ({ path: '/v1/track', body: single(track(m, 0, { timestamp: '2023-02-30T10:00:00Z' })) }), status: 400, code: 'validation_failed', reason: /^timestamp: is not a valid calendar date-time/, rejected: [0] },
  { name: 'properties nested 100 levels', request: (m) => ({ path: '/v1/track', body: single(track(m, 0, { properties: nested(100) })) }), status: 400, code: 'validation_failed', reason: /^properties: nested deeper than 32 levels/, rejected: [0] },
  // Batches answer per message
  { name: 'unknown type in a batch', request: (m) => ({ path: '/v1/batch', body: { batch: [ok(m, 0), track(m, 1, { type: 'purchase' })] } }), status: 400, code: 'validation_failed', reason: /^type: unknown message type "purchase"/, rejected: [1], stored: 1 },
  { name: 'message without type in a batch', request: (m) => ({ path: '/v1/batch', body: { batch: [single(track(m, 0)), ok(m, 1)] } }), status: 400, code: 'validation_failed', reason: /^type: is required/, rejected: [0], stored: 1 },
  { name: 'integrations nested 10,000 levels in a batch', request: (m) => ({ path: '/v1/batch', body: deepBatch(m, 'integrations', 10_000) }), status: 400, code: 'validation_failed', reason: /^integrations: nested deeper than 32 levels/, rejected: [1], stored: 1 },
  { name: 'message over 32 KB in a batch', request: (m) => ({ path: '/v1/batch', body: { batch: [ok(m, 0), track(m, 1, { properties: { blob: 'x'.repeat(40_000) } }), ok(m, 2)] } }), status: 400, code: 'validation_failed', reason: /^message: about \d+ bytes exceeds the limit of 32768 bytes/, rejected: [1], stored: 2 },
  { name: 'multi-byte message over 32 KB in a batch', request: (m) => ({ path: '/v1/batch', body: { batch: [ok(m, 0), track(m, 1, { properties: { blob: '€'.repeat(15_000) } })] } }), status: 400, code: 'validation_failed', reason: /^message: about \d+ bytes exceeds the limit of 32768 bytes/, rejected: [1], stored: 1 },
  {
    name: 'mixed valid and invalid batch',
    request: (m) => ({
      path: '/v1/batch',
      body: { batch: [ok(m, 0), track(m, 1, { event: undefined }), ok(m, 2), { type: 'alias', userId: m, messageId: `${m}-3` }, track(m, 4, { timestamp: 'soon' }), ok(m, 5)] },
    }),
    status: 400,
    code: 'validation_failed',
    reason: /^(event: is required|previousId: is required|timestamp: must be an ISO-8601)/,
    rejected: [1, 3, 4],
    stored: 3,
  },
  // Size limits
  { name: 'single-message body over 32 KB', request: (m) => ({ path: '/v1/track', body: single(track(m, 0, { properties: { blob: 'x'.repeat(40_000) } })) }), status: 413, code: 'payload_too_large', reason: /^body: \d+ bytes exceeds the limit of 32768 bytes/ },
  { name: 'batch body over 500 KB', request: (m) => ({ path: '/v1/batch', body: { batch: Array.from({ length: 30 }, (_, i) => track(m, i, { properties: { blob: 'x'.repeat(20_000) } })) } }), status: 413, code: 'payload_too_large', reason: /^body: \d+ bytes exceeds the limit of 512000 bytes/ },
  { name: 'more than 2,500 messages', request: (m) => ({ path: '/v1/batch', body: { batch: Array.from({ length: 2501 }, (_, i) => ({ type: 'track', event: 'E', userId: m, messageId: `${m}-${i}` })) } }), status: 413, code: 'payload_too_large', reason: /^batch: 2501 messages exceeds the limit of 2500/ },
  { name: 'a 1 MB string', request: (m) => ({ path: '/v1/track', body: single(track(m, 0, { properties: { huge: 'x'.repeat(1024 * 1024) } })) }), status: 413, code: 'payload_too_large', reason: /body/i },
  // Credentials
  { name: 'wrong write key', request: (m) => ({ path: '/v1/track', body: single(track(m, 0)), auth: 'wrong' }), status: 401, code: 'unauthorized', reason: /^unknown or revoked write key/ },
  { name: 'missing write key', request: (m) => ({ path: '/v1/track', body: single(track(m, 0)), auth: 'none' }), status: 401, code: 'unauthorized', reason: /^missing write key/ },
  { name: 'unknown writeKey in the body', request: (m) => ({ path: '/v1/batch', body: { batch: [track(m, 0)] }, auth: 'unknown-in-body' }), status: 401, code: 'unauthorized', reason: /^unknown or revoked write key/ },
  { name: 'revoked writeKey in the body', request: (m) => ({ path: '/v1/batch', body: { batch: [track(m, 0)] }, auth: 'revoked-in-body' }), status: 401, code: 'unauthorized', reason: /^unknown or revoked write key/ },
  { name: 'bad JSON with a wrong key is refused, not quarantined', request: (m) => ({ path: '/v1/batch', body: `{"batch": [${m}`, auth: 'wrong' }), status: 401, code: 'unauthorized', reason: /^unknown or revoked write key/ },
  // Routes
  { name: 'unknown ingestion route', request: (m) => ({ path: '/v1/purchase', body: single(track(m, 0)) }), status: 404, code: 'not_found', reason: /^no route POST \/v1\/purchase/ },
  { name: 'unknown API route', request: () => ({ path: '/api/nothing-here', method: 'GET', auth: 'admin' }), status: 404, code: 'not_found', reason: /^no route GET \/api\/nothing-here/ },
];

let server: TestServer;
let revokedKey: string;

beforeAll(async () => {
  server = await startTestServer();
  const created = await server.access.createSource('revoked');
  revokedKey = created.writeKey;
  await server.store.exec(sql`UPDATE sources SET revoked_at = now()::TIMESTAMP WHERE id = ${created.source.id}`);
});
afterAll(async () => {
  await server.stop();
});

function authHeaders(auth: Auth): Record<string, string> {
  switch (auth) {
    case 'valid':
      return { authorization: basicAuth(TEST_WRITE_KEY) };
    case 'wrong':
      return { authorization: basicAuth('wk_not_a_real_key_42') };
    case 'admin':
      return { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
    default:
      return {};
  }
}

function bodyOf(req: Request): string | Buffer | undefined {
  if (req.body === undefined) return undefined;
  let body = req.body;
  if (req.auth === 'revoked-in-body' || req.auth === 'unknown-in-body') {
    body = { ...(body as object), writeKey: req.auth === 'revoked-in-body' ? revokedKey : 'wk_unknown_in_body_0' };
  }
  return typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
}

function sendRequest(req: Request): Promise<Response> {
  return fetch(server.url + req.path, {
    method: req.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders(req.auth ?? 'valid'), ...(req.headers ?? {}) },
    body: bodyOf(req),
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function quarantine(): Promise<any[]> {
  const res = await server.api('/api/quarantine?limit=1000');
  expect(res.status).toBe(200);
  return (await readJson(res)).messages;
}

async function storedCount(userId: string): Promise<number> {
  return (await readJson(await server.api(`/api/events?userId=${encodeURIComponent(userId)}`))).total;
}

describe('malformed ingestion input over HTTP', () => {
  it('has at least 25 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });

  it.each(CASES.map((c, i) => ({ ...c, marker: `bad${String(i).padStart(2, '0')}` })))(
    '$name → $status $code',
    async ({ marker: m, request, status, code, reason, rejected, stored, quarantinedBody }) => {
      const res = await sendRequest(request(m));
      const body = await readJson(res);
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(Object.keys(body)).toEqual(['error']);
      expect(Object.keys(body.error).every((k) => ['code', 'message', 'details'].includes(k))).toBe(true);
      expect(body.error.code).toBe(code);
      expect(typeof body.error.message).toBe('string');
      expect(JSON.stringify(body)).not.toMatch(/\bat .*\.ts:\d+|SELECT |INSERT /);

      if (rejected) {
        expect(body.error.details.rejected.map((r: { index: number }) => r.index)).toEqual(rejected);
        expect(body.error.details.stored).toBe(stored ?? 0);
        for (const r of body.error.details.rejected) {
          expect(r.reason).toMatch(reason);
          expect(r.messageId).toBe(`${m}-${r.index}`);
        }
        const first = body.error.details.rejected[0];
        expect(body.error.message).toContain(`index ${first.index}`);
        expect(body.error.message).toContain(first.reason);
        const kept = (await quarantine()).filter((q) => typeof q.messageId === 'string' && q.messageId.startsWith(`${m}-`));
        expect(kept.map((q) => q.index).sort((a, b) => a - b)).toEqual(rejected);
        for (const q of kept) {
          expect(q).toMatchObject({ origin: 'api', sourceId: expect.any(String) });
          expect(q.reason).toBe(body.error.details.rejected.find((r: { index: number }) => r.index === q.index).reason);
          expect(q.payload).toContain(q.messageId);
        }
      } else {
        expect(body.error.details).toBeUndefined();
        expect(body.error.message).toMatch(reason);
      }

      if (quarantinedBody) {
        const kept = (await quarantine()).filter((q) => q.index === null && typeof q.payload === 'string' && q.payload.includes(m));
        expect(kept).toHaveLength(1);
        expect(kept[0]).toMatchObject({ origin: 'api', reason: body.error.message, messageId: null });
      } else {
        const kept = (await quarantine()).filter((q) => q.index === null && typeof q.payload === 'string' && q.payload.includes(m));
        expect(kept).toEqual([]);
      }

      // Nothing of the bad message is stored; its valid siblings are.
      expect(await storedCount(m)).toBe(0);
      expect(await storedCount(`${m}-ok`)).toBe(stored ?? 0);

      // The server keeps serving.
      const alive = await send(server, '/v1/track', { userId: `alive-${m}`, event: 'Still Alive', messageId: `alive-${m}` });
      expect(alive.status).toBe(200);
      expect(await storedCount(`alive-${m}`)).toBe(1);
    },
  );

  it('stores nothing for a request-level reject without a readable key', async () => {
    const before = (await quarantine()).length;
    const res = await sendRequest({ path: '/v1/batch', body: '{not json', auth: 'none' });
    expect(res.status).toBe(400);
    expect((await readJson(res)).error.code).toBe('invalid_json');
    expect((await quarantine()).length).toBe(before);
  });
});

describe('rate limit over HTTP', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ ingest: { rateLimitPerSecond: 2, rateLimitBurst: 2 } });
  });
  afterAll(async () => {
    await limited.stop();
  });

  it('answers 429 with Retry-After past the burst, then serves again', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await send(limited, '/v1/track', { userId: 'rl', event: 'Burst', messageId: `rl-${i}` });
      statuses.push(last.status);
      if (last.status === 429) break;
    }
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(last!.status).toBe(429);
    const retryAfter = Number(last!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    const body = await readJson(last!);
    expect(body).toEqual({ error: { code: 'rate_limited', message: expect.stringMatching(/^rate limit of 2 requests\/s for this write key exceeded/) } });

    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    const again = await send(limited, '/v1/track', { userId: 'rl', event: 'After', messageId: 'rl-after' });
    expect(again.status).toBe(200);
    const list = await readJson(await limited.api('/api/events?userId=rl&event=After'));
    expect(list.total).toBe(1);
  });
});
