import { beforeAll, describe, expect, it } from 'vitest';
import {
  CAMPAIGNS, CHANNELS, CHANNEL_IDS, generateDemoWorld, resolveDemoOptions, type DemoWorld, type SegmentMessage,
} from '../../src/demo/index.ts';
import { REFERRAL_REFERRERS, SEARCH_REFERRERS } from '../../src/demo/reference-data.ts';
import { hillTouchRate } from '../../src/demo/spend.ts';
import { PLANTED } from '../../src/demo/truth.ts';
import { CH } from '../../src/demo/catalog.ts';
import { validateMessage } from '../../src/ingest/index.ts';

/** The small world the calibration ranges are stated for. */
const SMALL = { people: 2000, days: 60, seed: 7, endDate: '2025-06-30' };
const DAY_MS = 86_400_000;

let world: DemoWorld;
let messages: SegmentMessage[];
/** Messages per person, in events() order. */
let byPerson: SegmentMessage[][];

beforeAll(() => {
  world = generateDemoWorld(SMALL);
  byPerson = Array.from({ length: SMALL.people }, (_, i) => world.eventsForPerson(i));
  messages = byPerson.flat();
});

const isServerSide = (m: SegmentMessage): boolean => m.context.library.name === '@segment/analytics-node';
const trackNamed = (m: SegmentMessage, event: string): boolean => m.type === 'track' && m.event === event;
const normaliseEmail = (e: string): string => e.trim().toLowerCase();

describe('determinism', () => {
  it('same seed → byte-identical messages, rows, truth and summary', () => {
    const again = generateDemoWorld(SMALL);
    const first = (w: DemoWorld, n: number): SegmentMessage[] => {
      const out: SegmentMessage[] = [];
      for (const m of w.events()) {
        out.push(m);
        if (out.length === n) break;
      }
      return out;
    };
    expect(JSON.stringify(first(again, 5000))).toBe(JSON.stringify(messages.slice(0, 5000)));
    expect(JSON.stringify(again.summary)).toBe(JSON.stringify(world.summary));
    expect(JSON.stringify(again.truth)).toBe(JSON.stringify(world.truth));
    expect(JSON.stringify(again.spend)).toBe(JSON.stringify(world.spend));
    expect(JSON.stringify(again.customers)).toBe(JSON.stringify(world.customers));
    expect(JSON.stringify(again.offlineOrders)).toBe(JSON.stringify(world.offlineOrders));
  });

  it('a different seed gives a different world', () => {
    const other = generateDemoWorld({ ...SMALL, seed: 8 });
    expect(JSON.stringify(other.eventsForPerson(0))).not.toBe(JSON.stringify(byPerson[0]));
    expect(JSON.stringify(other.summary)).not.toBe(JSON.stringify(world.summary));
    expect(JSON.stringify(other.spend)).not.toBe(JSON.stringify(world.spend));
  });

  it('events() streams exactly the per-person messages, person by person, and restarts on each call', () => {
    const ids: string[] = [];
    for (const m of world.events()) ids.push(m.messageId);
    expect(ids).toEqual(messages.map((m) => m.messageId));
    expect(ids.length).toBe(world.summary.messages);
    expect(world.events().next().value).toEqual(messages[0]);
  });

  it('validates options', () => {
    expect(() => resolveDemoOptions({ people: 0 })).toThrow(RangeError);
    expect(() => resolveDemoOptions({ days: 1.5 })).toThrow(RangeError);
    expect(() => resolveDemoOptions({ seed: -1 })).toThrow(RangeError);
    expect(() => resolveDemoOptions({ endDate: '2025-02-30' })).toThrow(RangeError);
    expect(resolveDemoOptions({ people: undefined }).people).toBe(50_000);
  });
});

