/**
 * Dashboard tests: a real Tributary server over a generated demo world, the built dashboard, and
 * Debian's Chromium driven by playwright-core.
 *
 * The world (a small `tributary demo --no-serve`, ending yesterday so the dashboard's default
 * "last 30 days" shows data) is generated once per machine and day into the temp directory and
 * copied for each test file, because a DuckDB file is opened by one process at a time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { makeTestDataDir, removeTestDataDir, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from './server.ts';
import { runCli } from './cli.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The browser-test world: big enough for every chart to have data, small enough to load in seconds. */
export const WORLD = { people: 3000, days: 120, seed: 11 } as const;
const ROOT = process.cwd();
const WEB_DIR = path.join(ROOT, 'dist', 'web');
export const SCREENSHOT_DIR = path.join(ROOT, 'test-results', 'screenshots');

const yesterday = (): string => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Builds the dashboard when its sources are newer than the build (CI builds it in `npm ci`). */
function ensureWebBuilt(): void {
  const index = path.join(WEB_DIR, 'index.html');
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  // The funnel page shares the funnel grammar with the server (src/analytics/funnels-definition.ts).
  const sources = () => Math.max(newestMtime(path.join(ROOT, 'src', 'web')), fs.statSync(path.join(ROOT, 'src', 'analytics', 'funnels-definition.ts')).mtimeMs);
  if (built >= sources()) return;
  withLock(path.join(os.tmpdir(), 'tributary-web-build.lock'), () => {
    const again = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
    if (again >= sources()) return;
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'vite.web.config.ts', '--logLevel', 'warn'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  });
}

