import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.ts';
import { listDroppedPeople, parseFunnelDefinition, runFunnel, type FunnelReport } from '../../src/analytics/index.ts';
import { DAY, HOUR, T0, generateWorld, type World, type WorldMessage } from './funnels-world.ts';
import { funnelUnits, summarize, type Match, type TruthFunnel, type TruthUnit } from './funnels-truth.ts';
import { personIdsOf, storeWithFunnelWorld } from './funnels-helpers.ts';

let world: World;
let store: Store;
let personId: (key: string) => string;

beforeAll(async () => {
  world = generateWorld();
  store = await storeWithFunnelWorld(world);
  personId = await personIdsOf(store, world);
});
afterAll(async () => {
  await store.close();
});

const track = (event: string, extra: (m: WorldMessage) => boolean = () => true): Match => (m) => m.type === 'track' && m.event === event && extra(m);
const SHOP = ['Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed'];
const SHOP_TRUTH = SHOP.map((e) => track(e));

function expectMatches(report: FunnelReport, units: readonly TruthUnit[], steps: number, label = 'total'): void {
  const truth = summarize(units, steps);
  expect(report.steps.map((s) => s.entered), label).toEqual(truth.counts);
  report.steps.forEach((s, k) => {
    const t = truth.timing[k] ?? null;
    if (k === steps - 1 || t === null) expect(s.timeToNext, `${label} step ${k + 1}`).toBeNull();
    else {
      expect(s.timeToNext!.medianSeconds, `${label} median ${k + 1}`).toBeCloseTo(t[0], 6);
      expect(s.timeToNext!.p90Seconds, `${label} p90 ${k + 1}`).toBeCloseTo(t[1], 6);
    }
  });
}

function expectGroups(report: FunnelReport, units: readonly TruthUnit[], steps: number): void {
  const labels = [...new Set(units.map((u) => u.label!))].sort();
  expect(report.breakdown!.groups.map((g) => g.value).sort()).toEqual(labels);
  for (const g of report.breakdown!.groups) expectMatches({ ...report, steps: g.steps }, units.filter((u) => u.label === g.value), steps, g.value);
}