describe('Segment spec', () => {
  /** Problems found in a message, as text (empty = fine); collected so one assertion reports them all. */
  function specProblems(m: SegmentMessage): string[] {
    const problems: string[] = [];
    const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v.length > 0;
    if (!nonEmpty(m.messageId)) problems.push('messageId');
    if (!nonEmpty(m.userId) && !nonEmpty(m.anonymousId)) problems.push('userId or anonymousId');
    if (!nonEmpty(m.context.library.name) || !nonEmpty(m.context.locale)) problems.push('context.library/locale');
    if (m.type === 'track' && (!nonEmpty(m.event) || typeof m.properties !== 'object')) problems.push('track event/properties');
    if ((m.type === 'page' || m.type === 'screen') && !nonEmpty(m.name)) problems.push(`${m.type} name`);
    if (m.type === 'identify' && (!nonEmpty(m.userId) || typeof m.traits !== 'object')) problems.push('identify userId/traits');
    if (m.type === 'alias' && (!nonEmpty(m.previousId) || !nonEmpty(m.userId))) problems.push('alias previousId/userId');
    if (!['track', 'identify', 'page', 'screen', 'alias'].includes(m.type)) problems.push(`type ${m.type}`);
    return problems.map((p) => `${m.messageId}: ${p}`);
  }

  it('every message has its type-specific required fields', () => {
    expect(messages.flatMap(specProblems).slice(0, 10)).toEqual([]);
  });

  it('every message passes the ingest validator', () => {
    const rejected = messages.flatMap((m) => {
      const result = validateMessage(m);
      return result.ok ? [] : [`${m.messageId}: ${result.reason}`];
    });
    expect(rejected.slice(0, 10)).toEqual([]);
  });

  it('messageIds are unique', () => {
    expect(new Set(messages.map((m) => m.messageId)).size).toBe(messages.length);
  });

  it('timestamps are ISO-8601 UTC inside the window', () => {
    const start = Date.parse('2025-05-02T00:00:00Z');
    const end = Date.parse('2025-07-01T00:00:00Z');
    expect(world.summary.startDate).toBe('2025-05-02');
    const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
    const bad = messages.filter((m) => !iso.test(m.timestamp) || Date.parse(m.timestamp) < start || Date.parse(m.timestamp) >= end);
    expect(bad.map((m) => m.timestamp).slice(0, 10)).toEqual([]);
  });

  it('messages are plain JSON under the 32 KB Segment limit', () => {
    const sample = messages.slice(0, 10_000);
    expect(JSON.parse(JSON.stringify(sample))).toStrictEqual(sample);
    expect(Math.max(...messages.map((m) => JSON.stringify(m).length))).toBeLessThan(32_000);
  });

  it('web messages carry context.page; app messages context.app; utm visits context.campaign', () => {
    const web = messages.filter((m) => m.context.library.name === 'analytics.js');
    expect(web.every((m) => m.context.page !== undefined && m.context.userAgent !== undefined)).toBe(true);
    const app = messages.filter((m) => m.type === 'screen');
    expect(app.length).toBeGreaterThan(0);
    expect(app.every((m) => m.context.app !== undefined && m.context.device?.type === 'mobile')).toBe(true);
    const tagged = web.filter((m) => m.context.campaign);
    expect(tagged.every((m) => m.context.page?.search.includes(`utm_campaign=${m.context.campaign?.name}`))).toBe(true);
  });

  it('uses every message type, including a few aliases of guest checkouts', () => {
    const types = new Set(messages.map((m) => m.type));
    expect([...types].sort()).toEqual(['alias', 'identify', 'page', 'screen', 'track']);
    for (const m of messages) if (m.type === 'alias') expect(m.previousId).toMatch(/^guest_/);
  });
});

