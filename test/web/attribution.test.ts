import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page, Response } from 'playwright-core';
import { assertCleanText, chartPoints, expectFitsPhone, openDashboardForFile } from '../helpers/browser.ts';

interface Channel {
  channel: string;
  conversions: number;
  value: number;
  spend: number | null;
  costPerConversion: number | null;
  roas: number | null;
}
interface Comparison {
  conversion: string;
  channels: string[];
  models: string[];
  results: Array<{ model: string; totalConversions: number; unattributed: { conversions: number }; channels: Channel[] }>;
}

/** Page loads wait on several analytics calls; a busy 2-core machine needs more than the default. */
const TEST_TIMEOUT = 90_000;

// Signs in on this page's own address: the server answers `/` itself with 403 (a directory).
const d = openDashboardForFile({ signInAt: '/attribution' });
const latencies: string[] = [];

/** The API's answer for exactly the query the page sent, timed. */
/**
 * The API's answer to the page's request, with every model (a model's credit does not depend on
 * which others are computed), so any model the page shows later can be checked against it.
 */
async function apiLike(url: string): Promise<Comparison> {
  const u = new URL(url);
  u.searchParams.delete('model');
  const started = performance.now();
  const body = await d.api<Comparison>(u.pathname + u.search);
  latencies.push(`${(performance.now() - started).toFixed(0)} ms  GET ${u.pathname}${u.search}`);
  return body;
}

/** Waits for the page's next comparison answer whose query matches. */
function nextCompare(page: Page, match: (q: URLSearchParams) => boolean = () => true): Promise<Response> {
  return page.waitForResponse((r) => r.url().includes('/api/attribution/compare') && match(new URL(r.url()).searchParams) && r.ok(), { timeout: 30_000 });
}

/** "$1,234.50" / "38.1" / "3.24×" → number; "—" → null. */
function parseShown(text: string): number | null {
  const t = text.trim();
  if (t === '—') return null;
  const n = Number(t.replace(/[$,×\s]/g, ''));
  if (!Number.isFinite(n)) throw new Error(`not a number on the page: "${text}"`);
  return n;
}

type Cells = Record<string, Record<string, string>>;
/** Table cells: label → "model:metric" (and "spend") → text. */
function readTable(page: Page): Promise<Cells> {
  // A string: the test project has no DOM types.
  return page.evaluate<Cells>(`(() => {
    const out = {};
    for (const tr of document.querySelectorAll('table[data-table="attribution"] tbody tr')) {
      const row = (out[tr.dataset.label] = {});
      for (const td of tr.querySelectorAll('td')) row[td.dataset.model ? td.dataset.model + ':' + td.dataset.metric : td.dataset.metric] = td.textContent;
    }
    return out;
  })()`);
}

/** Every shown cell of the chosen models equals the API's number to display rounding. */
function expectTableMatches(cells: Cells, api: Comparison, models: string[]): void {
  expect(Object.keys(cells).sort()).toEqual([...api.channels].sort());
  for (const model of models) {
    const result = api.results.find((r) => r.model === model)!;
    for (const label of api.channels) {
      const c = result.channels.find((x) => x.channel === label);
      const row = cells[label];
      expect(Math.abs(parseShown(row[`${model}:conversions`])! - (c?.conversions ?? 0)), `${model} ${label} conversions`).toBeLessThanOrEqual(0.05 + 1e-9);
      const value = c?.value ?? 0;
      expect(Math.abs(parseShown(row[`${model}:value`])! - value), `${model} ${label} value`).toBeLessThanOrEqual(Math.abs(value) >= 1000 ? 0.5 : 0.005);
      const roas = parseShown(row[`${model}:roas`]);
      if (c?.roas === null || c?.roas === undefined) expect(roas).toBeNull();
      else expect(roas).toBeCloseTo(c.roas, 2);
      const cpa = parseShown(row[`${model}:costPerConversion`]);
      if (c?.costPerConversion === null || c?.costPerConversion === undefined) expect(cpa).toBeNull();
      else expect(Math.abs(cpa! - c.costPerConversion)).toBeLessThanOrEqual(c.costPerConversion >= 1000 ? 0.5 : 0.005);
    }
  }
}

const pointsOf = async (page: Page) => Number(await page.locator('[data-chart="attribution-models"]').getAttribute('data-points'));

afterAll(() => {
  if (latencies.length) console.log(`attribution API latencies on the test world:\n  ${latencies.join('\n  ')}`);
});

