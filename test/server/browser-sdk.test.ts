/**
 * Compatibility with the real browser SDK: @segment/analytics-next, bundled with esbuild, runs in
 * Debian's Chromium (driven by playwright-core) on a page served from another loopback origin, so
 * the settings fetch and every delivery are cross-origin (CORS preflight included). The SDK finds
 * the server only through the settings body `GET {cdnURL}/v1/projects/<writeKey>/settings` returns.
 */
import fs from 'node:fs';
import http from 'node:http';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, startTestServer, TEST_WRITE_KEY, type TestServer } from '../helpers/server.ts';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/browser.ts';

const UTM_QUERY = '?utm_source=google&utm_medium=cpc&utm_campaign=spring';
const CAMPAIGN = { source: 'google', medium: 'cpc', name: 'spring' };
const ORDER = { order_id: 'ord_1001', revenue: 37.5, total: 42.5, currency: 'EUR', products: [{ product_id: 'p1', price: 12.5, quantity: 1 }] };
/** Upper bound for events to show up in the API after the page has made its calls. */
const ARRIVAL_TIMEOUT_MS = 10_000;

/**
 * The page script: loads the SDK against the Tributary server, identifies, tracks and pages, and
 * publishes the SDK's own view of the user on `window.__result`.
 */
const PAGE_SCRIPT = `
import { AnalyticsBrowser } from '@segment/analytics-next';

const cfg = window.__TRB__;
const options = cfg.batching
  ? { integrations: { 'Segment.io': { deliveryStrategy: { strategy: 'batching', config: { size: 10, timeout: 300 } } } } }
  : {};
window.__result = (async () => {
  const analytics = AnalyticsBrowser.load({ writeKey: cfg.writeKey, cdnURL: cfg.cdnURL }, options);
  await analytics.identify(cfg.userId, { email: 'jane@example.com', plan: 'pro' });
  await analytics.track('Order Completed', cfg.order);
  await analytics.page('Docs', 'Pricing', { plan: 'pro' });
  const [instance] = await analytics;
  return { anonymousId: instance.user().anonymousId(), userId: instance.user().id() };
})().catch((err) => ({ error: String(err && err.stack ? err.stack : err) }));
`;

interface Origin {
  readonly url: string;
  close(): Promise<void>;
}

/** The site the SDK runs on: one HTML page and the bundle, on its own loopback port. */
async function startOrigin(bundle: string, serverUrl: string): Promise<Origin> {
  const site = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/bundle.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(bundle);
      return;
    }
    if (url.pathname === '/') {
      const cfg = {
        writeKey: TEST_WRITE_KEY,
        cdnURL: serverUrl,
        batching: url.searchParams.get('batching') === '1',
        userId: url.searchParams.get('user') ?? 'anonymous',
        order: ORDER,
      };
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html><head><title>tributary sdk test</title></head><body>` +
          `<script>window.__TRB__ = ${JSON.stringify(cfg)};</script><script src="/bundle.js"></script></body></html>`,
      );
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const address = site.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        site.closeAllConnections();
        site.close(() => resolve());
      }),
  };
}

let server: TestServer;
let origin: Origin;
let browser: Browser | undefined;

/** Chromium is required (CI installs it): a missing binary fails the test, never skips it. */
async function getBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium package (apt-get install chromium); these tests do not skip without it`);
  }
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 20_000 });
  return browser;
}

interface NetworkEntry {
  readonly method: string;
  readonly url: string;
  status: number | null;
  failure: string | null;
}

interface PageRun {
  readonly pageUrl: string;
  readonly result: { anonymousId?: string | null; userId?: string | null; error?: string };
  /** Requests the page made to the Tributary server, with their outcome. */
  readonly toServer: NetworkEntry[];
  /** Requests to anywhere but the two loopback origins (blocked; there should be none). */
  readonly external: string[];
  readonly consoleErrors: string[];
}

