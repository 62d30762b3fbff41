import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.ts';
import { makeTestDataDir, readJson, removeTestDataDir, send, startTestServer, type TestServer } from '../helpers/server.ts';
import { generateWorld, DAY, T0, type World } from './kpis-world.ts';
import { truthBreakdown, truthDaily, truthRepeatCohorts, truthTotals, type Counts } from './kpis-truth.ts';
import { diffMetrics, insertSpend } from './kpis-helpers.ts';

/**
 * People who refused analytics (Segment's `context.consent.categoryPreferences`) are left out of
 * every person-based KPI and of the cohort tables, and come back when they grant it again. The
 * expected numbers are the plain count of the world without those people (kpis-truth.ts).
 *
 * Each consent statement is a track event at the exact time of one of the person's own messages,
 * sent with one id the person already uses: it adds no activity hour, no first event, no visit,
 * no touch and no order, so the world's truth stays the truth.
 */
const world = generateWorld({ people: 40, seed: 11 });
const range = { from: T0 + 14 * DAY, to: T0 + 28 * DAY };
const previous = { from: T0, to: T0 + 14 * DAY };
const KPI_QUERY = 'from=2025-03-17&to=2025-03-30&granularity=day';
const RETENTION_QUERY = 'cohort=week&measure=repeat_purchase&from=2025-02-17&to=2025-03-30';

const own = (person: number) => world.messages.filter((m) => m.person === person);
const inRange = (t: number): boolean => t >= range.from && t < range.to;

/** A signed-in person with two devices and an order in the range, and a never-identified visitor active in it. */
function chooseRefusers(): { customer: number; visitor: number } {
  const customer = world.people.find((p) => p.userId !== null && p.devices.length === 2 && world.orders.some((o) => o.person === p.index && inRange(o.at)));
  const visitor = world.people.find((p) => p.userId === null && own(p.index).some((m) => inRange(m.at)));
  if (!customer || !visitor) throw new Error('the world has no such people: change the seed');
  return { customer: customer.index, visitor: visitor.index };
}

function withoutPeople(w: World, people: ReadonlySet<number>): World {
  return {
    ...w,
    messages: w.messages.filter((m) => !people.has(m.person)),
    touches: w.touches.filter((t) => !people.has(t.person)),
    orders: w.orders.filter((o) => !people.has(o.person)),
  };
}

/** A consent statement by `person` at the time of their first (or last) message, under an id they use. */
function consentMessage(person: number, analytics: boolean, when: 'first' | 'last', n: number) {
  const p = world.people[person];
  const times = own(person).map((m) => m.at);
  const at = when === 'first' ? Math.min(...times) : Math.max(...times);
  const ids = p.userId !== null ? { userId: p.userId } : { anonymousId: p.devices[0] };
  return {
    type: 'track',
    event: 'Cookie Settings Saved',
    ...ids,
    timestamp: new Date(at).toISOString(),
    messageId: `consent-${person}-${n}`,
    context: { consent: { categoryPreferences: { Analytics: analytics, Advertising: true } } },
  };
}

async function insertWorldSpend(dataDir: string): Promise<void> {
  const store = await openStore(dataDir);
  await insertSpend(store, world.spend);
  await store.close();
}

function expectKpis(doc: Record<string, any>, w: World): void {
  expect(diffMetrics(doc.totals, truthTotals(w, range), 'totals')).toEqual([]);
  expect(diffMetrics(doc.previous.totals, truthTotals(w, previous), 'previous')).toEqual([]);
  const daily = truthDaily(w, range);
  for (const row of doc.series) expect(diffMetrics(row, daily.get(row.period)!, row.period)).toEqual([]);
}

function expectBreakdown(doc: Record<string, any>, truth: Map<string, Counts>): void {
  expect(doc.breakdown.map((b: { key: string }) => b.key)).toEqual([...truth.keys()].sort());
  for (const row of doc.breakdown) expect(diffMetrics(row, truth.get(row.key)!, row.key)).toEqual([]);
}

function expectCohorts(doc: Record<string, any>, w: World): void {
  const truth = truthRepeatCohorts(w, weekStart);
  const asked = [...truth.entries()].filter(([cohort]) => cohort >= '2025-02-17' && cohort < '2025-03-31');
  expect(doc.cohorts.map((c: { cohort: string }) => c.cohort)).toEqual(asked.map(([c]) => c).sort());
  for (const c of doc.cohorts) {
    const t = truth.get(c.cohort)!;
    expect({ cohort: c.cohort, size: c.size, counts: c.counts }).toEqual({ cohort: c.cohort, size: t.size, counts: c.counts.map((_: number, k: number) => t.repeat[k] ?? 0) });
  }
}

