import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { loadConfig } from '../../src/config/index.ts';
import { startServer, type RunningServer } from '../../src/server/index.ts';
import { makeTestDataDir, readJson, removeTestDataDir, send, TEST_ADMIN_TOKEN, TEST_WRITE_KEY } from '../helpers/server.ts';
import { runCli } from '../helpers/cli.ts';

/**
 * Exports over real HTTP, on a hand-made world whose figures are counted here:
 *
 * - Email: 6 visitors, one of whom refused analytics → 5 people in the KPIs (kept at k = 5);
 * - Paid Social: 4 visitors → suppressed;
 * - Paid Search: 6 visitors, two of whom order (30 and 45), one (not a customer) refused
 *   advertising — still counted by the KPIs, but left out of audience exports.
 *
 * Every visitor signs in (identify with e-mail and phone traits) 30 s after landing.
 */
const DAY0 = Date.UTC(2025, 3, 7); // Monday 2025-04-07
const iso = (ms: number): string => new Date(ms).toISOString();
const RANGE = 'from=2025-04-07&to=2025-04-13';

interface Visitor {
  readonly n: number;
  readonly channel: 'Email' | 'Paid Social' | 'Paid Search';
  readonly landing: number;
  readonly order: number | null;
  readonly consent: Record<string, boolean> | null;
}

const UTM: Record<Visitor['channel'], string> = {
  Email: 'utm_source=newsletter&utm_medium=email&utm_campaign=weekly',
  'Paid Social': 'utm_source=facebook&utm_medium=paid_social&utm_campaign=spring',
  'Paid Search': 'utm_source=google&utm_medium=cpc&utm_campaign=brand',
};

const visitors: Visitor[] = [];
const add = (channel: Visitor['channel'], count: number, extra: (i: number) => Partial<Visitor> = () => ({})) => {
  for (let i = 0; i < count; i++) {
    const n = visitors.length + 1;
    visitors.push({ n, channel, landing: DAY0 + (n % 6) * 86_400_000 + (8 + n) * 3_600_000, order: null, consent: null, ...extra(i) });
  }
};
add('Email', 6, (i) => (i === 0 ? { consent: { Analytics: false } } : {}));
add('Paid Social', 4);
add('Paid Search', 6, (i) => (i === 0 ? { order: 30 } : i === 1 ? { order: 45 } : i === 2 ? { consent: { Advertising: false } } : {}));

const email = (v: Visitor) => `person${v.n}@example.com`;
const phone = (v: Visitor) => `+1415555${String(v.n).padStart(4, '0')}`;
const lastSeen = (v: Visitor) => v.landing + (v.order === null ? 30_000 : 300_000);

function messagesOf(v: Visitor): Record<string, unknown>[] {
  const context = { page: { url: `https://shop.example.com/?${UTM[v.channel]}` }, ...(v.consent ? { consent: { categoryPreferences: v.consent } } : {}) };
  const out: Record<string, unknown>[] = [
    { type: 'page', anonymousId: `a${v.n}`, timestamp: iso(v.landing), messageId: `m${v.n}-1`, context },
    { type: 'identify', anonymousId: `a${v.n}`, userId: `u${v.n}`, traits: { email: email(v), phone: phone(v), plan: 'pro' }, timestamp: iso(v.landing + 30_000), messageId: `m${v.n}-2` },
  ];
  if (v.order !== null) {
    out.push({ type: 'track', userId: `u${v.n}`, event: 'Order Completed', properties: { revenue: v.order }, timestamp: iso(v.landing + 300_000), messageId: `m${v.n}-3` });
  }
  return out;
}

const dataDir = makeTestDataDir();
let server: RunningServer;
const tokens = new Map<string, string>();
const personIds = new Map<number, string>();

function api(p: string, role = 'admin'): Promise<Response> {
  return fetch(server.url + p, { headers: { authorization: `Bearer ${role === 'admin' ? TEST_ADMIN_TOKEN : tokens.get(role)}` } });
}
async function json(p: string, role = 'admin') {
  const res = await api(p, role);
  expect(res.status, p).toBe(200);
  return readJson(res);
}
const parseCsv = (text: string): Record<string, string>[] => parse(text, { columns: true, skip_empty_lines: true });

