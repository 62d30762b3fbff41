import { afterAll, describe, expect, it } from 'vitest';
import type { Page, Response } from 'playwright-core';
import { assertCleanText, chartPoints, expectFitsPhone, openDashboardForFile } from '../helpers/browser.ts';

interface PathRow {
  path: string;
  steps: string[];
  journeys: number;
  conversions: number;
  conversionRate: number;
  value: number;
}
interface TopPaths {
  totals: { journeys: number; conversions: number; uniquePaths: number };
  converting: PathRow[];
  nonConverting: PathRow[];
}
interface Flows {
  depth: number;
  journeys: number;
  links: Array<{ source: string; target: string; journeys: number }>;
}
interface Distribution {
  median: number | null;
  p90: number | null;
  histogram: Array<{ label: string; journeys: number }>;
}
interface Timing {
  journeys: number;
  daysToConvert: Distribution;
  touchesToConvert: Distribution;
}

/** Page loads wait on several analytics calls; a busy 2-core machine needs more than the default. */
const TEST_TIMEOUT = 90_000;

// Signs in on this page's own address: the server answers `/` itself with 403 (a directory).
const d = openDashboardForFile({ signInAt: '/journeys' });
const latencies: string[] = [];

/** The API's answer for exactly the query the page sent, timed. */
async function apiLike<T>(url: string): Promise<T> {
  const u = new URL(url);
  const started = performance.now();
  const body = await d.api<T>(u.pathname + u.search);
  latencies.push(`${(performance.now() - started).toFixed(0)} ms  GET ${u.pathname}${u.search}`);
  return body;
}

function nextAnswer(page: Page, endpoint: 'top' | 'flows' | 'timing', match: (q: URLSearchParams) => boolean = () => true): Promise<Response> {
  return page.waitForResponse((r) => r.url().includes(`/api/journeys/${endpoint}?`) && match(new URL(r.url()).searchParams) && r.ok(), { timeout: 30_000 });
}

/** "1,234" / "5.66%" / "$210.98" → number; "—" → null. */
function parseShown(text: string): number | null {
  const t = text.trim();
  if (t === '—') return null;
  const n = Number(t.replace(/[$,%\s]/g, ''));
  if (!Number.isFinite(n)) throw new Error(`not a number on the page: "${text}"`);
  return n;
}

/** Rows of a paths table: data-path and the numeric cells' text in column order. */
function readPaths(page: Page, list: string): Promise<Array<{ path: string; cells: string[] }>> {
  // A string: the test project has no DOM types.
  return page.evaluate(`[...document.querySelectorAll('table[data-table="paths-${list}"] tbody tr')].map((tr) => ({
    path: tr.querySelector('[data-path]')?.dataset.path ?? '',
    cells: [...tr.querySelectorAll('td.num')].map((td) => td.textContent),
  }))`);
}

function expectPathsMatch(shown: Array<{ path: string; cells: string[] }>, api: PathRow[]): void {
  expect(shown.map((r) => r.path)).toEqual(api.map((r) => r.path));
  shown.forEach((row, i) => {
    const [touches, journeys, conversions, rate, value] = row.cells.map(parseShown);
    const want = api[i];
    expect(touches).toBe(want.steps.length);
    expect(journeys).toBe(want.journeys);
    expect(conversions).toBe(want.conversions);
    expect(Math.abs(rate! / 100 - want.conversionRate)).toBeLessThanOrEqual(0.0005 + 1e-9);
    expect(Math.abs(value! - want.value)).toBeLessThanOrEqual(want.value >= 1000 ? 0.5 : 0.005);
  }, TEST_TIMEOUT);
}

/** "2.3 days" / "5.1 hours" → days; "3 touches" → 3. */
function parseStat(text: string): number {
  const [n, unit] = text.trim().split(/\s+/);
  const v = Number(n.replace(/,/g, ''));
  return unit?.startsWith('hour') ? v / 24 : v;
}

const points = async (page: Page, name: string) => Number(await page.locator(`[data-chart="${name}"]`).getAttribute('data-points'));

afterAll(() => {
  if (latencies.length) console.log(`journeys API latencies on the test world:\n  ${latencies.join('\n  ')}`);
});