describe('attribution page', () => {
  let first: Comparison;
  let firstUrl: string;

  it('compares the default models per channel, chart and table equal to the API', async () => {
    const { page } = d;
    const answered = nextCompare(page);
    await page.goto('/attribution?range=30d');
    await page.getByRole('heading', { level: 1, name: 'Attribution' }).waitFor();
    const response = await answered;
    firstUrl = response.url();
    const q = new URL(firstUrl).searchParams;
    // Only the ticked models are computed.
    expect(Object.fromEntries(q)).toMatchObject({ lookback: '30d', order: '1', nulls: 'true', by: 'channel', halfLife: '7d', model: 'first,last,linear,markov' });
    expect(q.get('to')).toBe(new Date().toISOString().slice(0, 10));
    first = await apiLike(firstUrl);
    expect(first.channels.length).toBeGreaterThan(3);
    expect(first.results[0].totalConversions).toBeGreaterThan(0);

    const models = ['first', 'last', 'linear', 'markov'];
    expect(await chartPoints(page, 'attribution-models')).toBe(first.channels.length * models.length);
    await page.locator('table[data-table="attribution"] tbody tr').first().waitFor();
    expectTableMatches(await readTable(page), first, models);
    // Spend is per channel, the same in every model's view.
    const cells = await readTable(page);
    for (const c of first.results[0].channels) {
      const shown = parseShown(cells[c.channel].spend);
      if (c.spend !== null) expect(Math.abs(shown! - c.spend)).toBeLessThanOrEqual(c.spend >= 1000 ? 0.5 : 0.005);
    }
    expect(await page.locator('[data-kpi="conversions"]').innerText()).toBe(String(first.results[0].totalConversions));
    await assertCleanText(page);
  }, TEST_TIMEOUT);

  it('switching models changes the bars and the table columns', async () => {
    const { page } = d;
    const n = first.channels.length;
    await page.getByRole('checkbox', { name: 'Markov' }).uncheck();
    await expect.poll(() => pointsOf(page)).toBe(n * 3);
    expect(await page.locator('td[data-model="markov"]').count()).toBe(0);

    // last → first only: the bars are first touch's, and they differ from last touch's.
    await page.getByRole('checkbox', { name: 'Last touch' }).uncheck();
    await page.getByRole('checkbox', { name: 'Linear' }).uncheck();
    await expect.poll(() => pointsOf(page)).toBe(n);
    expect(await page.locator('td[data-model="last"]').count()).toBe(0);
    expectTableMatches(await readTable(page), first, ['first']);
    const firstTouch = first.results.find((r) => r.model === 'first')!.channels;
    const lastTouch = first.results.find((r) => r.model === 'last')!.channels;
    expect(firstTouch.map((c) => c.conversions)).not.toEqual(first.channels.map((ch) => lastTouch.find((c) => c.channel === ch)?.conversions ?? 0));

    await page.getByRole('checkbox', { name: 'Shapley' }).check();
    await page.getByRole('checkbox', { name: 'Markov' }).check();
    await expect.poll(() => pointsOf(page)).toBe(n * 3);
    expectTableMatches(await readTable(page), first, ['first', 'markov', 'shapley']);
    expect(new URL(page.url()).searchParams.get('models')).toBe('first,markov,shapley');

    // Value instead of conversions: same bars count, the chart says what it shows.
    await page.getByRole('radio', { name: 'Value' }).check();
    await expect.poll(() => page.locator('[data-chart="attribution-models"]').getAttribute('aria-label')).toContain('Attributed value');
    expect(await pointsOf(page)).toBe(n * 3);
  }, TEST_TIMEOUT);

  it('refetches with the chosen Markov order, and the table shows that answer', async () => {
    const { page } = d;
    const answered = nextCompare(page, (q) => q.get('order') === '3');
    await page.getByLabel('Markov order').selectOption('3');
    const order3 = await apiLike((await answered).url());
    const markov1 = first.results.find((r) => r.model === 'markov')!.channels;
    const markov3 = order3.results.find((r) => r.model === 'markov')!.channels;
    expect(markov3.some((c) => Math.abs(c.conversions - (markov1.find((x) => x.channel === c.channel)?.conversions ?? 0)) > 0.05)).toBe(true);
    await expect.poll(async () => parseShown((await readTable(page))[markov3[0].channel]['markov:conversions'])).toBeCloseTo(markov3[0].conversions, 1);
    expectTableMatches(await readTable(page), order3, ['first', 'markov', 'shapley']);
  }, TEST_TIMEOUT);

  it('refetches with the lookback window and null paths setting', async () => {
    const { page } = d;
    let answered = nextCompare(page, (q) => q.get('lookback') === '14d' && q.get('order') === '3');
    await page.getByLabel('Lookback window').selectOption('14d');
    const short = await apiLike((await answered).url());
    await expect.poll(async () => Object.keys(await readTable(page)).sort()).toEqual([...short.channels].sort());
    await expect.poll(async () => {
      try {
        expectTableMatches(await readTable(page), short, ['first', 'markov', 'shapley']);
        return true;
      } catch {
        return false;
      }
    }).toBe(true);

    answered = nextCompare(page, (q) => q.get('nulls') === 'false' && q.get('lookback') === '14d');
    await page.getByLabel('Null paths').selectOption('no');
    const noNulls = await apiLike((await answered).url());
    await expect.poll(async () => {
      try {
        expectTableMatches(await readTable(page), noNulls, ['markov']);
        return true;
      } catch {
        return false;
      }
    }).toBe(true);
  }, TEST_TIMEOUT);

  it('groups by campaign, with campaign spend', async () => {
    const { page } = d;
    const answered = nextCompare(page, (q) => q.get('by') === 'campaign');
    await page.getByLabel('Group by').selectOption('campaign');
    const byCampaign = await apiLike((await answered).url());
    await expect.poll(async () => Object.keys(await readTable(page)).sort(), { timeout: 30_000 }).toEqual([...byCampaign.channels].sort());
    expectTableMatches(await readTable(page), byCampaign, ['first', 'markov', 'shapley']);
    expect(byCampaign.results[0].channels.some((c) => (c.spend ?? 0) > 0)).toBe(true);
    await chartPoints(page, 'attribution-models');
    expect(await pointsOf(page)).toBe(byCampaign.channels.length * 3);
  }, TEST_TIMEOUT);

  it('explains every model in plain words', async () => {
    const { page } = d;
    await page.getByText('How each model assigns credit').click();
    const terms = await page.locator('.model-notes dt').allInnerTexts();
    expect(terms).toHaveLength(11);
    expect(terms).toContain('Markov');
    expect(await page.locator('.model-notes dd').first().isVisible()).toBe(true);
  }, TEST_TIMEOUT);

  it('saves a screenshot, with no broken text and no failed calls', async () => {
    const { page } = d;
    const answered = nextCompare(page, (q) => q.get('by') === 'channel' && q.get('order') === '1');
    await page.goto('/attribution?range=30d');
    await answered;
    await chartPoints(page, 'attribution-models');
    await page.getByText('How each model assigns credit').click();
    await page.waitForTimeout(800); // the charts' entry animation
    await assertCleanText(page);
    await d.screenshot('attribution');
    expect(d.problems).toEqual([]);
  }, TEST_TIMEOUT);

  it('fits a phone screen without sideways scrolling of the page', async () => {
    await expectFitsPhone(d, 'attribution-phone', async (page) => {
      await page.goto('/attribution?range=30d');
      await chartPoints(page, 'attribution-models');
      await page.locator('table[data-table="attribution"]').waitFor();
      await page.waitForTimeout(800); // the charts' entry animation
    });
    expect(d.problems).toEqual([]);
  }, TEST_TIMEOUT);
});