beforeAll(async () => {
  // announce (the default) writes server.json, so the CLI goes through this server.
  server = await startServer(loadConfig({ dataDir, port: 0, logLevel: 'silent', writeKey: TEST_WRITE_KEY, adminToken: TEST_ADMIN_TOKEN }, {}), { processingIntervalMs: 60_000 });
  expect((await send(server, '/v1/batch', { batch: visitors.flatMap(messagesOf) })).status).toBe(200);
  await server.processNow();
  for (const role of ['analyst', 'marketer', 'viewer']) tokens.set(role, (await server.access.createToken(`${role} token`, role)).token);
  for (const v of visitors) personIds.set(v.n, (await json(`/api/people?userId=u${v.n}`)).personId);
});
afterAll(async () => {
  await server?.close();
  removeTestDataDir(dataDir);
});

describe('GET /api/kpis/export.csv', () => {
  it('answers one row per key with the numbers of /api/kpis, and suppresses the group of 4 people', async () => {
    const res = await api(`/api/kpis/export.csv?${RANGE}&by=channel`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="kpis-channel-2025-04-07-2025-04-13.csv"');
    expect(res.headers.get('x-tributary-suppressed-groups')).toBe('1');
    expect(res.headers.get('x-tributary-min-group-size')).toBe('5');
    const rows = parseCsv(await res.text());
    // Hand count: Email 6 − 1 (refused analytics) = 5 people, kept; Paid Search 6 people, 2 orders worth 75.
    expect(rows.map((r) => r.channel)).toEqual(['Email', 'Paid Search', '(suppressed: 1 group under 5 people)']);
    expect(rows[0]).toMatchObject({ people: '5', sessions: '5', conversions: '0' });
    expect(rows[1]).toMatchObject({ people: '6', sessions: '6', conversions: '2', revenue: '75', convertingPeople: '2' });
    expect(Object.values(rows[2]).slice(1).every((v) => v === '')).toBe(true);

    const doc = await json(`/api/kpis?${RANGE}&by=channel`);
    expect(doc.breakdown.map((b: { key: string }) => b.key)).toEqual(['Email', 'Paid Search', 'Paid Social']);
    expect(doc.breakdown[2].people).toBe(4);
    for (const row of rows.slice(0, 2)) {
      const api = doc.breakdown.find((b: { key: string }) => b.key === row.channel);
      for (const metric of doc.metrics) expect(row[metric] === '' ? null : Number(row[metric]), `${row.channel} ${metric}`).toBe(api[metric]);
    }
    expect(Object.keys(rows[0])).toEqual(['channel', ...doc.metrics]);
  });

  it('exports the asked metrics only, as JSON too, and needs a breakdown', async () => {
    const doc = await json(`/api/kpis/export.csv?${RANGE}&by=campaign&metrics=sessions,revenue&format=json`);
    expect(doc).toMatchObject({ by: 'campaign', from: '2025-04-07', to: '2025-04-13', minGroupSize: 5, suppressedGroups: 1, metrics: ['sessions', 'revenue'] });
    expect(doc.rows).toEqual([
      { key: 'brand', sessions: 6, revenue: 75 },
      { key: 'weekly', sessions: 5, revenue: 0 },
    ]);
    for (const query of [RANGE, `${RANGE}&by=none`]) {
      const res = await api(`/api/kpis/export.csv?${query}`);
      expect(res.status).toBe(400);
      expect((await readJson(res)).error.message).toMatch(/^by: required/);
    }
    expect((await api(`/api/kpis/export.csv?${RANGE}&by=channel&format=xml`)).status).toBe(400);
    // Every role may export aggregates.
    expect((await api(`/api/kpis/export.csv?${RANGE}&by=channel`, 'viewer')).status).toBe(200);
  });
});

describe('GET /api/audiences/export.csv', () => {
  const paidSearch = () => visitors.filter((v) => v.channel === 'Paid Search');
  const allowed = (v: Visitor) => v.consent?.Advertising !== false;

  it('exports the people of a channel whose consent allows it, and says how many were left out', async () => {
    const res = await api(`/api/audiences/export.csv?${RANGE}&channel=paid%20search`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-tributary-left-out')).toBe('1');
    const rows = parseCsv(await res.text());
    const expected = paidSearch()
      .filter(allowed)
      .map((v) => ({
        personId: personIds.get(v.n)!,
        firstSeen: iso(v.landing),
        lastSeen: iso(lastSeen(v)),
        channels: 'Paid Search',
        conversions: v.order === null ? '0' : '1',
        revenue: String(v.order ?? 0),
      }))
      .sort((a, b) => (a.personId < b.personId ? -1 : 1));
    expect(rows).toEqual(expected);
    const doc = await json(`/api/audiences/export.csv?${RANGE}&channel=Paid%20Search&format=json`);
    expect(doc).toMatchObject({ count: 5, leftOut: 1, pii: false, from: '2025-04-07', to: '2025-04-13', filter: { channel: 'Paid Search', converted: null, funnel: null } });
    expect(doc.people.map((p: { personId: string }) => p.personId)).toEqual(expected.map((e) => e.personId));
  });

  it('filters by conversion in the range', async () => {
    const converted = await json(`/api/audiences/export.csv?${RANGE}&converted=true&format=json`);
    expect(converted.people.map((p: { personId: string; revenue: number }) => [p.personId, p.revenue]).sort()).toEqual(
      paidSearch()
        .filter((v) => v.order !== null)
        .map((v) => [personIds.get(v.n), v.order])
        .sort(),
    );
    const notConverted = await json(`/api/audiences/export.csv?${RANGE}&channel=Paid%20Search&converted=false&format=json`);
    expect(notConverted).toMatchObject({ count: 3, leftOut: 1 });
    // Everyone active in the range: 16 visitors, the one who refused advertising left out (refusing analytics does not stop an export).
    expect(await json(`/api/audiences/export.csv?${RANGE}&format=json`)).toMatchObject({ count: 15, leftOut: 1 });
  });

  it('exports the people who dropped at a step of a saved funnel, as the funnel counts them', async () => {
    const save = await fetch(`${server.url}/api/funnels/saved`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'visit-to-order', definition: { steps: ['page', 'Order Completed'], window: '7d' } }),
    });
    expect(save.status).toBe(200);
    const doc = await json(`/api/audiences/export.csv?${RANGE}&funnel=visit-to-order&step=1&format=json`);
    // 16 visitors − 2 customers − 1 who refused analytics (the funnel does not count them) = 13; 1 refused advertising.
    const dropped = visitors.filter((v) => v.order === null && v.consent?.Analytics !== false);
    expect(doc).toMatchObject({ count: dropped.length - 1, leftOut: 1, filter: { funnel: { name: 'visit-to-order', step: 1 } } });
    expect(doc.people.map((p: { personId: string }) => p.personId).sort()).toEqual(dropped.filter(allowed).map((v) => personIds.get(v.n)).sort());
    const bad = await api(`/api/audiences/export.csv?funnel=visit-to-order`);
    expect(bad.status).toBe(400);
    expect((await readJson(bad)).error.message).toMatch(/^step: funnel and step go together/);
    expect((await api(`/api/audiences/export.csv?funnel=visit-to-order&step=2`)).status).toBe(400);
  });

  it('adds e-mail and phone only when asked and the role may read personal data', async () => {
    const plain = await api(`/api/audiences/export.csv?${RANGE}&channel=Email`, 'marketer');
    expect(plain.status).toBe(200);
    const header = (await plain.text()).split('\n')[0];
    expect(header).toBe('personId,firstSeen,lastSeen,channels,conversions,revenue');

    const refused = await api(`/api/audiences/export.csv?${RANGE}&channel=Email&include=pii`, 'marketer');
    expect(refused.status).toBe(403);
    expect((await readJson(refused)).error.message).toBe(
      'include=pii: the marketer role may not export personal data (needs pii:read); ask without include=pii to export the audience without e-mail and phone',
    );
    expect((await api(`/api/audiences/export.csv?${RANGE}`, 'viewer')).status).toBe(403);

    for (const role of ['analyst', 'admin']) {
      const res = await api(`/api/audiences/export.csv?${RANGE}&channel=Email&include=pii`, role);
      expect(res.status, role).toBe(200);
      const rows = parseCsv(await res.text());
      const expected = visitors.filter((v) => v.channel === 'Email').map((v) => ({ personId: personIds.get(v.n), email: email(v), phone: phone(v) }));
      expect(rows.map((r) => ({ personId: r.personId, email: r.email, phone: r.phone })).sort((a, b) => (a.personId < b.personId ? -1 : 1))).toEqual(
        expected.sort((a, b) => (a.personId! < b.personId! ? -1 : 1)),
      );
    }
  });

  it('audits every export (the refused one too) without naming anyone', async () => {
    const { entries } = await json('/api/audit?action=export&limit=100');
    const audience = entries.filter((e: { action: string }) => e.action === 'export.audience');
    const kpis = entries.filter((e: { action: string }) => e.action === 'export.kpis');
    expect(kpis.length).toBe(3);
    expect(kpis.at(-1)).toMatchObject({ actor: 'admin', target: 'by=channel', outcome: 'ok', details: { rows: 2, suppressedGroups: 1, minGroupSize: 5, format: 'csv' } });
    const denied = audience.filter((e: { outcome: string }) => e.outcome === 'denied');
    expect(denied).toEqual([expect.objectContaining({ actor: 'marketer token', target: 'channel=Email', details: { pii: true } })]);
    const withPii = audience.filter((e: { details: { pii: boolean }; outcome: string }) => e.outcome === 'ok' && e.details.pii);
    expect(withPii.map((e: { actor: string }) => e.actor).sort()).toEqual(['admin', 'analyst token']);
    expect(audience.find((e: { target: string }) => e.target === 'channel=Paid Search converted=false')).toMatchObject({ details: { people: 3, leftOut: 1, pii: false } });
    const text = JSON.stringify(entries);
    for (const id of personIds.values()) expect(text).not.toContain(id);
    expect(text).not.toContain('@example.com');
  });
});