describe('funnels over the store agree with a plain count over the same events', () => {
  it('the generated world has the shape the cases need', () => {
    const sessions = new Set(world.messages.map((m) => m.visit).filter(Boolean));
    expect(sessions.size).toBeGreaterThan(200);
    expect(new Set(world.messages.map((m) => m.person)).size).toBeGreaterThan(120);
  });

  for (const mode of ['strict', 'any'] as const) {
    for (const countBy of ['person', 'session'] as const) {
      it(`${mode} order, counted by ${countBy}: entries, conversions and times per step`, async () => {
        const report = await runFunnel(store, parseFunnelDefinition({ steps: SHOP.join(','), mode, countBy }));
        const units = funnelUnits(world.messages, { steps: SHOP_TRUTH, windowMs: 7 * DAY, mode, countBy });
        expectMatches(report, units, 4);
        expect(report.entered).toBe(units.length);
        const s = report.steps[1];
        expect(s.conversionRate).toBeCloseTo(s.converted! / s.entered, 12);
        expect(s.dropped).toBe(s.entered - s.converted!);
        expect(report.steps[3].overallRate).toBeCloseTo(report.completed / report.entered, 12);
      });
    }
  }

  it('the modes really differ on this world (out-of-order visits exist)', async () => {
    const strict = funnelUnits(world.messages, { steps: SHOP_TRUTH, windowMs: 7 * DAY, mode: 'strict', countBy: 'person' });
    const any = funnelUnits(world.messages, { steps: SHOP_TRUTH, windowMs: 7 * DAY, mode: 'any', countBy: 'person' });
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(summarize(any, 4).counts)).toBeGreaterThan(sum(summarize(strict, 4).counts));
  });

  it('property filters, page steps and a short window', async () => {
    const definition = {
      steps: [
        "Product Viewed where properties.category = 'shoes'",
        { event: 'Product Added', where: [{ property: 'price', op: '>', value: 50 }] },
        { type: 'page', name: 'Cart' },
        'Checkout Started where properties.value >= 40 and properties.value != 99',
      ],
      window: '2h',
    };
    const report = await runFunnel(store, parseFunnelDefinition(definition));
    const units = funnelUnits(world.messages, {
      steps: [
        track('Product Viewed', (m) => m.properties.category === 'shoes'),
        track('Product Added', (m) => Number(m.properties.price) > 50),
        (m) => m.type === 'page' && m.name === 'Cart',
        track('Checkout Started', (m) => Number(m.properties.value) >= 40 && Number(m.properties.value) !== 99),
      ],
      windowMs: 2 * HOUR,
      mode: 'strict',
      countBy: 'person',
    });
    expect(units.length).toBeGreaterThan(20);
    expectMatches(report, units, 4);
    expect(report.steps.map((s) => s.label)).toEqual([
      "Product Viewed where properties.category = 'shoes'",
      'Product Added where properties.price > 50',
      'page:Cart',
      'Checkout Started where properties.value >= 40 and properties.value != 99',
    ]);
  });

  it('a period limits the first step; later steps may fall after it', async () => {
    const from = T0 + 5 * DAY;
    const to = T0 + 12 * DAY;
    const definition = parseFunnelDefinition({ steps: 'Product Viewed,Order Completed', from: new Date(from).toISOString(), to: new Date(to).toISOString(), window: '3d' });
    const report = await runFunnel(store, definition);
    const units = funnelUnits(world.messages, { steps: [track('Product Viewed'), track('Order Completed')], windowMs: 3 * DAY, mode: 'strict', countBy: 'person', from, to });
    expectMatches(report, units, 2);
  });

  it('breaks down by the channel of the first step’s session, by campaign per session, and by a property', async () => {
    const byChannel = await runFunnel(store, parseFunnelDefinition({ steps: SHOP.join(','), by: 'channel' }));
    const channelUnits = funnelUnits(world.messages, { steps: SHOP_TRUTH, windowMs: 7 * DAY, mode: 'strict', countBy: 'person', label: (a) => (a.visit === null ? '(no session)' : a.channel!) });
    expectMatches(byChannel, channelUnits, 4);
    expectGroups(byChannel, channelUnits, 4);
    expect(byChannel.breakdown!.groups.reduce((s, g) => s + g.entered, 0)).toBe(byChannel.entered);

    const byCampaign = await runFunnel(store, parseFunnelDefinition({ steps: SHOP.join(','), by: 'campaign', countBy: 'session', mode: 'any' }));
    const campaignUnits = funnelUnits(world.messages, { steps: SHOP_TRUTH, windowMs: 7 * DAY, mode: 'any', countBy: 'session', label: (a) => a.campaign ?? '(not set)' });
    expectGroups(byCampaign, campaignUnits, 4);

    const byCategory = await runFunnel(store, parseFunnelDefinition({ steps: SHOP.join(','), by: 'properties.category' }));
    const categoryUnits = funnelUnits(world.messages, { steps: SHOP_TRUTH, windowMs: 7 * DAY, mode: 'strict', countBy: 'person', label: (a) => String(a.properties.category ?? '(not set)') });
    expectGroups(byCategory, categoryUnits, 4);
  });

  it('server-side first steps have no session: "(no session)" by person, left out by session', async () => {
    const steps = 'Email Clicked,Order Completed';
    const truth: TruthFunnel = { steps: [track('Email Clicked'), track('Order Completed')], windowMs: 7 * DAY, mode: 'strict', countBy: 'person', label: () => '(no session)' };
    const byPerson = await runFunnel(store, parseFunnelDefinition({ steps, by: 'channel' }));
    const units = funnelUnits(world.messages, truth);
    expect(units.length).toBeGreaterThan(0);
    expectGroups(byPerson, units, 2);
    const bySession = await runFunnel(store, parseFunnelDefinition({ steps, countBy: 'session' }));
    expect(bySession.entered).toBe(0);
    expect(bySession.conversionRate).toBeNull();
  });
});

describe('people who dropped after a step', () => {
  async function allPages(definition: ReturnType<typeof parseFunnelDefinition>, step: number) {
    const seen: Array<{ personId: string; sessionId?: string; reachedAt: string }> = [];
    let cursor: string | undefined;
    let total = -1;
    for (let i = 0; i < 100; i++) {
      const page = await listDroppedPeople(store, definition, { step, limit: 7, cursor });
      total = page.total;
      seen.push(...page.people);
      if (page.nextCursor === null) break;
      expect(page.people.length).toBe(7);
      cursor = page.nextCursor;
    }
    return { seen, total };
  }

  for (const countBy of ['person', 'session'] as const) {
    it(`pages through every ${countBy} that reached step 2 and not step 3, in id order`, async () => {
      const definition = parseFunnelDefinition({ steps: SHOP.join(','), countBy });
      const units = funnelUnits(world.messages, { steps: SHOP_TRUTH, windowMs: 7 * DAY, mode: 'strict', countBy });
      const expected = units
        .filter((u) => u.times[1] !== null && u.times[2] === null)
        .map((u) => ({ personId: personId(u.person), ...(countBy === 'session' ? { sessionId: u.unit } : {}), reachedAt: new Date(u.times[1]!).toISOString() }))
        .sort((a, b) => {
          const ka = a.sessionId ?? a.personId;
          const kb = b.sessionId ?? b.personId;
          return ka < kb ? -1 : ka > kb ? 1 : 0;
        });
      expect(expected.length).toBeGreaterThan(14);
      const { seen, total } = await allPages(definition, 2);
      expect(total).toBe(expected.length);
      expect(seen).toEqual(expected);
    });
  }

  it('refuses the last step and a forged cursor', async () => {
    const definition = parseFunnelDefinition({ steps: SHOP.join(',') });
    await expect(listDroppedPeople(store, definition, { step: 4, limit: 10 })).rejects.toThrow(/step: must be 1 to 3/);
    await expect(listDroppedPeople(store, definition, { step: 1, limit: 10, cursor: '***' })).rejects.toThrow(/cursor/);
  });
});