/** Opens the page in a fresh browser context (fresh cookies and storage) and lets the SDK run. */
async function runPage(userId: string, batching: boolean): Promise<PageRun> {
  const context = await (await getBrowser()).newContext();
  try {
    const page = await context.newPage();
    const toServer: NetworkEntry[] = [];
    const external: string[] = [];
    const consoleErrors: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(server.url) || url.startsWith(origin.url)) return route.continue();
      external.push(url);
      return route.abort();
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(String(err)));
    // The DevTools protocol reports CORS preflights (Playwright's own request events do not).
    const entries = new Map<string, NetworkEntry>();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    cdp.on('Network.requestWillBeSent', (e) => {
      if (!e.request.url.startsWith(server.url)) return;
      const entry: NetworkEntry = { method: e.request.method, url: e.request.url.slice(server.url.length), status: null, failure: null };
      entries.set(e.requestId, entry);
      toServer.push(entry);
    });
    cdp.on('Network.responseReceived', (e) => {
      const entry = entries.get(e.requestId);
      if (entry) entry.status = e.response.status;
    });
    cdp.on('Network.loadingFailed', (e) => {
      const entry = entries.get(e.requestId);
      if (entry) entry.failure = [e.errorText, e.corsErrorStatus?.corsError].filter(Boolean).join(' ');
    });

    const pageUrl = `${origin.url}/${UTM_QUERY}&user=${encodeURIComponent(userId)}${batching ? '&batching=1' : ''}`;
    await page.goto(pageUrl, { waitUntil: 'load', timeout: 10_000 });
    const result = (await page.evaluate('window.__result', undefined)) as PageRun['result'];
    // Batches are flushed on a timer; wait for the events in the API before closing the page.
    await waitForEvents(userId, ['identify', 'track', 'page']);
    // Events are readable once committed, a moment before their response reaches the page:
    // wait for every request's outcome before the context closes.
    await waitForOutcomes(toServer);
    // Requests the page may start while it unloads are not part of the run.
    await cdp.detach();
    return { pageUrl, result, toServer, external, consoleErrors };
  } finally {
    await context.close();
  }
}

async function eventsOfUser(userId: string) {
  const res = await server.api(`/api/events?userId=${encodeURIComponent(userId)}&limit=100`);
  expect(res.status).toBe(200);
  return readJson(res);
}

