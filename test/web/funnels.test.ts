import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { assertCleanText, chartPoints, expectFitsPhone, openDashboardForFile } from '../helpers/browser.ts';
import { decodeDraft, defaultDraft, draftSpec, encodeDraft, normalizeWindow, stepDraft, stepText } from '../../src/web/components/funnels-state.ts';

const d = openDashboardForFile();

interface Step {
  step: number;
  entered: number;
  dropped: number | null;
}
interface Report {
  entered: number;
  steps: Step[];
  breakdown: { groups: { value: string; entered: number }[] } | null;
}

/** The dashboard's "last 30 days" (ending today, UTC), as the page sends it. */
const DAY = 86_400_000;
/** The page refetches after each change; a busy machine can take seconds. */
const POLL = { timeout: 30_000 };
const today = new Date().toISOString().slice(0, 10);
const range = { from: new Date(Date.parse(today) - 29 * DAY).toISOString().slice(0, 10), to: today };

const funnelQuery = (steps: string[], extra: Record<string, string> = {}) => new URLSearchParams({ steps: steps.join(','), ...range, ...extra }).toString();
const numberIn = (text: string): number => Number(text.replace(/[^0-9.-]/g, ''));

/** Per-step counts as the steps table shows them. */
async function tableCounts(page: Page): Promise<number[]> {
  const cells = page.locator('[data-table="funnel-steps"] td[data-field="entered"]');
  return (await cells.allInnerTexts()).map(numberIn);
}

/** Waits until the steps table shows `n` steps with the given counts (the request is debounced). */
async function expectCounts(page: Page, counts: number[]): Promise<void> {
  await expect.poll(() => tableCounts(page), POLL).toEqual(counts);
  expect(Number(await page.locator('[data-steps]').getAttribute('data-steps'))).toBe(counts.length);
  // Two stacked series (reached, dropped before) of one bar per step.
  await expect.poll(() => page.locator('[data-chart="funnel"]').getAttribute('data-points'), POLL).toBe(String(counts.length * 2));
}

const SHOP = ['Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed'];
const BUILT = ["Product Viewed where properties.category = 'shoes'", 'Product Added', 'Order Completed'];