describe('people and behaviour', () => {
  it("each person's messages are in strictly increasing time order", () => {
    const unordered = byPerson.filter((list) => list.some((m, k) => k > 0 && m.timestamp <= list[k - 1].timestamp));
    expect(unordered.length).toBe(0);
  });

  it('visits are ≥ 30 min apart, so a 30-minute sessioniser finds exactly the simulated sessions', () => {
    let sessions = 0;
    for (const list of byPerson) {
      let last = -Infinity;
      for (const m of list) {
        if (isServerSide(m)) continue;
        const t = Date.parse(m.timestamp);
        if (t - last > 30 * 60_000) sessions++;
        last = t;
      }
    }
    expect(sessions).toBe(world.summary.sessions);
  });

  it('identifies people on several devices under one userId', () => {
    let multiDevice = 0;
    for (const list of byPerson) {
      const anonByUser = new Map<string, Set<string>>();
      for (const m of list) {
        if (m.type !== 'identify' || !m.anonymousId) continue;
        const set = anonByUser.get(m.userId) ?? new Set<string>();
        set.add(m.anonymousId);
        anonByUser.set(m.userId, set);
      }
      if ([...anonByUser.values()].some((s) => s.size > 1)) multiDevice++;
    }
    expect(multiDevice).toBeGreaterThan(5);
    const identify = messages.find((m) => m.type === 'identify' && 'phone' in m.traits);
    expect(identify?.type === 'identify' && String(identify.traits.phone)).toMatch(/^\+\d{10,13}$/);
  });

  it('orders carry revenue, USD, order_id and product lines', () => {
    const orders = messages.filter((m) => trackNamed(m, 'Order Completed'));
    expect(orders.length).toBe(world.summary.orders);
    const ids = new Set<string>();
    let revenue = 0;
    for (const m of orders) {
      if (m.type !== 'track') continue;
      const p = m.properties;
      expect(p.currency).toBe('USD');
      expect(typeof p.revenue).toBe('number');
      ids.add(String(p.order_id));
      revenue += Number(p.revenue);
      const lines = p.products as { price: number; quantity: number; sku: string; category: string }[];
      expect(lines.length).toBeGreaterThan(0);
      const sum = lines.reduce((a, l) => a + Math.round(l.price * 100) * l.quantity, 0) / 100;
      expect(sum).toBeCloseTo(Number(p.revenue), 6);
      expect(m.userId).toBeTruthy();
    }
    expect(ids.size).toBe(orders.length);
    expect(revenue).toBeCloseTo(world.summary.revenue, 2);
  });

  it('lands in the stated realism ranges on the small world', () => {
    const s = world.summary;
    expect(s.conversionRate).toBeGreaterThanOrEqual(0.03);
    expect(s.conversionRate).toBeLessThanOrEqual(0.05);
    expect(s.averageOrderValue).toBeGreaterThanOrEqual(60);
    expect(s.averageOrderValue).toBeLessThanOrEqual(120);
    expect(s.mobileSessionShare).toBeGreaterThan(0.48);
    expect(s.mobileSessionShare).toBeLessThan(0.62);
    // 60 days leave less time to come back than the default 180 (≈ 20–30 % there).
    expect(s.repeatCustomerShare).toBeGreaterThan(0.03);
    expect(s.repeatCustomerShare).toBeLessThan(0.35);
  });
});

/** Which channel a message shows: properties.channel, else utm campaign, else landing referrer. */
function channelsSeen(list: readonly SegmentMessage[]): Set<string> {
  const seen = new Set<string>();
  const byTag = new Map(CAMPAIGNS.map((c) => [`${c.source}|${c.medium}|${c.name}`, CHANNEL_IDS[c.channel]]));
  for (const m of list) {
    // Platform events carry the channel group name; their campaign tags say which channel.
    if (m.type === 'track' && typeof m.properties.channel === 'string') {
      const p = m.properties as Record<string, unknown>;
      const id = p.channel === 'store' ? 'offline_store' : byTag.get(`${String(p.source)}|${String(p.medium)}|${String(p.campaign)}`);
      if (id) seen.add(id);
    }
    const c = m.context.campaign;
    if (c) {
      const id = byTag.get(`${c.source}|${c.medium}|${c.name}`);
      if (id) seen.add(id);
    }
    if (m.type === 'page' && !c) {
      const ref = m.context.page?.referrer ?? '';
      if ((SEARCH_REFERRERS as readonly string[]).includes(ref)) seen.add('organic_search');
      if ((REFERRAL_REFERRERS as readonly string[]).includes(ref)) seen.add('referral');
      if (ref === '') seen.add('direct');
    }
  }
  return seen;
}

