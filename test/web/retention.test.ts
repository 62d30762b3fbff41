import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { assertCleanText, chartPoints, expectFitsPhone, openDashboardForFile } from '../helpers/browser.ts';

const d = openDashboardForFile();

interface Report {
  conversion: string;
  periods: number;
  cohorts: { cohort: string; size: number; values: number[] }[];
}

/** The dashboard's "last 90 days" (ending today, UTC), as the page sends it. */
const DAY = 86_400_000;
/** The page refetches after each change; a busy machine can take seconds. */
const POLL = { timeout: 30_000 };
const today = new Date().toISOString().slice(0, 10);
const range = { from: new Date(Date.parse(today) - 89 * DAY).toISOString().slice(0, 10), to: today };
const retention = (extra: Record<string, string> = {}) => d.api<Report>(`/api/retention?${new URLSearchParams({ ...range, ...extra })}`);
const numberIn = (text: string): number => Number(text.replace(/[^0-9.-]/g, ''));
const cells = (r: Report) => r.cohorts.reduce((n, c) => n + c.values.length, 0);

/** Cohort sizes as the table shows them (sorted by cohort, oldest first, like the API). */
async function tableSizes(page: Page): Promise<number[]> {
  return (await page.locator('[data-table="retention"] tbody tr td:nth-child(2)').allInnerTexts()).map(numberIn);
}

async function expectMatches(page: Page, api: Report): Promise<void> {
  await expect.poll(() => page.locator('[data-chart="retention"]').getAttribute('data-points'), POLL).toBe(String(cells(api)));
  await expect.poll(() => tableSizes(page), POLL).toEqual(api.cohorts.map((c) => c.size));
}

describe('retention page', () => {
  it('draws the weekly cohort heatmap with the API’s cells and cohort sizes', async () => {
    const { page } = d;
    await page.goto('/retention?range=90d');
    await page.getByRole('heading', { level: 1, name: 'Retention' }).waitFor();
    const points = await chartPoints(page, 'retention', 60_000);
    const api = await retention();
    expect(api.cohorts.length).toBeGreaterThan(4);
    expect(api.cohorts.some((c) => c.size > 0)).toBe(true);
    expect(points).toBe(cells(api));
    await expectMatches(page, api);
    // The heatmap's row label carries the size too, and the summary the total.
    const people = api.cohorts.reduce((s, c) => s + c.size, 0);
    expect(await page.locator('[data-field="retention-summary"]').innerText()).toContain(`${people.toLocaleString('en-US')} people`);
    expect(await page.locator('[data-field="retention-summary"]').innerText()).toContain(api.conversion);
  }, 90_000);

  it('switches to monthly cohorts of first visits and the share returning, as the API answers', async () => {
    const { page } = d;
    await page.getByRole('combobox', { name: 'Cohorts by', exact: true }).selectOption('month');
    await expectMatches(page, await retention({ cohort: 'month' }));
    await page.getByRole('combobox', { name: 'People join a cohort at', exact: true }).selectOption('first_seen');
    await page.getByRole('combobox', { name: 'Show', exact: true }).selectOption('active');
    const api = await retention({ cohort: 'month', anchor: 'first_seen', measure: 'active' });
    await expectMatches(page, api);
    expect(new URL(page.url()).searchParams.get('measure')).toBe('active');
    // Period 1 of the oldest cohort reads as the API's share.
    const first = page.locator('[data-table="retention"] tbody tr').first();
    expect(await first.locator('td').nth(3).innerText()).toBe(`${(api.cohorts[0].values[1] * 100).toFixed(1)}%`);
    // The conversion picker only matters when a conversion is counted.
    expect(await page.getByRole('combobox', { name: 'Conversion', exact: true }).count()).toBe(0);
  }, 90_000);

  it('shows revenue per member in money', async () => {
    const { page } = d;
    await page.getByRole('combobox', { name: 'People join a cohort at', exact: true }).selectOption('first_conversion');
    await page.getByRole('combobox', { name: 'Show', exact: true }).selectOption('revenue');
    const api = await retention({ cohort: 'month', measure: 'revenue' });
    // Cell counts and cohort sizes are the same for every measure: wait for the money itself.
    await expect.poll(() => page.locator('[data-table="retention"] tbody tr').first().locator('td').nth(2).innerText(), POLL).toMatch(/^\$/);
    await expectMatches(page, api);
    await page.getByRole('combobox', { name: 'Show', exact: true }).selectOption('repeat_purchase');
    await page.getByRole('combobox', { name: 'Cohorts by', exact: true }).selectOption('week');
    await expectMatches(page, await retention());
  }, 90_000);

  it('has clean text, no errors, and a screenshot', async () => {
    const { page } = d;
    await assertCleanText(page);
    await d.screenshot('retention');
    expect(d.problems).toEqual([]);
  }, 90_000);

  it('fits a phone screen without sideways scrolling', async () => {
    await expectFitsPhone(d, 'retention-phone', async (page) => {
      await page.goto('/retention?range=90d');
      await chartPoints(page, 'retention', 60_000);
    });
  }, 90_000);
});
