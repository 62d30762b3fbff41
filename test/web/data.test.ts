import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { assertCleanText, expectFitsPhone, openDashboardForFile } from '../helpers/browser.ts';
import { basicAuth, startTestServer, TEST_ADMIN_TOKEN, TEST_WRITE_KEY } from '../helpers/server.ts';

interface Source {
  id: string;
  name: string;
  keyHint: string;
  revoked: boolean;
}
interface QuarantinePage {
  total: number;
  messages: Array<{ id: string; reason: string; payload: string | null }>;
}
interface ImportEntry {
  file: string;
  kind: string;
  read: number;
  stored: number;
  duplicates: number;
  rejected: number;
}

/** Fast enough for a test, slow enough to see the live refresh (every 3 s) at work. */
const ARRIVAL_MS = 12_000;

const d = openDashboardForFile({}, (opened) => opened.context.grantPermissions(['clipboard-read', 'clipboard-write']));
let writeKey = '';

const track = (key: string, body: Record<string, unknown>) =>
  fetch(`${d.server.url}/v1/track`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(key) }, body: JSON.stringify(body) });

const tableColumn = (page: Page, table: string, column: number) => page.locator(`[data-table="${table}"] tbody tr td:nth-child(${column})`).allInnerTexts();

async function openData(page: Page): Promise<void> {
  await page.goto('/data');
  await page.getByRole('heading', { level: 1, name: 'Data' }).waitFor();
  await page.locator('[data-table="sources"]').waitFor();
}