describe('channels and spend', () => {
  it('every channel appears in the events', () => {
    expect([...channelsSeen(messages)].sort()).toEqual([...CHANNEL_IDS].sort());
  });

  it('channel click events match the truth touch counts (email, SMS, push)', () => {
    const count = (event: string): number => messages.filter((m) => trackNamed(m, event)).length;
    expect(count('Email Clicked')).toBe(world.truth.channels.email.touches);
    expect(count('SMS Clicked')).toBe(world.truth.channels.sms.touches);
    expect(count('Push Opened')).toBe(world.truth.channels.push.touches);
    expect(count('Ad Impression')).toBeGreaterThan(0);
    expect(count('Ad Clicked')).toBeGreaterThan(0);
  });

  it('spend rows cover every paid and owned channel on every day, in USD', () => {
    const dates = world.truth.daily.dates;
    expect(dates.length).toBe(SMALL.days);
    const spending = CHANNELS.filter((c) => c.kind === 'paid' || c.kind === 'owned').map((c) => c.id);
    const paid = new Set(CHANNELS.filter((c) => c.kind === 'paid').map((c) => c.id as string));
    const byKey = new Map<string, number>();
    for (const row of world.spend) {
      expect(row.currency).toBe('USD');
      expect(row.spend).toBeGreaterThanOrEqual(0);
      // Owned rows count clicks on the click day, which may exceed that day's sends.
      if (paid.has(row.channel)) expect(row.clicks).toBeLessThanOrEqual(row.impressions);
      byKey.set(`${row.date}|${row.channel}`, (byKey.get(`${row.date}|${row.channel}`) ?? 0) + row.spend);
    }
    for (const d of dates) for (const c of spending) expect(byKey.get(`${d}|${c}`)).toBeGreaterThan(0);
    expect(world.spend.some((r) => r.channel === 'organic_search' || r.channel === 'direct')).toBe(false);
  });

  it('platform clicks are never fewer than the clicks our tracked people made', () => {
    const tracked = new Map<string, number>();
    for (const m of messages) {
      if (!trackNamed(m, 'Ad Clicked') || m.type !== 'track') continue;
      const key = `${m.timestamp.slice(0, 10)}|${m.properties.source}|${m.properties.campaign}`;
      tracked.set(key, (tracked.get(key) ?? 0) + 1);
    }
    for (const row of world.spend) expect(row.clicks).toBeGreaterThanOrEqual(tracked.get(`${row.date}|${row.source}|${row.campaign}`) ?? 0);
  });

  it('planted Hill saturation: half the ceiling at the half-saturation spend, concave beyond', () => {
    const sat = PLANTED.paid_social.saturation;
    expect(sat).not.toBeNull();
    if (!sat) return;
    const half = hillTouchRate(CH.social, sat.halfSaturationSpendPer1000People);
    expect(half).toBeCloseTo(sat.maxTouchesPerActivePersonDay / 2, 12);
    const x = sat.halfSaturationSpendPer1000People;
    expect(hillTouchRate(CH.social, 2 * x) - half).toBeLessThan(half);
    expect(hillTouchRate(CH.email, 10)).toBe(0);
  });
});

