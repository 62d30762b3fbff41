import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCleanText, openDashboard, type Dashboard } from '../helpers/browser.ts';
import { readJson, TEST_ADMIN_TOKEN } from '../helpers/server.ts';

let d: Dashboard;
beforeAll(async () => {
  d = await openDashboard({ signIn: false });
}, 300_000);
afterAll(async () => {
  await d?.close();
});

describe('dashboard shell', () => {
  it('sends an unauthenticated visit to the login page, whatever page was asked for', async () => {
    const { page } = d;
    await page.goto('/channels?range=7d');
    await page.getByRole('heading', { name: 'Sign in to Tributary' }).waitFor();
    await page.locator('#email').waitFor();
    expect(await page.locator('nav[aria-label="Pages"]').count()).toBe(0);
    // The API itself refuses the page's data without the session cookie.
    const res = await page.request.get('/api/kpis');
    expect(res.status()).toBe(401);
    await d.screenshot('login');
  });

  it('says what was wrong with a bad token and signs in with a good one, back to the page asked for', async () => {
    const { page } = d;
    await page.goto('/channels?range=7d');
    await page.getByRole('radio', { name: 'API token' }).check();
    await page.locator('#token').fill('trb_wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('unknown or revoked token');
    await page.locator('#token').fill(TEST_ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('nav[aria-label="Pages"]').waitFor();
    expect(new URL(page.url()).pathname).toBe('/channels');
    expect(new URL(page.url()).searchParams.get('range')).toBe('7d');
    const cookies = await d.context.cookies();
    const session = cookies.find((c) => c.name === 'tributary_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Strict');
    expect(await page.evaluate('document.cookie')).not.toContain('tributary_session');
  });

  it('reaches every page from the navigation, keeping the date range, with no broken text', async () => {
    const { page } = d;
    const titles = ['Overview', 'Channels', 'Attribution', 'Journeys', 'Funnels', 'Retention', 'People', 'Data'];
    for (const title of titles) {
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: title }).click();
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      if (!['People', 'Data'].includes(title)) expect(new URL(page.url()).searchParams.get('range')).toBe('7d');
      await assertCleanText(page);
    }
    expect(d.problems).toEqual([]);
  });

  it('links to the API docs, which open in a new tab with the same session', async () => {
    const { page } = d;
    const [docs] = await Promise.all([d.context.waitForEvent('page'), page.getByRole('link', { name: 'API', exact: true }).click()]);
    await docs.locator('.opblock').first().waitFor({ timeout: 15_000 });
    expect(await docs.locator('.info .title').innerText()).toMatch(/^Tributary/);
    expect(await docs.locator('.opblock').count()).toBeGreaterThan(60);
    await docs.close();
  });

  it('signs out, and the session cookie no longer opens the API', async () => {
    const { page } = d;
    const cookie = (await d.context.cookies()).find((c) => c.name === 'tributary_session')!;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#email').waitFor();
    expect((await page.request.get('/api/kpis')).status()).toBe(401);
    // The old cookie value is dead on the server too, not just removed from the browser.
    const replay = await fetch(`${d.server.url}/api/kpis`, { headers: { cookie: `tributary_session=${cookie.value}` } });
    expect(replay.status).toBe(401);
  });

  it('signs a user in with e-mail and password, and says so plainly when the password is wrong', async () => {
    const { page } = d;
    await d.server.services.admin.addUser({ name: 'test' }, { email: 'viewer@example.com', role: 'viewer', password: 'viewer passphrase' });
    await page.goto('/');
    await page.locator('#email').fill('viewer@example.com');
    await page.locator('#password').fill('not the passphrase');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('wrong e-mail or password');
    await page.locator('#password').fill('viewer passphrase');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('nav[aria-label="Pages"]').waitFor();
    expect(await page.locator('.who').innerText()).toBe('viewer@example.com');
    // A viewer reads dashboards but not person-level data.
    expect((await page.request.get('/api/kpis')).status()).toBe(200);
    expect((await page.request.get('/api/events')).status()).toBe(403);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#email').waitFor();
  }, 90_000);

  it('serves the app for deep links and keeps API 404s as JSON', async () => {
    const html = await fetch(`${d.server.url}/journeys?range=90d`, { headers: { accept: 'text/html' } });
    expect(html.status).toBe(200);
    expect(html.headers.get('cache-control')).toBe('no-cache');
    expect(await html.text()).toContain('<div id="root">');
    const api = await d.server.api('/api/nope', { headers: { accept: 'text/html' } });
    expect(api.status).toBe(404);
    expect((await readJson(api)).error.code).toBe('not_found');
  });
});