describe('Data page', () => {
  it('lists the sources the API has, with key hints only', async () => {
    const { page } = d;
    const { sources } = await d.api<{ sources: Source[] }>('/api/sources');
    await openData(page);
    expect(await tableColumn(page, 'sources', 1)).toEqual(sources.map((s) => s.name));
    expect(await tableColumn(page, 'sources', 3)).toEqual(sources.map((s) => s.keyHint));
    // No key is known for an existing source: the snippets say so and use a placeholder.
    expect(await page.locator('[data-key-hidden]').innerText()).toContain('stored only as hashes');
    expect(await page.locator('[data-snippet="curl"] code').innerText()).toContain(`curl -u '<WRITE_KEY>:' ${d.server.url}/v1/track`);
  });

  it('creates a source and shows its write key once, in every snippet, with copy to clipboard', async () => {
    const { page } = d;
    await page.getByLabel('New source name').fill('Checkout service');
    await page.getByRole('button', { name: 'Create source' }).click();
    const key = page.locator('[data-write-key]');
    await key.waitFor();
    writeKey = (await key.innerText()).trim();
    expect(writeKey).toMatch(/^wk_[A-Za-z0-9_-]{40,}$/);

    const { sources } = await d.api<{ sources: Source[] }>('/api/sources');
    const created = sources.find((s) => s.name === 'Checkout service');
    expect(created?.keyHint).toBe(`…${writeKey.slice(-4)}`);
    await expect.poll(() => tableColumn(page, 'sources', 1)).toEqual(sources.map((s) => s.name));

    for (const [tab, id, expected] of [
      ['curl', 'curl', `curl -u '${writeKey}:' ${d.server.url}/v1/track`],
      ['Node (Segment)', 'segment-node', `new Analytics({ writeKey: '${writeKey}', host: '${d.server.url}' })`],
      ['Node (RudderStack)', 'rudder-node', `new Analytics('${writeKey}', { dataPlaneUrl: '${d.server.url}' })`],
      ['Browser (analytics.js)', 'browser', `AnalyticsBrowser.load({ writeKey: '${writeKey}', cdnURL: '${d.server.url}' })`],
    ] as const) {
      await page.getByRole('tab', { name: tab }).click();
      expect(await page.locator(`[data-snippet="${id}"] code`).innerText()).toContain(expected);
    }
    await page.getByRole('button', { name: 'Copy the write key' }).click();
    await expect.poll(() => page.evaluate<string>('navigator.clipboard.readText()')).toBe(writeKey);
    await page.getByRole('button', { name: 'Copy the Browser (analytics.js) snippet' }).click();
    await expect.poll(() => page.evaluate<string>('navigator.clipboard.readText()')).toContain(writeKey);
    await assertCleanText(page);
    await d.screenshot('data');
  });

  it('shows an event sent with the new key in the live table, and holds it back while paused', async () => {
    const { page } = d;
    const userId = `data-page-${Date.now()}`;
    expect((await track(writeKey, { userId, event: 'Data Page Tested' })).status).toBe(200);
    const row = page.locator('[data-table="events"] tbody tr', { hasText: userId });
    await row.waitFor({ timeout: ARRIVAL_MS });
    expect(await row.innerText()).toContain('Data Page Tested');
    expect(await row.innerText()).toContain('Checkout service');

    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByText('Paused', { exact: true }).waitFor();
    const later = `${userId}-paused`;
    expect((await track(writeKey, { userId: later, event: 'While Paused' })).status).toBe(200);
    await page.waitForTimeout(7000);
    expect(await page.locator('[data-table="events"] tbody tr', { hasText: later }).count()).toBe(0);
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.locator('[data-table="events"] tbody tr', { hasText: later }).waitFor({ timeout: ARRIVAL_MS });

    // The id links to the person's profile.
    await page.locator('[data-table="events"]').getByRole('link', { name: userId, exact: true }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/people/') && url.pathname.length > '/people/'.length);
    await page.locator('[data-person]').waitFor();
    // The server links new ids in the background, so the person is whatever it answers now.
    const { personId } = await d.api<{ personId: string }>(`/api/people?userId=${encodeURIComponent(userId)}`);
    expect(await page.locator('[data-person]').getAttribute('data-person')).toBe(personId);
  }, 60_000);

  it('puts a bad event in the quarantine with its reason and the payload on demand', async () => {
    const { page } = d;
    const marker = `Missing Ids ${Date.now()}`;
    const res = await track(writeKey, { event: marker, properties: { plan: 'pro' } });
    expect(res.status).toBe(400);
    const quarantine = await d.api<QuarantinePage>('/api/quarantine?limit=25');
    const entry = quarantine.messages.find((m) => m.payload?.includes(marker));
    expect(entry?.reason).toBe('userId or anonymousId: one of them is required');

    await openData(page);
    const row = page.locator(`[data-quarantine-id="${entry!.id}"]`);
    await row.waitFor({ timeout: ARRIVAL_MS });
    expect(await row.locator('td').nth(2).innerText()).toBe('userId or anonymousId');
    expect(await row.locator('td').nth(3).innerText()).toBe('one of them is required');
    expect(Number(await page.locator('[data-quarantine-total]').getAttribute('data-quarantine-total'))).toBe(quarantine.total);
    await row.getByRole('button', { name: 'Show payload' }).click();
    const payload = page.locator(`#payload-${entry!.id}`);
    expect(await payload.innerText()).toContain(`"event": "${marker}"`);
    await row.getByRole('button', { name: 'Hide payload' }).click();
    expect(await payload.count()).toBe(0);

    // Downloaded to be fixed and imported again: the rejected message as it was sent.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download all as NDJSON' }).click()]);
    expect(download.suggestedFilename()).toBe('rejected-messages.ndjson');
    const lines = fs.readFileSync((await download.path())!, 'utf8').trimEnd().split('\n').map((l: string) => JSON.parse(l));
    expect(lines).toContainEqual(expect.objectContaining({ event: marker, properties: { plan: 'pro' } }));

    // Deleting asks first, saying how many go; once confirmed the quarantine is empty.
    let question = '';
    page.once('dialog', (dialog) => {
      question = dialog.message();
      void dialog.accept();
    });
    await page.getByRole('button', { name: 'Delete all rejected messages' }).click();
    await page.getByText('Nothing rejected').waitFor({ timeout: ARRIVAL_MS });
    expect(question).toBe(`Delete all ${quarantine.total} rejected messages? They cannot be imported again afterwards: download them first to keep them.`);
    expect((await d.api<QuarantinePage>('/api/quarantine?limit=1')).total).toBe(0);
  });

  it('lists the import history as the API has it, with where the rejects are', async () => {
    const { page } = d;
    const { imports } = await d.api<{ imports: ImportEntry[] }>('/api/imports');
    expect(imports.length).toBeGreaterThan(0);
    const rows = page.locator('[data-table="imports"] tbody tr');
    await expect.poll(() => rows.count()).toBe(imports.length);
    const num = (s: string) => Number(s.replace(/,/g, ''));
    for (const [i, entry] of imports.entries()) {
      const cells = await rows.nth(i).locator('td').allInnerTexts();
      expect(cells[2]).toBe(entry.file);
      expect([num(cells[4]), num(cells[5]), num(cells[6]), num(cells[7])]).toEqual([entry.read, entry.stored, entry.duplicates, entry.rejected]);
      if (entry.rejected === 0) expect(cells[8]).toBe('none');
      else if (entry.kind === 'spend') expect(cells[8]).toContain(`${entry.file}.rejects.ndjson`);
      else expect(cells[8]).toContain(`quarantine (origin import:${entry.file})`);
    }
  });

  it('forgets the key when the page is left: a reload shows the placeholder again', async () => {
    const { page } = d;
    await openData(page);
    await page.getByLabel('Source', { exact: true }).selectOption({ label: `Checkout service (…${writeKey.slice(-4)})` });
    expect(await page.locator('[data-snippet="curl"] code').innerText()).toContain("curl -u '<WRITE_KEY>:'");
    expect(await page.locator('main').innerText()).not.toContain(writeKey);
    await assertCleanText(page);
    expect(d.problems).toEqual([]);
  });

  it('rotates a key (the old one stops working) and revokes a source, each after a confirmation', async () => {
    const { page } = d;
    const dialogs: string[] = [];
    const accept = (dialog: import('playwright-core').Dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    };
    page.on('dialog', accept);
    try {
      await openData(page);
      await page.getByRole('button', { name: 'Rotate the write key of Checkout service' }).click();
      const key = page.locator('[data-write-key]');
      await key.waitFor();
      const rotated = (await key.innerText()).trim();
      expect(rotated).not.toBe(writeKey);
      expect(await page.locator('[data-snippet="curl"] code').innerText()).toContain(`curl -u '${rotated}:'`);
      expect((await track(writeKey, { userId: 'rotation-test', event: 'Old Key' })).status).toBe(401);
      expect((await track(rotated, { userId: 'rotation-test', event: 'New Key' })).status).toBe(200);

      await page.getByRole('button', { name: 'Revoke Checkout service' }).click();
      await expect.poll(async () => (await d.api<{ sources: Source[] }>('/api/sources')).sources.find((s) => s.name === 'Checkout service')?.revoked).toBe(true);
      const row = page.locator('[data-table="sources"] tbody tr', { hasText: 'Checkout service' });
      await expect.poll(() => row.locator('.tag').innerText()).toBe('revoked');
      expect((await track(rotated, { userId: 'rotation-test', event: 'Revoked Key' })).status).toBe(401);
      expect(dialogs).toHaveLength(2);
      expect(dialogs[0]).toContain('stops working at once');
    } finally {
      page.off('dialog', accept);
    }
  });

  it('tells a new user how to send a first event, then shows it', async () => {
    const empty = await startTestServer();
    const context = await d.browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: empty.url });
    try {
      const page = await context.newPage();
      page.on('pageerror', (err) => d.problems.push(`page error: ${err.message}`));
      await page.goto(`/#token=${TEST_ADMIN_TOKEN}`);
      await page.locator('nav[aria-label="Pages"]').waitFor();
      await openData(page);
      const first = page.locator('[data-state="empty"]', { hasText: 'No events yet' });
      await first.waitFor();
      expect(await first.innerText()).toContain(`curl -u '<WRITE_KEY>:' ${empty.url}/v1/track`);
      await page.locator('[data-state="empty"]', { hasText: 'Nothing rejected' }).waitFor();
      await page.locator('[data-state="empty"]', { hasText: 'No imports yet' }).waitFor();
      await assertCleanText(page);
      await d.screenshot('data-empty', page);

      expect((await fetch(`${empty.url}/v1/track`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(TEST_WRITE_KEY) }, body: JSON.stringify({ userId: 'first-user', event: 'Signed Up' }) })).status).toBe(200);
      await page.locator('[data-table="events"] tbody tr', { hasText: 'first-user' }).waitFor({ timeout: ARRIVAL_MS });

      await page.goto('/people');
      await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
      await page.locator('[data-state="empty"]', { hasText: 'Nobody has been identified yet' }).waitFor();
    } finally {
      await context.close();
      await empty.stop();
    }
  });

  it('fits a phone screen without sideways scrolling', async () => {
    await expectFitsPhone(d, 'data-phone', async (page) => {
      await openData(page);
      await page.locator('[data-table="events"]').waitFor();
      await page.locator('[data-table="imports"]').waitFor();
    });
    expect(d.problems).toEqual([]);
  });
});