describe('CRM and offline', () => {
  it('offline customers and orders match some online customers by normalised e-mail only', () => {
    const online = new Set<string>();
    for (const m of messages) if (m.type === 'identify' && typeof m.traits.email === 'string') online.add(m.traits.email);
    const crm = world.customers.flatMap((c) => (c.email ? [c.email] : []));
    expect(crm.filter((e) => online.has(normaliseEmail(e))).length).toBeGreaterThan(0);
    expect(crm.some((e) => e !== normaliseEmail(e) && online.has(normaliseEmail(e)))).toBe(true);
    const orders = world.offlineOrders.flatMap((o) => (o.email ? [o.email] : []));
    expect(orders.filter((e) => online.has(normaliseEmail(e))).length).toBeGreaterThan(0);
    const offlineOnly = world.customers.filter((c) => c.externalId.startsWith('pos-'));
    expect(offlineOnly.length).toBe(world.summary.offlineOnlyCustomers);
    expect(offlineOnly.some((c) => c.email && online.has(normaliseEmail(c.email)))).toBe(false);
  });

  it('offline orders have unique ids, known customers, window dates and USD revenue', () => {
    const ids = new Set(world.customers.map((c) => c.externalId));
    expect(ids.size).toBe(world.customers.length);
    const dates = new Set(world.truth.daily.dates);
    expect(new Set(world.offlineOrders.map((o) => o.orderId)).size).toBe(world.offlineOrders.length);
    for (const o of world.offlineOrders) {
      expect(ids.has(o.externalId)).toBe(true);
      expect(dates.has(o.date)).toBe(true);
      expect(o.revenue).toBeGreaterThan(0);
      expect(o.currency).toBe('USD');
      expect(o.storeId).toMatch(/^store-/);
    }
  });
});

describe('planted truth', () => {
  it('channel conversions sum to the incremental total, which is ≤ all conversions', () => {
    const t = world.truth;
    const sum = CHANNEL_IDS.reduce((a, id) => a + t.channels[id].conversions, 0);
    expect(sum).toBe(t.totals.incrementalConversions);
    expect(t.totals.incrementalConversions).toBeLessThanOrEqual(t.totals.conversions);
    expect(t.totals.incrementalConversions).toBeGreaterThan(0);
    expect(t.baseline.conversions + sum).toBe(t.totals.conversions);
    expect(t.totals.conversions).toBe(world.summary.orders);
    expect(t.totals.revenue).toBeCloseTo(world.summary.revenue, 2);
    const revenueSum = CHANNEL_IDS.reduce((a, id) => a + t.channels[id].revenue, 0) + t.baseline.revenue;
    expect(revenueSum).toBeCloseTo(t.totals.revenue, 1);
  });

  it('daily columns add up to the totals and channel spend', () => {
    const d = world.truth.daily;
    const total = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    expect(total(d.conversions)).toBe(world.truth.totals.conversions);
    expect(total(d.baselineConversions)).toBe(world.truth.baseline.conversions);
    for (const id of CHANNEL_IDS) {
      expect(total(d.causedConversions[id])).toBe(world.truth.channels[id].conversions);
      expect(total(d.spend[id])).toBeCloseTo(world.truth.channels[id].spend, 0);
    }
    expect(world.truth.channels.direct.conversions).toBe(0);
    expect(world.truth.channels.organic_search.spend).toBe(0);
  });

  it('order days agree with the truth (an order is dated the day the hazard drew it)', () => {
    const perDay = new Map<string, number>();
    for (const m of messages) if (trackNamed(m, 'Order Completed')) perDay.set(m.timestamp.slice(0, 10), (perDay.get(m.timestamp.slice(0, 10)) ?? 0) + 1);
    world.truth.daily.dates.forEach((date, i) => expect(perDay.get(date) ?? 0).toBe(world.truth.daily.conversions[i]));
  });
});

describe('scale', () => {
  it('window arithmetic: the last day is endDate and people arrive across the window', () => {
    const firstSeen = byPerson.map((list) => Date.parse(list[0].timestamp));
    const start = Date.parse('2025-05-02T00:00:00Z');
    const lateArrivals = firstSeen.filter((t) => t >= start + 50 * DAY_MS).length;
    expect(lateArrivals).toBeGreaterThan(SMALL.people * 0.1);
    expect(world.truth.daily.dates.at(-1)).toBe('2025-06-30');
  });
});