describe('funnels page', () => {
  it('starts from the shop funnel found in the event catalog, with the API’s counts', async () => {
    const { page } = d;
    await page.goto('/funnels?range=30d');
    await page.getByRole('heading', { level: 1, name: 'Funnels' }).waitFor();
    await chartPoints(page, 'funnel', 60_000);
    const catalog = await d.api<{ events: { step: string; count: number }[] }>(`/api/events/catalog?from=${range.from}&to=${range.to}`);
    for (const s of SHOP) expect(catalog.events.some((e) => e.step === s)).toBe(true);
    for (const [i, s] of SHOP.entries()) expect(await page.getByLabel(`Step ${i + 1}`, { exact: true }).inputValue()).toBe(s);
    // The step picker shows the catalog's counts.
    const viewed = catalog.events.find((e) => e.step === 'Product Viewed')!;
    expect(await page.getByLabel('Step 1', { exact: true }).locator('option:checked').innerText()).toContain(viewed.count.toLocaleString('en-US'));
    const api = await d.api<Report>(`/api/funnels?${funnelQuery(SHOP, { window: '7d' })}`);
    expect(api.entered).toBeGreaterThan(0);
    await expectCounts(page, api.steps.map((s) => s.entered));
    expect(numberIn(await page.locator('[data-kpi="entered"]').innerText())).toBe(api.entered);
  }, 90_000);

  it('builds a funnel: removes and reorders steps, filters step 1, sets the window; counts equal the API’s', async () => {
    const { page } = d;
    await page.getByRole('button', { name: 'Remove step 3', exact: true }).click();
    expect(await page.locator('.funnel-step').count()).toBe(3);
    // Reorder there and back: the order is what the selects show.
    await page.getByRole('button', { name: 'Move step 3 up' }).click();
    expect(await page.getByLabel('Step 2', { exact: true }).inputValue()).toBe('Order Completed');
    await page.getByRole('button', { name: 'Move step 2 down' }).click();
    expect(await page.getByLabel('Step 3', { exact: true }).inputValue()).toBe('Order Completed');
    const step1 = page.locator('.funnel-step[data-step="1"]');
    await step1.getByRole('button', { name: '+ Filter' }).click();
    await page.getByLabel('Property of step 1 filter 1').fill('category');
    await page.getByLabel('Operator of step 1 filter 1').selectOption('=');
    await page.getByLabel('Value of step 1 filter 1').fill('shoes');
    await page.getByLabel('Conversion window').selectOption('14d');
    const api = await d.api<Report>(`/api/funnels?${funnelQuery(BUILT, { window: '14d' })}`);
    expect(api.steps.length).toBe(3);
    expect(api.entered).toBeGreaterThan(0);
    await expectCounts(page, api.steps.map((s) => s.entered));
    // The definition is in the URL: a reload shows the same funnel.
    await page.reload();
    await expectCounts(page, api.steps.map((s) => s.entered));
    expect(await page.getByLabel('Value of step 1 filter 1').inputValue()).toBe('shoes');
    await assertCleanText(page);
  }, 90_000);

  it('lists the people who dropped after a step, as many as the API’s dropped list, each linking to People', async () => {
    const { page } = d;
    const api = await d.api<{ total: number; people: { personId: string }[]; nextCursor: string | null }>(`/api/funnels/dropped?${funnelQuery(BUILT, { window: '14d', step: '1', limit: '50' })}`);
    expect(api.total).toBeGreaterThan(0);
    await page.locator('[data-table="funnel-steps"] tr[data-step="1"]').getByRole('button').click();
    const panel = page.locator('[data-dropped-step="1"]');
    await panel.locator('[data-field="dropped-total"]').waitFor();
    expect(numberIn(await panel.locator('[data-field="dropped-total"]').innerText())).toBe(api.total);
    const rows = panel.locator('[data-table="funnel-dropped"] tbody tr');
    await expect.poll(() => rows.count(), POLL).toBe(api.people.length);
    expect(await rows.first().getByRole('link').getAttribute('href')).toBe(`/people/${encodeURIComponent(api.people[0].personId)}`);
    // The table's drop count is the report's.
    const report = await d.api<Report>(`/api/funnels?${funnelQuery(BUILT, { window: '14d' })}`);
    expect(numberIn((await page.locator('[data-table="funnel-steps"] tr[data-step="1"]').getByRole('button').innerText()).split('(')[0])).toBe(report.steps[0].dropped);
    if (api.nextCursor) {
      await panel.getByRole('button', { name: 'Show more' }).click();
      await expect.poll(() => rows.count(), POLL).toBe(Math.min(api.total, 100));
    }
    await panel.getByRole('button', { name: 'Close' }).click();
    expect(await page.locator('[data-dropped-step]').count()).toBe(0);

    // The red "dropped" segment above step 2's bar opens the same list: with 3 steps, bar 2 is
    // the middle of the plot, and its red part fills most of its height (most people dropped).
    expect(report.steps[1].entered / report.steps[0].entered).toBeLessThan(0.5);
    const chart = page.locator('[data-chart="funnel"]');
    await chart.scrollIntoViewIfNeeded();
    const box = (await chart.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2 + 12, box.y + box.height * 0.3);
    await page.locator('[data-dropped-step="1"] [data-field="dropped-total"]').waitFor();
    expect(numberIn(await page.locator('[data-dropped-step="1"] [data-field="dropped-total"]').innerText())).toBe(api.total);
    await page.locator('[data-dropped-step="1"]').getByRole('button', { name: 'Close' }).click();
  }, 90_000);

  it('breaks the funnel down by channel, as the API does', async () => {
    const { page } = d;
    await page.getByLabel('Breakdown').selectOption('channel');
    const api = await d.api<Report>(`/api/funnels?${funnelQuery(BUILT, { window: '14d', by: 'channel' })}`);
    expect(api.breakdown!.groups.length).toBeGreaterThan(1);
    await chartPoints(page, 'funnel-breakdown', 60_000);
    const rows = page.locator('[data-table="funnel-breakdown"] tbody tr');
    await expect.poll(() => rows.count(), POLL).toBe(api.breakdown!.groups.length);
    const top = api.breakdown!.groups[0];
    expect(await rows.first().locator('td').first().innerText()).toBe(top.value);
    expect(numberIn(await rows.first().locator('td').nth(1).innerText())).toBe(top.entered);
    await page.getByLabel('Breakdown').selectOption('');
    await expect.poll(() => page.locator('[data-chart="funnel-breakdown"]').count(), POLL).toBe(0);
  }, 90_000);

  it('saves the funnel, finds it after a reload, loads it and deletes it', async () => {
    const { page } = d;
    const name = `Shoes checkout ${Date.now()}`;
    await page.getByLabel('Funnel name').fill(name);
    await page.getByRole('button', { name: 'Save funnel' }).click();
    await page.locator(`[data-saved="${name}"]`).waitFor();
    const saved = await d.api<{ funnels: { name: string; definition: { steps: string[]; window: string } }[] }>('/api/funnels/saved');
    const mine = saved.funnels.find((f) => f.name === name)!;
    expect(mine.definition.steps).toEqual(BUILT);
    expect(mine.definition.window).toBe('14d');

    // After a reload, on a fresh default funnel, the saved one is listed and loads back.
    await page.goto('/funnels?range=30d');
    await page.locator(`[data-saved="${name}"]`).waitFor();
    expect(await page.locator('.funnel-step').count()).toBe(4);
    await page.getByRole('button', { name: `Load funnel ${name}` }).click();
    expect(await page.locator('.funnel-step').count()).toBe(3);
    expect(await page.getByLabel('Value of step 1 filter 1').inputValue()).toBe('shoes');
    expect(await page.getByLabel('Conversion window').inputValue()).toBe('14d');
    const api = await d.api<Report>(`/api/funnels?${funnelQuery(BUILT, { window: '14d' })}`);
    await expectCounts(page, api.steps.map((s) => s.entered));

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: `Delete funnel ${name}` }).click();
    await expect.poll(() => page.locator(`[data-saved="${name}"]`).count(), POLL).toBe(0);
    const after = await d.api<{ funnels: { name: string }[] }>('/api/funnels/saved');
    expect(after.funnels.some((f) => f.name === name)).toBe(false);
  }, 90_000);

  it('has clean text, no errors, and a screenshot', async () => {
    const { page } = d;
    await chartPoints(page, 'funnel', 60_000);
    await assertCleanText(page);
    await d.screenshot('funnels');
    expect(d.problems).toEqual([]);
  }, 90_000);

  it('lets a viewer read funnels but not save them or list people', async () => {
    const { token } = await d.server.access.createToken('funnels viewer', 'viewer');
    const context = await d.browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: d.server.url });
    try {
      const page = await context.newPage();
      await page.goto(`/#token=${token}`);
      await page.locator('nav[aria-label="Pages"]').waitFor({ timeout: 20_000 });
      await page.goto('/funnels?range=30d');
      await chartPoints(page, 'funnel', 60_000);
      expect(await page.getByRole('button', { name: 'Save funnel' }).count()).toBe(0);
      expect(await page.locator('.funnels-page').innerText()).toContain('Your role can load saved funnels but not save or delete them.');
      // Drop-offs read as numbers, not as buttons that would ask for people.
      expect(await page.locator('[data-table="funnel-steps"] button').count()).toBe(0);
      await assertCleanText(page);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('fits a phone screen without sideways scrolling', async () => {
    await expectFitsPhone(d, 'funnels-phone', async (page) => {
      await page.goto('/funnels?range=30d');
      await chartPoints(page, 'funnel', 60_000);
    });
  }, 90_000);
});