describe('journeys page', () => {
  let top: TopPaths;
  let timing: Timing;

  it('draws the Sankey of channel flows with every link the API gives', async () => {
    const { page } = d;
    const flowsAnswer = nextAnswer(page, 'flows');
    const topAnswer = nextAnswer(page, 'top');
    const timingAnswer = nextAnswer(page, 'timing');
    await page.goto('/journeys?range=30d');
    await page.getByRole('heading', { level: 1, name: 'Journeys' }).waitFor();
    const flowsUrl = (await flowsAnswer).url();
    expect(Object.fromEntries(new URL(flowsUrl).searchParams)).toMatchObject({ lookback: '30d', by: 'channel', depth: '4', to: new Date().toISOString().slice(0, 10) });
    const flows = await apiLike<Flows>(flowsUrl);
    top = await apiLike<TopPaths>((await topAnswer).url());
    timing = await apiLike<Timing>((await timingAnswer).url());
    expect(flows.links.length).toBeGreaterThan(5);
    expect(await chartPoints(d.page, 'journey-flows')).toBe(flows.links.length);
    expect(await page.locator('[data-chart="journey-flows"]').getAttribute('aria-label')).toContain(`${flows.journeys.toLocaleString('en-US')} journeys`);
    expect(parseShown(await page.locator('[data-kpi="journeys"]').innerText())).toBe(top.totals.journeys);
    expect(parseShown(await page.locator('[data-kpi="conversions"]').innerText())).toBe(top.totals.conversions);
    expect(parseShown(await page.locator('[data-kpi="paths"]').innerText())).toBe(top.totals.uniquePaths);
  }, TEST_TIMEOUT);

  it('follows fewer steps when the depth is lowered', async () => {
    const { page } = d;
    const answered = nextAnswer(page, 'flows', (q) => q.get('depth') === '2');
    await page.getByLabel('Flow depth').selectOption('2');
    const shallow = await apiLike<Flows>((await answered).url());
    expect(shallow.depth).toBe(2);
    await expect.poll(() => points(page, 'journey-flows')).toBe(shallow.links.length);
    expect(shallow.links.every((l) => !l.source.startsWith('3:'))).toBe(true);
    expect(new URL(page.url()).searchParams.get('depth')).toBe('2');
  }, TEST_TIMEOUT);

  it('lists the top paths to conversion and to no conversion as the API does', async () => {
    const { page } = d;
    await page.locator('table[data-table="paths-converting"] tbody tr').first().waitFor();
    expectPathsMatch(await readPaths(page, 'converting'), top.converting);
    await page.getByRole('radio', { name: 'To no conversion' }).check();
    await page.locator('table[data-table="paths-nonConverting"] tbody tr').first().waitFor();
    expectPathsMatch(await readPaths(page, 'nonConverting'), top.nonConverting);

    const answered = nextAnswer(page, 'top', (q) => q.get('limit') === '25');
    await page.getByLabel('Paths listed').selectOption('25');
    const more = await apiLike<TopPaths>((await answered).url());
    await expect.poll(async () => (await readPaths(page, 'nonConverting')).length).toBe(more.nonConverting.length);
    expectPathsMatch(await readPaths(page, 'nonConverting'), more.nonConverting);
  }, TEST_TIMEOUT);

  it('draws time and touches to convert with their median and 90th percentile', async () => {
    const { page } = d;
    expect(timing.journeys).toBeGreaterThan(0);
    expect(await chartPoints(page, 'time-to-convert')).toBe(timing.daysToConvert.histogram.length);
    expect(await chartPoints(page, 'touches-to-convert')).toBe(timing.touchesToConvert.histogram.length);
    const stat = (chart: string, which: string) => page.locator(`[data-stats="${chart}"] [data-stat="${which}"]`).innerText();
    const days = timing.daysToConvert;
    const touches = timing.touchesToConvert;
    // Shown to one decimal (of days, or of hours under a day).
    expect(Math.abs(parseStat(await stat('time-to-convert', 'median')) - days.median!)).toBeLessThanOrEqual(days.median! < 1 ? 0.05 / 24 + 1e-9 : 0.05 + 1e-9);
    expect(Math.abs(parseStat(await stat('time-to-convert', 'p90')) - days.p90!)).toBeLessThanOrEqual(days.p90! < 1 ? 0.05 / 24 + 1e-9 : 0.05 + 1e-9);
    expect(Math.abs(parseStat(await stat('touches-to-convert', 'median')) - touches.median!)).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(Math.abs(parseStat(await stat('touches-to-convert', 'p90')) - touches.p90!)).toBeLessThanOrEqual(0.05 + 1e-9);
  }, TEST_TIMEOUT);

  it('refetches every view with the lookback window', async () => {
    const { page } = d;
    const answers = (['top', 'flows', 'timing'] as const).map((e) => nextAnswer(page, e, (q) => q.get('lookback') === '7d'));
    await page.getByLabel('Lookback window').selectOption('7d');
    const [shortTop, shortFlows] = await Promise.all(answers.slice(0, 2).map(async (a) => apiLike<TopPaths & Flows>((await a).url())));
    await answers[2];
    await expect.poll(async () => parseShown(await page.locator('[data-kpi="paths"]').innerText())).toBe(shortTop.totals.uniquePaths);
    await expect.poll(() => points(page, 'journey-flows')).toBe(shortFlows.links.length);
  }, TEST_TIMEOUT);

  it('saves a screenshot, with no broken text and no failed calls', async () => {
    const { page } = d;
    await page.goto('/journeys?range=30d');
    await chartPoints(page, 'journey-flows');
    await chartPoints(page, 'time-to-convert');
    await chartPoints(page, 'touches-to-convert');
    await page.waitForTimeout(800); // the charts' entry animation
    await assertCleanText(page);
    await d.screenshot('journeys');
    expect(d.problems).toEqual([]);
  }, TEST_TIMEOUT);

  it('fits a phone screen without sideways scrolling of the page', async () => {
    await expectFitsPhone(d, 'journeys-phone', async (page) => {
      await page.goto('/journeys?range=30d');
      await chartPoints(page, 'journey-flows');
      await page.locator('table[data-table="paths-converting"]').waitFor();
      await page.waitForTimeout(800); // the charts' entry animation
    });
    expect(d.problems).toEqual([]);
  }, TEST_TIMEOUT);
});