/** ChannelAttribution's example paths (10,000 rows). */
const PATH_DATA = path.resolve(process.cwd(), '../shared/data/attribution/PathData.csv');
const PATHS = '/api/attribution/paths';

interface PathFileAnswer extends Pick<Comparison, 'channels' | 'models' | 'results'> {
  paths: number;
  skipped: Array<{ model: string; reason: string }>;
}

/** Distinct paths and conversions of PathData.csv, counted here from its lines (`"a > b",conv,value,null`). */
function countPathFile(text: string): { distinct: number; conversions: number } {
  const paths = new Set<string>();
  let conversions = 0;
  for (const line of text.split(/\r?\n/).slice(1)) {
    if (line.trim() === '') continue;
    const m = /^"([^"]*)",([^,]+),/.exec(line);
    if (!m) throw new Error(`unexpected PathData line: ${line}`);
    paths.add(m[1]);
    conversions += Number(m[2]);
  }
  return { distinct: paths.size, conversions };
}

/** The server's answer to a path file sent as the page sends it (same query string, text/csv). */
async function postPathFile(search: string, body: string): Promise<{ status: number; body: unknown }> {
  const started = performance.now();
  const res = await d.server.api(`${PATHS}${search}`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body });
  latencies.push(`${(performance.now() - started).toFixed(0)} ms  POST ${PATHS}${search}`);
  return { status: res.status, body: await res.json() };
}

