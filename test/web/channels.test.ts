import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { assertCleanText, chartPoints, expectFitsPhone, openDashboardForFile, type Dashboard } from '../helpers/browser.ts';

interface Row {
  key: string;
  [metric: string]: number | string | null;
}
interface Report {
  from: string;
  to: string;
  totals: Record<string, number | null>;
  breakdown: Row[];
  reconciliation: { breakdown: Array<{ metric: string; total: number; sum: number | null; reconciles: boolean }> };
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** A number as the page prints it ("$1,234", "4.94%", "12.59×"), null for "—". */
function parseShown(text: string): number | null {
  const t = text.trim();
  if (t === '—') return null;
  const sign = t.startsWith('-') ? -1 : 1;
  const m = /^([\d,]+(?:\.\d+)?)(%|×)?$/.exec(t.replace(/^-/, '').replace(/^\$/, ''));
  if (!m) throw new Error(`not a number: "${text}"`);
  return sign * Number(m[1].replace(/,/g, '')) * (m[2] === '%' ? 0.01 : 1);
}

const table = (page: Page) => page.locator('table[data-table="channels"]');

async function headers(page: Page): Promise<string[]> {
  return (await table(page).locator('thead th').allInnerTexts()).map((t) => t.replace(/[▲▼]/g, '').trim());
}

/** The table body as {key, column → text}. */
async function rows(page: Page): Promise<Array<Record<string, string>>> {
  const names = await headers(page);
  const out: Array<Record<string, string>> = [];
  for (const tr of await table(page).locator('tbody tr').all()) {
    const cells = await tr.locator('td').allInnerTexts();
    out.push(Object.fromEntries(cells.map((c, i) => [names[i], c.trim()])));
  }
  return out;
}

async function settled(page: Page): Promise<void> {
  await page.locator('section.channels[data-loading="false"] table[data-table="channels"] tbody tr').first().waitFor({ timeout: 20_000 });
}

const kpis = (d: Dashboard, from: string, to: string, by: string) => d.api<Report>(`/api/kpis?from=${from}&to=${to}&granularity=month&by=${by}`);
const last = (days: number) => [isoDay(Date.now() - (days - 1) * DAY_MS), isoDay(Date.now())] as const;

const d = openDashboardForFile();

describe('channels page', () => {
  it('lists every channel of the API breakdown with its numbers and the totals row', async () => {
    const { page } = d;
    await page.goto('/channels?range=30d');
    await settled(page);
    const report = await kpis(d, ...last(30), 'channel');
    const shown = await rows(page);
    expect(shown).toHaveLength(report.breakdown.length);
    // Sorted by revenue, largest first, at the start.
    const top = [...report.breakdown].sort((a, b) => (b.revenue as number) - (a.revenue as number))[0];
    expect(shown[0].Channel).toBe(top.key);
    for (const row of report.breakdown) {
      const line = shown.find((r) => r.Channel === row.key)!;
      expect(line, row.key).toBeDefined();
      expect(parseShown(line.People)).toBe(row.people);
      expect(parseShown(line.Conversions)).toBe(row.conversions);
      expect(Math.abs((parseShown(line.Revenue) ?? 0) - (row.revenue as number))).toBeLessThanOrEqual(0.5);
      const roas = parseShown(line.ROAS);
      if (row.roas === null) expect(roas).toBeNull();
      else expect(Math.abs(roas! - (row.roas as number))).toBeLessThanOrEqual(0.005);
    }
    const total = (await table(page).locator('tfoot tr[data-row="total"]').locator('th, td').allInnerTexts()).map((t) => t.trim());
    expect(total[0]).toBe('Total');
    expect(parseShown(total[1])).toBe(report.totals.people);
    expect(parseShown(total[3])).toBe(report.totals.conversions);
  });

  it('says which conversion rate it shows, and why the people column does not add up', async () => {
    const { page } = d;
    const report = await kpis(d, ...last(30), 'channel');
    expect(await page.locator('[data-note="conversion-rate"]').innerText()).toContain('people rate');
    const people = report.reconciliation.breakdown.find((l) => l.metric === 'people')!;
    expect(people.reconciles).toBe(false);
    const note = await page.locator('[data-note="reconciliation"]').innerText();
    expect(note).toContain(`adds up to ${people.sum!.toLocaleString('en-US')}`);
    expect(note).toContain(`${people.total.toLocaleString('en-US')} distinct people`);
  });

  it('sorts by a column, and reverses on a second click', async () => {
    const { page } = d;
    const report = await kpis(d, ...last(30), 'channel');
    const spendOrder = [...report.breakdown].sort((a, b) => (b.spend as number) - (a.spend as number));
    await table(page).getByRole('button', { name: 'Spend', exact: true }).click();
    await expect.poll(async () => (await rows(page))[0].Channel, { timeout: 15_000 }).toBe(spendOrder[0].key);
    expect(await table(page).locator('th[aria-sort="descending"]').innerText()).toContain('Spend');
    const spends = (await rows(page)).map((r) => parseShown(r.Spend) ?? -1);
    expect(spends).toEqual([...spends].sort((a, b) => b - a));
    await table(page).getByRole('button', { name: 'Spend', exact: true }).click();
    const ascending = (await rows(page)).map((r) => parseShown(r.Spend) ?? Infinity);
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    expect(await table(page).locator('th[aria-sort="ascending"]').innerText()).toContain('Spend');
  });

  it('draws a bar per channel and switches the charted metric', async () => {
    const { page } = d;
    const report = await kpis(d, ...last(30), 'channel');
    const withRevenue = report.breakdown.filter((r) => (r.revenue as number) > 0).length;
    expect(await chartPoints(page, 'channels-bars')).toBe(Math.min(12, withRevenue));
    await page.locator('select[name="chart-metric"]').selectOption('people');
    const withPeople = report.breakdown.filter((r) => (r.people as number) > 0).length;
    await expect.poll(() => page.locator('[data-chart="channels-bars"]').getAttribute('data-points'), { timeout: 15_000 }).toBe(String(Math.min(12, withPeople)));
    await d.screenshot('channels');
    await assertCleanText(page);
  });

  it('switches to campaigns and to source / medium, in the URL', async () => {
    const { page } = d;
    await page.getByLabel('Campaign', { exact: true }).check();
    await expect.poll(() => new URL(page.url()).searchParams.get('by')).toBe('campaign');
    const campaigns = await kpis(d, ...last(30), 'campaign');
    await expect.poll(async () => (await headers(page))[0], { timeout: 15_000 }).toBe('Campaign');
    await settled(page);
    expect(await rows(page)).toHaveLength(campaigns.breakdown.length);
    expect(new URL(page.url()).searchParams.get('range')).toBe('30d');

    await page.getByLabel('Source / medium', { exact: true }).check();
    await expect.poll(async () => (await headers(page))[0], { timeout: 15_000 }).toBe('Source / medium');
    await settled(page);
    const sources = await kpis(d, ...last(30), 'source_medium');
    expect(await rows(page)).toHaveLength(sources.breakdown.length);
    // Spend is kept per channel and campaign only: no spend columns, and the page says why.
    expect(await headers(page)).not.toContain('Spend');
    expect(await page.locator('[data-note="no-spend"]').innerText()).toContain('not broken down by source / medium');
    await assertCleanText(page);
  });

  it('follows the date range', async () => {
    const { page } = d;
    await page.goto('/channels?range=30d');
    await settled(page);
    await page.locator('select[name="preset"]').selectOption('7d');
    await expect.poll(() => new URL(page.url()).searchParams.get('range')).toBe('7d');
    const report = await kpis(d, ...last(7), 'channel');
    await expect
      .poll(async () => {
        const total = await table(page).locator('tfoot tr[data-row="total"] td').first().innerText();
        return parseShown(total);
      }, { timeout: 15_000 })
      .toBe(report.totals.people);
    await settled(page);
    expect(await rows(page)).toHaveLength(report.breakdown.length);
    await assertCleanText(page);
  });

  it('fits a phone screen without sideways scrolling', async () => {
    await expectFitsPhone(d, 'channels-phone', async (page) => {
      await page.goto('/channels?range=30d');
      await settled(page);
      await chartPoints(page, 'channels-bars');
    });
    expect(d.problems).toEqual([]);
  });
});