describe('tributary export', () => {
  it('writes the same CSV and JSON through the server, and from the file when no server runs', async () => {
    const out = path.join(dataDir, 'kpis.csv');
    const viaHttp = await (await api(`/api/kpis/export.csv?${RANGE}&by=channel`)).text();
    const kpis = await runCli('export', 'kpis', '--data', dataDir, '--by', 'channel', '--from', '2025-04-07', '--to', '2025-04-13', '--out', out);
    expect(kpis.code, kpis.stderr).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(viaHttp);
    expect(kpis.stderr).toContain('exported 2 channel rows to');
    expect(kpis.stderr).toContain('(suppressed: 1 group under 5 people)');

    const audienceArgs = ['export', 'audience', '--data', dataDir, '--from', '2025-04-07', '--to', '2025-04-13', '--channel', 'Paid Search', '--include-pii', '--json'];
    const audience = await runCli(...audienceArgs);
    expect(audience.code, audience.stderr).toBe(0);
    const viaCli = JSON.parse(audience.stdout);
    expect(viaCli).toEqual(await json(`/api/audiences/export.csv?${RANGE}&channel=Paid%20Search&include=pii&format=json`));
    expect(viaCli.people[0].email).toMatch(/@example\.com$/);
    expect(audience.stderr).toContain('exported 5 people; 1 left out');
    const { entries } = await json('/api/audit?action=export.audience&actor=cli');
    expect(entries.length).toBe(1);

    const missing = await runCli('export', 'kpis', '--data', dataDir);
    expect(missing.code).toBe(1);

    await server.close();
    const direct = await runCli('export', 'kpis', '--data', dataDir, '--by', 'channel', '--from', '2025-04-07', '--to', '2025-04-13');
    expect(direct.code, direct.stderr).toBe(0);
    expect(direct.stdout).toBe(viaHttp);
    const directAudience = await runCli(...audienceArgs);
    expect(directAudience.code, directAudience.stderr).toBe(0);
    expect(JSON.parse(directAudience.stdout)).toEqual(viaCli);
  });
});