const nextPathFile = (page: Page, match: (q: URLSearchParams) => boolean = () => true): Promise<Response> =>
  page.waitForResponse((r) => new URL(r.url()).pathname === PATHS && match(new URL(r.url()).searchParams), { timeout: 30_000 });

/** Conversions and value of every chosen model equal the answer's, and no spend, cost or ROAS cell exists. */
function expectCreditMatches(cells: Cells, api: PathFileAnswer, models: string[]): void {
  expect(Object.keys(cells).sort()).toEqual([...api.channels].sort());
  for (const label of api.channels) {
    const expected = models.flatMap((m) => [`${m}:conversions`, `${m}:value`]).sort();
    expect(Object.keys(cells[label]).sort(), `${label}: only conversions and value`).toEqual(expected);
    for (const model of models) {
      const c = api.results.find((r) => r.model === model)!.channels.find((x) => x.channel === label);
      expect(Math.abs(parseShown(cells[label][`${model}:conversions`])! - (c?.conversions ?? 0)), `${model} ${label} conversions`).toBeLessThanOrEqual(0.05 + 1e-9);
      const value = c?.value ?? 0;
      expect(Math.abs(parseShown(cells[label][`${model}:value`])! - value), `${model} ${label} value`).toBeLessThanOrEqual(Math.abs(value) >= 1000 ? 0.5 : 0.005);
    }
  }
}

