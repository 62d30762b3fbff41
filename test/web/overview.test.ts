import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { assertCleanText, chartPoints, expectFitsPhone, openDashboardForFile, type Dashboard } from '../helpers/browser.ts';

interface Report {
  from: string;
  to: string;
  totals: Record<string, number | null>;
  previous: { from: string; to: string; totals: Record<string, number | null> };
  series: Array<{ period: string } & Record<string, number | null>>;
  breakdown: Array<{ key: string } & Record<string, number | null>>;
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const CARDS = ['people', 'sessions', 'conversions', 'conversionRate', 'revenue', 'aov', 'spend', 'roas', 'cac', 'cpa'] as const;

/** A number as the page prints it ("$1,234", "4.94%", "12.59×", "$1.2M"), with half its last digit as tolerance. */
function parseShown(text: string): { value: number; tolerance: number } | null {
  const t = text.trim();
  if (t === '—') return null;
  const sign = t.startsWith('-') ? -1 : 1;
  const m = /^([\d,]+(?:\.(\d+))?)([KMB])?(%|×)?$/.exec(t.replace(/^-/, '').replace(/^\$/, ''));
  if (!m) throw new Error(`not a number: "${text}"`);
  const scale = { K: 1e3, M: 1e6, B: 1e9 }[m[3] as 'K' | 'M' | 'B'] ?? 1;
  const percent = m[4] === '%' ? 0.01 : 1;
  const digits = m[2]?.length ?? 0;
  return { value: sign * Number(m[1].replace(/,/g, '')) * scale * percent, tolerance: 0.5 * 10 ** -digits * scale * percent + 1e-9 };
}

async function cardText(page: Page, metric: string): Promise<string> {
  return page.locator(`[data-kpi="${metric}"] [data-value]`).innerText();
}

async function settled(page: Page): Promise<void> {
  await page.locator('section.overview[data-loading="false"] [data-kpi="people"]').waitFor({ timeout: 20_000 });
}

/** Asserts every card shows the API's total for the range (within its display rounding). */
async function expectCardsMatch(page: Page, report: Report): Promise<void> {
  for (const metric of CARDS) {
    const expected = report.totals[metric];
    await expect
      .poll(async () => {
        const shown = parseShown(await cardText(page, metric));
        if (expected === null) return shown === null;
        return shown !== null && Math.abs(shown.value - expected) <= shown.tolerance;
      }, { message: `card ${metric} shows ${expected}`, timeout: 15_000 })
      .toBe(true);
  }
}

/** The page's two requests: totals with the daily series, and spend and revenue by channel. */
const kpis = (d: Dashboard, from: string, to: string) => d.api<Report>(`/api/kpis?from=${from}&to=${to}&granularity=day`);
const byChannel = (d: Dashboard, from: string, to: string) => d.api<Report>(`/api/kpis?from=${from}&to=${to}&granularity=month&by=channel&metrics=spend,revenue,roas`);

const d = openDashboardForFile();

describe('overview page', () => {
  it('shows the API totals for the default 30 days, with changes on the previous period and sparklines', async () => {
    const { page } = d;
    await page.goto('/?range=30d');
    await settled(page);
    const to = isoDay(Date.now());
    const from = isoDay(Date.now() - 29 * DAY_MS);
    const report = await kpis(d, from, to);
    expect(report.totals.people).toBeGreaterThan(0);
    await expectCardsMatch(page, report);

    // The change of people is the API's, written as a percentage with its direction.
    const cur = report.totals.people!;
    const prev = report.previous.totals.people!;
    const change = (((cur - prev) / prev) * 100).toFixed(1);
    const people = page.locator('[data-kpi="people"] [data-change]');
    expect(await people.innerText()).toContain(`${cur > prev ? '+' : ''}${change}%`);
    expect(await people.getAttribute('data-change')).toBe(cur > prev ? 'up' : 'down');

    // A cost going up is bad news: CAC rising is coloured as a worsening, falling as an improvement.
    const cac = page.locator('[data-kpi="cac"] [data-change]');
    const cacDirection = await cac.getAttribute('data-change');
    if (cacDirection === 'up') expect(await cac.getAttribute('class')).toBe('change-down');
    if (cacDirection === 'down') expect(await cac.getAttribute('class')).toBe('change-up');

    const spark = Number(await page.locator('[data-kpi="revenue"] [data-sparkline]').getAttribute('data-points'));
    expect(spark).toBe(report.series.length);
    expect(await page.getByText(`${report.previous.from} – ${report.previous.to}`).count()).toBeGreaterThan(0);
  });

  it('draws conversions and revenue per day and spend vs revenue per channel', async () => {
    const { page } = d;
    const report = await kpis(d, isoDay(Date.now() - 29 * DAY_MS), isoDay(Date.now()));
    const channels = await byChannel(d, isoDay(Date.now() - 29 * DAY_MS), isoDay(Date.now()));
    // Two lines (conversions, revenue), one point per day.
    expect(await chartPoints(page, 'overview-trend')).toBe(report.series.length * 2);
    const money = channels.breakdown.filter((b) => b.key !== '(none)' && ((b.spend ?? 0) > 0 || (b.revenue ?? 0) > 0));
    expect(money.length).toBeGreaterThan(1);
    expect(await chartPoints(page, 'overview-channels')).toBe(money.length * 2);
    expect(await page.getByRole('heading', { name: 'Conversions and revenue per day' }).count()).toBe(1);
    await d.screenshot('overview');
    await assertCleanText(page);
  });

  it('changes every number and the URL when the preset changes to 7 days', async () => {
    const { page } = d;
    const before = await cardText(page, 'people');
    const calls: string[] = [];
    const onRequest = (request: { url(): string }) => {
      if (request.url().includes('/api/kpis')) calls.push(request.url());
    };
    page.on('request', onRequest);
    await page.locator('select[name="preset"]').selectOption('7d');
    await expect.poll(() => new URL(page.url()).searchParams.get('range')).toBe('7d');
    const report = await kpis(d, isoDay(Date.now() - 6 * DAY_MS), isoDay(Date.now()));
    await expectCardsMatch(page, report);
    await settled(page);
    page.off('request', onRequest);
    // The whole page is two requests: totals with the series, and money by channel.
    expect(calls).toHaveLength(2);
    expect(await cardText(page, 'people')).not.toBe(before);
    expect(await chartPoints(page, 'overview-trend')).toBe(14);
    await assertCleanText(page);
  });

  it('follows a custom range, drawn per week past 90 days', async () => {
    const { page } = d;
    const to = d.endDate;
    const from = isoDay(Date.parse(`${to}T00:00:00Z`) - 99 * DAY_MS);
    await page.locator('select[name="preset"]').selectOption('custom');
    await page.locator('input[name="from"]').fill(from);
    await page.locator('input[name="to"]').fill(to);
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => new URL(page.url()).search).toContain(`from=${from}`);
    expect(new URL(page.url()).searchParams.get('to')).toBe(to);
    const report = await kpis(d, from, to);
    await expectCardsMatch(page, report);
    await page.getByRole('heading', { name: 'Conversions and revenue per week' }).waitFor();
    const weeks = new Set(
      report.series.map((s) => {
        const ms = Date.parse(`${s.period.slice(0, 10)}T00:00:00Z`);
        return isoDay(ms - ((new Date(ms).getUTCDay() + 6) % 7) * DAY_MS);
      }),
    );
    await expect.poll(() => page.locator('[data-chart="overview-trend"]').getAttribute('data-points'), { timeout: 15_000 }).toBe(String(weeks.size * 2));
    await assertCleanText(page);
  });

  it('says what to do when the range holds no data', async () => {
    const { page } = d;
    await page.goto('/?range=custom&from=2001-01-01&to=2001-01-31');
    await page.locator('[data-state="empty"]').waitFor();
    expect(await page.locator('[data-state="empty"]').innerText()).toContain('/v1/track');
    await assertCleanText(page);
  });

  it('fits a phone screen without sideways scrolling', async () => {
    await expectFitsPhone(d, 'overview-phone', async (page) => {
      await page.goto('/?range=30d');
      await settled(page);
      await chartPoints(page, 'overview-trend');
    });
    expect(d.problems).toEqual([]);
  });
});