describe('funnel builder state', () => {
  const event = (type: 'track' | 'page' | 'screen', name: string | null, count: number) => ({ type, name, step: type === 'track' ? name! : name ? `${type}:${name}` : type, count, properties: [] });

  it('reads and writes steps in the API grammar, typing values as the user meant them', () => {
    const text = "Product Viewed where properties.category = 'shoes' and properties.price > 50";
    const draft = stepDraft(text)!;
    expect(draft).toEqual({ head: 'Product Viewed', filters: [{ key: 'category', op: '=', value: 'shoes' }, { key: 'price', op: '>', value: '50' }] });
    expect(stepText(draft)).toBe(text);
    expect(stepText({ head: 'page:Cart', filters: [{ key: 'vip', op: '=', value: 'true' }, { key: 'name', op: 'contains', value: "O'Neil" }, { key: '', op: '=', value: 'x' }, { key: 'y', op: '=', value: ' ' }] })).toBe(
      "page:Cart where properties.vip = true and properties.name contains 'O''Neil'",
    );
    expect(stepDraft('Product Viewed where category = 1')).toBeNull();
  });

  it('matches saved windows to the picker and round-trips a draft through the URL', () => {
    expect(['0.041666666666666664d', '7d', '2w', '5d', 'soon'].map(normalizeWindow)).toEqual(['1h', '7d', '14d', '5d', '7d']);
    const draft = { steps: [stepDraft("Product Viewed where properties.category = 'shoes'")!, stepDraft('Order Completed')!], window: '14d', mode: 'any' as const, countBy: 'session' as const, by: 'channel' };
    expect(decodeDraft(encodeDraft(draft))).toEqual(draft);
    expect(draftSpec(draft)).toEqual({ steps: ["Product Viewed where properties.category = 'shoes'", 'Order Completed'], window: '14d', mode: 'any', countBy: 'session', by: 'channel' });
    expect(draftSpec({ ...draft, steps: draft.steps.slice(0, 1) })).toBeNull();
    expect(decodeDraft('{not json')).toBeNull();
    expect(decodeDraft(JSON.stringify({ steps: 'A,B' }))).toBeNull();
  });

  it('starts from the shop funnel steps that exist, else the most frequent events', () => {
    const shop = [event('track', 'Ad Impression', 900), event('track', 'Order Completed', 10), event('track', 'Product Viewed', 500), event('track', 'Product Added', 50), event('page', 'Home', 800)];
    expect(defaultDraft(shop).steps.map((s) => s.head)).toEqual(['Product Viewed', 'Product Added', 'Order Completed']);
    const other = [event('track', 'Signed Up', 40), event('track', 'Invited', 20), event('track', 'Paid', 5), event('track', 'Churned', 1)];
    expect(defaultDraft(other).steps.map((s) => s.head)).toEqual(['Signed Up', 'Invited', 'Paid']);
    expect(defaultDraft([event('page', 'Home', 9), event('page', null, 3)]).steps.map((s) => s.head)).toEqual(['page:Home', 'page']);
  });
});