/** Monday 00:00 UTC of the week holding t (written here to stay independent of src/analytics). */
function weekStart(t: number): number {
  const day = Math.floor(t / DAY) * DAY;
  return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY;
}

describe('consent for analytics in KPIs and cohort tables (opt-out policy)', () => {
  const dataDir = makeTestDataDir();
  let server: TestServer;
  const { customer, visitor } = chooseRefusers();
  const refused = withoutPeople(world, new Set([customer, visitor]));
  const get = async (path: string) => {
    const res = await server.api(path);
    expect(res.status, path).toBe(200);
    return readJson(res);
  };
  const kpis = (extra = '') => get(`/api/kpis?${KPI_QUERY}${extra}`);
  const cohorts = () => get(`/api/retention?${RETENTION_QUERY}`);
  let before: { kpis: unknown; channel: unknown; cohorts: unknown };

  beforeAll(async () => {
    await insertWorldSpend(dataDir);
    server = await startTestServer({ dataDir });
    expect((await send(server, '/v1/batch', { batch: world.messages.map((m) => m.message) })).status).toBe(200);
    await server.processNow();
    before = { kpis: await kpis(), channel: await kpis('&by=channel'), cohorts: await cohorts() };
  });
  afterAll(async () => {
    await server?.stop();
    removeTestDataDir(dataDir);
  });

  it('counts everyone while nobody has refused', () => {
    expectKpis(before.kpis as Record<string, any>, world);
    expectBreakdown(before.channel as Record<string, any>, truthBreakdown(world, range, 'channel'));
    expectCohorts(before.cohorts as Record<string, any>, world);
    // The refusers matter to the figures below: the customer converts in the range.
    expect(truthTotals(refused, range).conversions).toBeLessThan(truthTotals(world, range).conversions!);
    expect(truthTotals(refused, range).people).toBe(truthTotals(world, range).people! - 2);
  });

  it('leaves people who refused analytics out of every person-based figure; spend stays', async () => {
    const res = await send(server, '/v1/batch', { batch: [consentMessage(customer, false, 'first', 1), consentMessage(visitor, false, 'first', 1)] });
    expect(res.status).toBe(200);
    await server.processNow();
    const doc = await kpis();
    expectKpis(doc, refused);
    expect(doc.totals.spend).toBe(truthTotals(world, range).spend);
    expectBreakdown(await kpis('&by=channel'), truthBreakdown(refused, range, 'channel'));
    expectBreakdown(await kpis('&by=device'), truthBreakdown(refused, range, 'device'));
    // A trait breakdown reads people through another path: every count still adds up to the total.
    const plans = await kpis('&by=trait:plan');
    for (const line of plans.reconciliation.breakdown) if (line.sum !== null) expect(line, line.metric).toMatchObject({ reconciles: true });
    expect(diffMetrics(plans.totals, truthTotals(refused, range), 'totals')).toEqual([]);
    expectCohorts(await cohorts(), refused);
  });

  it('counts them again once they grant analytics', async () => {
    const res = await send(server, '/v1/batch', { batch: [consentMessage(customer, true, 'last', 2), consentMessage(visitor, true, 'last', 2)] });
    expect(res.status).toBe(200);
    await server.processNow();
    expect(await kpis()).toEqual(before.kpis);
    expect(await kpis('&by=channel')).toEqual(before.channel);
    expect(await cohorts()).toEqual(before.cohorts);
  });
});

describe('consent for analytics under an opt-in policy', () => {
  it('counts only the people who granted analytics', async () => {
    const dataDir = makeTestDataDir();
    await insertWorldSpend(dataDir);
    const server = await startTestServer({ dataDir, consent: { defaultGranted: false } });
    try {
      const { customer } = chooseRefusers();
      const batch = [...world.messages.map((m) => m.message), consentMessage(customer, true, 'first', 1)];
      expect((await send(server, '/v1/batch', { batch })).status).toBe(200);
      await server.processNow();
      const doc = await readJson(await server.api(`/api/kpis?${KPI_QUERY}`));
      const others = new Set(world.people.map((p) => p.index).filter((i) => i !== customer));
      expectKpis(doc, withoutPeople(world, others));
      expect(doc.totals.people).toBe(1);
    } finally {
      await server.stop();
      removeTestDataDir(dataDir);
    }
  });
});