describe('attribution page with an uploaded path file', () => {
  const csv = fs.readFileSync(PATH_DATA, 'utf8');
  const models = ['first', 'last', 'linear', 'markov'];

  it('attributes the file with the page’s models and Markov order, equal to the API and to the published figures', async () => {
    const { page } = d;
    const store = nextCompare(page);
    await page.goto('/attribution?range=30d&models=first,last,linear,markov,time-decay');
    await store;
    await page.locator('table[data-table="attribution"] tbody tr').first().waitFor();

    // The upload is held until the page has shown that it is working, then goes on to the server.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route((url) => url.pathname === PATHS, async (route) => {
      await held;
      await route.continue();
    });
    const posted = nextPathFile(page);
    await page.getByLabel('Attribute a path file…').setInputFiles(PATH_DATA);
    await page.getByText('Attributing the paths of PathData.csv…').waitFor();
    release();
    const response = await posted;
    await page.unrouteAll();
    expect(response.status()).toBe(200);
    expect(response.request().method()).toBe('POST');
    expect(response.request().headers()['content-type']).toBe('text/csv');
    const search = new URL(response.url()).search;
    // The page's models and Markov settings, and nothing that only applies to the store.
    expect(Object.fromEntries(new URLSearchParams(search))).toEqual({ model: 'first,last,linear,markov,time-decay', order: '1', nulls: 'true' });

    const answer = await postPathFile(search, csv);
    expect(answer.status).toBe(200);
    const api = answer.body as PathFileAnswer;
    const counted = countPathFile(csv);
    expect(counted.distinct).toBe(5408);
    expect(api.paths).toBe(counted.distinct);
    expect(api.results[0].totalConversions).toBe(counted.conversions);
    expect(api.skipped.map((s) => s.model)).toEqual(['time-decay']);
    expect([...api.models].sort()).toEqual([...models].sort());

    // Which file, how big, and what was left out.
    await expect.poll(() => page.locator('[data-file-name]').innerText()).toBe('PathData.csv');
    expect(await page.locator('[data-kpi="paths"]').innerText()).toBe('5,408');
    expect(await page.locator('[data-kpi="conversions"]').innerText()).toBe(counted.conversions.toLocaleString('en-US'));
    const skipped = await page.locator('[data-note="skipped"]').innerText();
    expect(skipped).toContain('Time decay');
    expect(skipped).toContain(api.skipped[0].reason);

    // The same chart and table as for the store, with the file's numbers and no spend columns.
    expect(await chartPoints(page, 'attribution-models')).toBe(api.channels.length * models.length);
    const cells = await readTable(page);
    expectCreditMatches(cells, api, models);
    expect(await page.locator('table[data-table="attribution"] [data-metric="spend"], [data-metric="roas"], [data-metric="costPerConversion"]').count()).toBe(0);
    // ChannelAttribution's published figures for PathData: Markov (order 1) and last touch.
    const markovAlpha = api.results.find((r) => r.model === 'markov')!.channels.find((c) => c.channel === 'alpha')!;
    expect(Math.abs(markovAlpha.conversions - 5344.95)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(parseShown(cells.alpha['markov:conversions'])! - 5344.95)).toBeLessThanOrEqual(0.05 + 0.01);
    expect(parseShown(cells.eta['last:conversions'])).toBe(4167);

    // The date range, grouping and lookback do not apply to a file: hidden or disabled, and said why.
    expect(await page.getByLabel('Lookback window').count()).toBe(0);
    expect(await page.getByLabel('Group by').count()).toBe(0);
    expect(await page.locator('[data-note="path-file-settings"]').innerText()).toContain('date range');
    expect(await page.locator('form[aria-label="Date range"] select[name="preset"]').isDisabled()).toBe(true);
    expect(await page.locator('[data-range-unused]').innerText()).toBe('Not used for a path file');
    await assertCleanText(page);
    await d.screenshot('attribution-path-file');

    // The page's Markov order is sent again with the same file.
    const order2 = nextPathFile(page, (q) => q.get('order') === '2');
    await page.getByLabel('Markov order').selectOption('2');
    const second = (await postPathFile(new URL((await order2).url()).search, csv)).body as PathFileAnswer;
    const alpha2 = second.results.find((r) => r.model === 'markov')!.channels.find((c) => c.channel === 'alpha')!.conversions;
    expect(Math.abs(alpha2 - markovAlpha.conversions)).toBeGreaterThan(0.05);
    await expect.poll(async () => parseShown((await readTable(page)).alpha['markov:conversions'])).toBeCloseTo(alpha2, 1);
    expectCreditMatches(await readTable(page), second, models);

    // Back to the store: its channels, its spend column and its controls again.
    const back = nextCompare(page, (q) => q.get('order') === '2');
    await page.getByRole('button', { name: 'Back to the store’s data' }).click();
    const storeAgain = await apiLike((await back).url());
    await expect.poll(async () => Object.keys(await readTable(page)).sort()).toEqual([...storeAgain.channels].sort());
    expect(await page.locator('table[data-table="attribution"] td[data-metric="spend"]').count()).toBe(storeAgain.channels.length);
    await page.getByLabel('Lookback window').waitFor();
    expect(await page.locator('form[aria-label="Date range"] select[name="preset"]').isDisabled()).toBe(false);
    expect(await page.locator('[data-file-name]').count()).toBe(0);
    expect(d.problems).toEqual([]);
  }, TEST_TIMEOUT);

  it('shows the server’s line-numbered message for a malformed file', async () => {
    const { page } = d;
    const broken = 'path,total_conversions,total_conversion_value,total_null\n"alpha > beta",1,2.5,3\n"beta",x,1,1\n';
    const posted = nextPathFile(page);
    await page.getByLabel('Attribute a path file…').setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from(broken) });
    const response = await posted;
    expect(response.status()).toBe(400);
    const answer = await postPathFile(new URL(response.url()).search, broken);
    expect(answer.status).toBe(400);
    const message = (answer.body as { error: { message: string } }).error.message;
    expect(message).toMatch(/^path file line 3: /);
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.innerText()).toContain(message);
    expect(await alert.innerText()).toContain('Could not attribute broken.csv');
    expect(await page.locator('[data-file-name]').innerText()).toBe('broken.csv');
    // A good file after the bad one replaces the error with its results.
    const good = nextPathFile(page);
    await page.getByLabel('Attribute a path file…').setInputFiles(PATH_DATA);
    expect((await good).status()).toBe(200);
    await expect.poll(() => page.locator('[data-kpi="paths"]').innerText().catch(() => '')).toBe('5,408');
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(d.problems).toEqual([]);
  }, TEST_TIMEOUT);

  it('fits a phone screen with a file’s results', async () => {
    await expectFitsPhone(d, 'attribution-path-file-phone', async (page) => {
      await page.goto('/attribution?range=30d');
      await page.getByLabel('Attribute a path file…').setInputFiles(PATH_DATA);
      await page.locator('[data-kpi="paths"]').waitFor({ timeout: 30_000 });
      await chartPoints(page, 'attribution-models');
      await page.locator('table[data-table="attribution"] tbody tr').first().waitFor();
      await page.waitForTimeout(800); // the charts' entry animation
    });
    expect(d.problems).toEqual([]);
  }, TEST_TIMEOUT);
});
