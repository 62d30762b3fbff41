import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { assertCleanText, expectFitsPhone, openDashboardForFile } from '../helpers/browser.ts';

interface Identifier {
  kind: string;
  value: string;
  hashed: boolean;
}
interface Profile {
  personId: string;
  identifiers: Identifier[];
  events: number;
  sessions: number;
  touches: number;
  recentTouches: unknown[];
  traits: Record<string, unknown>;
  timeline: Array<{ messageId: string }>;
  nextCursor: string | null;
}
interface StoredEvent {
  messageId: string;
  type: string;
  userId: string | null;
  anonymousId: string | null;
  revenue: number | null;
  traits: Record<string, unknown> | null;
}
interface EventPage {
  total: number;
  events: StoredEvent[];
}

const d = openDashboardForFile();

const kpi = (page: Page, name: string) => page.locator(`[data-kpi="${name}"] .value`);
const shownNumber = async (page: Page, name: string): Promise<number> => Number((await kpi(page, name).innerText()).replace(/[^\d.]/g, ''));

/** Orders the way the page counts them: the default conversion's events under each raw id, once each. */
async function expectedOrders(profile: Profile): Promise<{ orders: number; revenue: number }> {
  const seen = new Map<string, StoredEvent>();
  for (const id of profile.identifiers.filter((i) => !i.hashed && (i.kind === 'user_id' || i.kind === 'anonymous_id'))) {
    const param = id.kind === 'user_id' ? 'userId' : 'anonymousId';
    const page = await d.api<EventPage>(`/api/events?${param}=${encodeURIComponent(id.value)}&event=Order%20Completed&limit=1000`);
    for (const e of page.events) seen.set(e.messageId, e);
  }
  return { orders: seen.size, revenue: [...seen.values()].reduce((a, e) => a + (e.revenue ?? 0), 0) };
}

async function search(page: Page, kind: string, value: string): Promise<void> {
  await page.getByLabel('Identifier', { exact: true }).selectOption({ label: kind });
  await page.getByLabel('Value', { exact: true }).fill(value);
  await page.getByRole('button', { name: 'Find person' }).click();
}