/** Polls the read API until events of all `types` for the user are stored, or fails after a bound. */
async function waitForEvents(userId: string, types: readonly string[]): Promise<void> {
  const deadline = Date.now() + ARRIVAL_TIMEOUT_MS;
  let seen: string[] = [];
  while (Date.now() < deadline) {
    const list = await eventsOfUser(userId);
    seen = list.events.map((e: { type: string }) => e.type);
    if (types.every((t) => seen.includes(t))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`events ${types.join(', ')} of ${userId} did not arrive within ${ARRIVAL_TIMEOUT_MS} ms (got: ${seen.join(', ') || 'none'})`);
}

/** Waits (bounded) until every request has a response status or a failure. */
async function waitForOutcomes(entries: readonly NetworkEntry[]): Promise<void> {
  const deadline = Date.now() + ARRIVAL_TIMEOUT_MS;
  while (Date.now() < deadline && entries.some((e) => e.status === null && e.failure === null)) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

type Dict = Record<string, unknown>;
const ms = (iso: unknown): number => Date.parse(String(iso));

/** The checks both delivery strategies share. */
async function checkStored(run: PageRun, userId: string): Promise<Record<string, Dict>> {
  expect(run.result.error, 'error thrown in the page').toBeUndefined();
  expect(run.result.userId).toBe(userId);
  expect(run.result.anonymousId).toEqual(expect.any(String));
  expect(run.external, 'requests leaving the loopback origins').toEqual([]);
  expect(run.consoleErrors, 'console errors in the page (CORS failures show here)').toEqual([]);
  for (const entry of run.toServer) {
    expect(entry.failure, `${entry.method} ${entry.url}`).toBeNull();
    expect(entry.status, `${entry.method} ${entry.url}`).toBeGreaterThanOrEqual(200);
    expect(entry.status, `${entry.method} ${entry.url}`).toBeLessThan(300);
  }
  expect(run.toServer.some((e) => e.method === 'GET' && e.url === `/v1/projects/${TEST_WRITE_KEY}/settings`)).toBe(true);

  const list = await eventsOfUser(userId);
  const byType: Record<string, Dict> = {};
  for (const e of list.events) {
    expect(byType[e.type], `one ${e.type} event`).toBeUndefined();
    byType[e.type] = e;
  }
  const { anonymousId } = run.result;
  expect(byType.identify).toMatchObject({ userId, anonymousId, traits: { email: 'jane@example.com', plan: 'pro' } });
  expect(byType.track).toMatchObject({ userId, anonymousId, event: 'Order Completed', revenue: 37.5, currency: 'EUR', properties: ORDER });
  expect(byType.page).toMatchObject({ userId, anonymousId, name: 'Pricing', event: null });
  expect((byType.page.properties as Dict).url).toBe(run.pageUrl);
  for (const type of ['identify', 'track', 'page']) {
    const e = byType[type];
    const context = e.context as Dict;
    expect(context.campaign, `${type} context.campaign`).toEqual(CAMPAIGN);
    expect((context.page as Dict).url, `${type} context.page.url`).toBe(run.pageUrl);
    expect((context.library as Dict).name).toBe('analytics.js');
    expect(e.messageId).toMatch(/^ajs-next-/);
    // The browser stamps `timestamp` (stored as originalTimestamp) and `sentAt`; the stored
    // timestamp is corrected with them: receivedAt − (sentAt − originalTimestamp).
    expect(e.originalTimestamp).toEqual(expect.any(String));
    expect(e.sentAt).toEqual(expect.any(String));
    expect(ms(e.timestamp)).toBe(ms(e.receivedAt) - (ms(e.sentAt) - ms(e.originalTimestamp)));
    expect(Math.abs(ms(e.timestamp) - ms(e.originalTimestamp))).toBeLessThan(2_000);
  }
  return byType;
}

beforeAll(async () => {
  server = await startTestServer();
  const bundled = await build({
    stdin: { contents: PAGE_SCRIPT, resolveDir: process.cwd(), sourcefile: 'page.js', loader: 'js' },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome110',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  origin = await startOrigin(bundled.outputFiles[0].text, server.url);
});

afterAll(async () => {
  await browser?.close();
  await origin?.close();
  await server?.stop();
});

/** Every POST to the server was preceded by a CORS preflight for the same path, answered 2xx. */
function expectPreflighted(run: PageRun): void {
  const posts = run.toServer.filter((e) => e.method === 'POST');
  for (const post of posts) {
    const preflight = run.toServer.find((e) => e.method === 'OPTIONS' && e.url === post.url);
    expect(preflight, `CORS preflight before POST ${post.url}`).toBeDefined();
    expect(preflight!.status).toBeGreaterThanOrEqual(200);
    expect(preflight!.status).toBeLessThan(300);
  }
}

const anonymousIds: string[] = [];

describe('@segment/analytics-next 1.84 in Chromium', () => {
  it('sends identify, track and page cross-origin with the campaign from the URL', async () => {
    const userId = 'browser_std_user';
    const run = await runPage(userId, false);
    // One request per call on the short paths; each carries an Authorization header, so
    // Chromium preflights it.
    expect(run.toServer.filter((e) => e.method === 'POST').map((e) => e.url)).toEqual(['/v1/i', '/v1/t', '/v1/p']);
    expectPreflighted(run);
    await checkStored(run, userId);
    expect(await quarantineTotal()).toBe(0);
    anonymousIds.push(run.result.anonymousId!);
  });

  it('delivers with the batching strategy through /v1/b', async () => {
    const userId = 'browser_batch_user';
    const run = await runPage(userId, true);
    const posts = run.toServer.filter((e) => e.method === 'POST').map((e) => e.url);
    expect(posts.length).toBeGreaterThan(0);
    expect(new Set(posts)).toEqual(new Set(['/v1/b']));
    expectPreflighted(run);
    await checkStored(run, userId);
    expect(await quarantineTotal()).toBe(0);
    // A fresh browser profile gets its own anonymous id.
    expect(anonymousIds).not.toContain(run.result.anonymousId);
  });
});

async function quarantineTotal(): Promise<number> {
  const res = await server.api('/api/quarantine?limit=5');
  expect(res.status).toBe(200);
  return (await readJson(res)).total as number;
}