/** Runs fn holding an exclusive lock directory (other test processes wait). */
function withLock(lock: string, fn: () => void): void {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // A lock older than the deadline was left by a crashed run.
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > 180_000) fs.rmSync(lock, { recursive: true, force: true });
      } catch {
        /* gone meanwhile */
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** The cached world for today, keyed by the demo generator's source so a change regenerates it. */
async function ensureWorld(): Promise<string> {
  const endDate = yesterday();
  const source = createHash('sha256');
  for (const dir of ['src/demo', 'src/channels', 'src/identity', 'src/store/duckdb/migrations']) {
    for (const f of fs.readdirSync(path.join(ROOT, dir)).sort()) {
      const p = path.join(ROOT, dir, f);
      if (fs.statSync(p).isFile()) source.update(fs.readFileSync(p));
    }
  }
  const key = `${WORLD.people}-${WORLD.days}-${WORLD.seed}-${endDate}-${source.digest('hex').slice(0, 12)}`;
  const dir = path.join(os.tmpdir(), `tributary-web-world-${key}`);
  const ready = path.join(dir, 'READY');
  if (fs.existsSync(ready)) return dir;
  const lock = `${dir}.lock`;
  // Generation is async (the CLI in this process): poll the lock instead of withLock.
  const deadline = Date.now() + 240_000;
  for (;;) {
    if (fs.existsSync(ready)) return dir;
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`timed out waiting for the test world in ${dir}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  try {
    if (fs.existsSync(ready)) return dir;
    fs.rmSync(dir, { recursive: true, force: true });
    const run = await runCli('demo', '--people', String(WORLD.people), '--days', String(WORLD.days), '--seed', String(WORLD.seed), '--end-date', endDate, '--data', dir, '--no-serve', '--json');
    if (run.code !== 0) throw new Error(`could not generate the test world: ${run.stderr}`);
    fs.writeFileSync(ready, endDate);
    return dir;
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

export interface Dashboard {
  readonly server: TestServer;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** The world's last day (yesterday). */
  readonly endDate: string;
  /** Page errors and failed API calls seen so far (a test asserts this stays empty). */
  readonly problems: string[];
  /** GET an API path with the admin token (to compare the page with the API). */
  api<T = unknown>(pathAndQuery: string): Promise<T>;
  /** Saves a screenshot as test-results/screenshots/<name>.png. */
  screenshot(name: string, page?: Page): Promise<string>;
  close(): Promise<void>;
}

export interface DashboardOptions {
  /** Sign in with the admin token (default true). */
  readonly signIn?: boolean;
  /** The page the sign-in link opens (default `/`); the dashboard shows it once signed in. */
  readonly signInAt?: string;
  readonly viewport?: { width: number; height: number };
}

/** Records page errors and API calls that failed on the server in `problems`. */
function recordProblems(page: Page, problems: string[]): void {
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('response', (res) => {
    if (res.url().includes('/api/') && res.status() >= 500) problems.push(`${res.status()} ${res.url()}`);
  });
}

/** Starts a server on a copy of the world, opens Chromium at 1280×800 and signs in. */
export async function openDashboard(options: DashboardOptions = {}): Promise<Dashboard> {
  ensureWebBuilt();
  const world = await ensureWorld();
  const parent = makeTestDataDir();
  const dataDir = path.join(parent, 'world');
  fs.cpSync(world, dataDir, { recursive: true });
  const server = await startTestServer({ dataDir });
  await server.access.createToken('dashboard test', 'admin', TEST_ADMIN_TOKEN);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, baseURL: server.url });
  const page = await context.newPage();
  const problems: string[] = [];
  recordProblems(page, problems);
  if (options.signIn !== false) {
    await page.goto(`${options.signInAt ?? '/'}#token=${TEST_ADMIN_TOKEN}`);
    await page.locator('nav[aria-label="Pages"]').waitFor({ timeout: 20_000 });
  }
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    server,
    browser,
    context,
    page,
    endDate: fs.readFileSync(path.join(world, 'READY'), 'utf8'),
    problems,
    async api<T>(p: string) {
      const res = await server.api(p);
      if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    async screenshot(name, p = page) {
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      await p.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await browser.close();
      await server.stop();
      removeTestDataDir(parent);
    },
  };
}

/**
 * One dashboard for a test file: opened (then `prepare`d) before the file's first test and closed
 * after its last. The object returned reads through to it, so tests use it as the dashboard
 * itself; before `beforeAll` has run there is none, and reading it throws.
 */
export function openDashboardForFile(options: DashboardOptions = {}, prepare?: (d: Dashboard) => Promise<void>): Dashboard {
  let opened: Dashboard | undefined;
  beforeAll(async () => {
    opened = await openDashboard(options);
    await prepare?.(opened);
  }, 300_000);
  afterAll(async () => {
    await opened?.close();
  });
  const current = (): Dashboard => {
    if (!opened) throw new Error('the dashboard opens in beforeAll: use it inside tests and hooks');
    return opened;
  };
  // Every member of the dashboard read at use time (its methods need no `this`).
  return new Proxy({} as Dashboard, { get: (_, key) => Reflect.get(current(), key) });
}

/** The screen of the phone-width checks, in CSS pixels. */
export const PHONE_VIEWPORT = { width: 390, height: 844 } as const;

/**
 * Checks that a dashboard page fits a phone screen. Opens a phone-size page in its own context
 * (signed in with the dashboard's session cookie, its errors added to `d.problems`), lets `visit`
 * go to the page and wait for its content, then asserts that neither the body nor anything
 * escaping it (absolutely placed text widens only the document) is wider than the screen, and
 * that the text is clean. Saves the screenshot `screenshot`.png and closes the page.
 */
export async function expectFitsPhone(d: Dashboard, screenshot: string, visit: (page: Page) => Promise<void>): Promise<void> {
  const context = await d.browser.newContext({ viewport: PHONE_VIEWPORT, baseURL: d.server.url });
  try {
    await context.addCookies(await d.context.cookies());
    const page = await context.newPage();
    recordProblems(page, d.problems);
    await visit(page);
    const [body, doc, inner] = await page.evaluate<[number, number, number]>('[document.body.scrollWidth, document.documentElement.scrollWidth, window.innerWidth]');
    expect(body, 'body wider than the screen').toBeLessThanOrEqual(inner);
    expect(doc, 'document wider than the screen').toBeLessThanOrEqual(inner);
    await assertCleanText(page);
    await d.screenshot(screenshot, page);
  } finally {
    await context.close();
  }
}

/** Waits until the named chart has drawn data points and returns how many. */
export async function chartPoints(page: Page, name: string, timeout = 20_000): Promise<number> {
  const chart = page.locator(`[data-chart="${name}"]`);
  await expect.poll(async () => Number((await chart.getAttribute('data-points', { timeout })) ?? 0), { timeout }).toBeGreaterThan(0);
  return Number(await chart.getAttribute('data-points'));
}

/** Text of the page with no "NaN", "undefined" or "Infinity" anywhere (asserted). */
export async function assertCleanText(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  for (const bad of ['NaN', 'undefined', 'Infinity', '[object Object]']) expect(text, `page shows "${bad}"`).not.toContain(bad);
}