describe('People page', () => {
  it('finds a buyer by user id and shows the API profile: identifiers, touches, orders and a paged timeline', async () => {
    const { page } = d;
    const orders = await d.api<EventPage>('/api/events?event=Order%20Completed&limit=1000');
    const userId = orders.events.find((e) => e.userId)?.userId;
    expect(userId, 'the world has an order with a userId').toBeTruthy();
    const { personId } = await d.api<{ personId: string }>(`/api/people?userId=${encodeURIComponent(userId!)}`);
    const profile = await d.api<Profile>(`/api/people/${encodeURIComponent(personId)}?limit=50`);

    await page.goto('/people');
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
    await search(page, 'User ID', userId!);
    await page.waitForURL((url) => url.pathname === `/people/${encodeURIComponent(personId)}`);
    await page.locator(`[data-person="${personId}"]`).waitFor();

    expect(await shownNumber(page, 'identifiers')).toBe(profile.identifiers.length);
    expect(await page.locator('[data-table="identifiers"] tbody tr').count()).toBe(profile.identifiers.length);
    expect(await shownNumber(page, 'touches')).toBe(profile.touches);
    expect(await page.locator('[data-table="touches"] tbody tr').count()).toBe(profile.recentTouches.length);
    expect(await shownNumber(page, 'events')).toBe(profile.events);
    expect(await shownNumber(page, 'sessions')).toBe(profile.sessions);
    // Hashed identifiers are marked and never shown in the clear.
    expect(await page.locator('[data-table="identifiers"] .tag', { hasText: 'hashed' }).count()).toBe(profile.identifiers.filter((i) => i.hashed).length);

    const want = await expectedOrders(profile);
    expect(want.orders).toBeGreaterThan(0);
    await expect.poll(() => kpi(page, 'orders').innerText()).toBe(String(want.orders));
    expect(await shownNumber(page, 'revenue')).toBeCloseTo(want.revenue, 2);

    const items = page.locator('.timeline-item');
    expect(await items.count()).toBe(profile.timeline.length);
    if (profile.nextCursor) {
      const older = await d.api<Profile>(`/api/people/${encodeURIComponent(personId)}?limit=50&before=${profile.nextCursor}`);
      await page.getByRole('button', { name: 'Load older events' }).click();
      await expect.poll(() => items.count()).toBe(profile.timeline.length + older.timeline.length);
    }
    await assertCleanText(page);
    await d.screenshot('people');
  });

  it('finds the same person by e-mail and by phone (auto-detected), matched by hash', async () => {
    const { page } = d;
    const identifies = await d.api<EventPage>('/api/events?type=identify&limit=1000');
    const withPhone = identifies.events.find((e) => e.userId && typeof e.traits?.email === 'string' && typeof e.traits?.phone === 'string');
    expect(withPhone, 'an identify call with e-mail and phone').toBeTruthy();
    const email = String(withPhone!.traits!.email);
    const phone = String(withPhone!.traits!.phone);
    const { personId } = await d.api<{ personId: string }>(`/api/people?email=${encodeURIComponent(email)}`);

    await page.goto('/people');
    // Case and surrounding spaces do not matter for an e-mail.
    await search(page, 'Auto-detect', `  ${email.toUpperCase()} `);
    await page.waitForURL((url) => url.pathname === `/people/${encodeURIComponent(personId)}`);
    await page.locator(`[data-person="${personId}"]`).waitFor();
    const profile = await d.api<Profile>(`/api/people/${encodeURIComponent(personId)}?limit=50`);
    expect(await shownNumber(page, 'identifiers')).toBe(profile.identifiers.length);
    // Traits read as the API returns them (masked or not, as the role decides).
    const traits = page.getByRole('region', { name: 'Traits' });
    for (const [key, value] of Object.entries(profile.traits).filter(([, v]) => typeof v === 'string')) {
      expect(await traits.locator('.field-row', { has: page.locator('dt', { hasText: new RegExp(`^${key}$`) }) }).locator('dd').innerText()).toBe(value);
    }
    const consent = await d.server.api(`/api/people/${encodeURIComponent(personId)}/consent`);
    if (consent.ok) {
      const { purposes } = (await consent.json()) as { purposes: Record<string, { allowed: boolean }> };
      const shown = page.getByRole('region', { name: 'Consent' }).locator('.field-row');
      await expect.poll(() => shown.count()).toBe(Object.keys(purposes).length);
      for (const [purpose, decision] of Object.entries(purposes)) {
        expect(await shown.filter({ hasText: purpose }).innerText()).toContain(decision.allowed ? 'allowed' : 'not allowed');
      }
    } else {
      expect(await page.getByRole('region', { name: 'Consent' }).count()).toBe(0);
    }

    await search(page, 'Auto-detect', phone);
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/people/${encodeURIComponent(personId)}`);
    await page.locator(`[data-person="${personId}"]`).waitFor();
    expect(d.problems).toEqual([]);
  });

  it('shows a marketer the personal traits masked, as the API gives them to that role', async () => {
    const identifies = await d.api<EventPage>('/api/events?type=identify&limit=1000');
    const withEmail = identifies.events.find((e) => e.userId && typeof e.traits?.email === 'string')!;
    const email = String(withEmail.traits!.email);
    const { personId } = await d.api<{ personId: string }>(`/api/people?email=${encodeURIComponent(email)}`);
    await d.server.access.createToken('people marketer', 'marketer', 'trb_people_marketer_0001');
    const masked = (await (await fetch(`${d.server.url}/api/people/${encodeURIComponent(personId)}?limit=1`, { headers: { authorization: 'Bearer trb_people_marketer_0001' } })).json()) as Profile;
    expect(masked.traits.email).not.toBe(email);
    const context = await d.browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: d.server.url });
    try {
      const page = await context.newPage();
      await page.goto('/#token=trb_people_marketer_0001');
      await page.locator('nav[aria-label="Pages"]').waitFor();
      await page.goto('/people');
      await search(page, 'E-mail', email);
      await page.locator(`[data-person="${personId}"]`).waitFor();
      const emailRow = page.getByRole('region', { name: 'Traits' }).locator('.field-row', { has: page.locator('dt', { hasText: /^email$/ }) });
      expect(await emailRow.locator('dd').innerText()).toBe(masked.traits.email);
      expect(await page.locator('main').innerText()).not.toContain(email);
    } finally {
      await context.close();
    }
  });

  it('says plainly when nobody has the identifier, from a search or a link', async () => {
    const { page } = d;
    await page.goto('/people');
    await search(page, 'Auto-detect', 'nobody-at-all@example.com');
    const state = page.locator('[data-state="not-found"]');
    await state.waitFor();
    expect(await state.innerText()).toContain('No person has that identifier');

    await search(page, 'Auto-detect', 'no-such-user-id-xyz');
    await expect.poll(() => page.locator('[data-state="not-found"]').innerText()).toContain('no-such-user-id-xyz');

    await page.goto('/people/p_doesnotexist');
    await page.locator('[data-state="not-found"]').waitFor();
    expect(await page.locator('[data-state="not-found"]').innerText()).toContain('No person has that identifier');
    await assertCleanText(page);
    expect(d.problems).toEqual([]);
  });

  it('opens a person from the recently identified list', async () => {
    const { page } = d;
    await page.goto('/people');
    const row = page.locator('[data-table="recent-people"] tbody tr').first();
    const id = await row.locator('a').innerText();
    const kind = (await row.locator('td').nth(1).innerText()) === 'User ID' ? 'userId' : 'anonymousId';
    await row.locator('a').click();
    await page.waitForURL((url) => url.pathname.startsWith('/people/') && url.pathname.length > '/people/'.length);
    await page.locator('[data-person]').waitFor();
    const personId = await page.locator('[data-person]').getAttribute('data-person');
    const found = await d.api<{ personId: string }>(`/api/people?${kind}=${encodeURIComponent(id)}`);
    expect(personId).toBe(found.personId);
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const profile = await d.api<EventPage>('/api/events?event=Order%20Completed&limit=200');
    const userId = profile.events.find((e) => e.userId)!.userId!;
    const { personId } = await d.api<{ personId: string }>(`/api/people?userId=${encodeURIComponent(userId)}`);
    await expectFitsPhone(d, 'people-phone', async (page) => {
      await page.goto(`/people/${encodeURIComponent(personId)}`);
      await page.locator('.timeline-item').first().waitFor();
    });
    expect(d.problems).toEqual([]);
  });
});
