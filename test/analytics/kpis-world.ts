/**
 * A small deterministic world for the analytics tests: people with one or two devices, visits
 * from known channels, identifies, product views, orders (in visits and offline, server-side),
 * e-mail click events (touches that are not sessions) and daily spend. Alongside the Segment
 * messages it keeps the generator's own truth — which person each message belongs to, each
 * visit's channel, device and country — so the tests compute every metric independently of the
 * code under test.
 *
 * Visits of a person are at least an hour apart and each is one session (a landing page with
 * the channel's utm tags, a second page two minutes later); every device identifies on its
 * first visit, so the identity graph finds exactly the generated people.
 */
import { mulberry32 } from '../helpers/prng.ts';
export const DAY = 86_400_000;
/** Day 0: Monday 2025-03-03 (UTC). The world spans days −10 … 27. */
export const T0 = Date.UTC(2025, 2, 3);
export const FIRST_DAY = -10;
export const LAST_DAY = 27;

export interface Source {
  readonly channel: string;
  readonly source: string;
  readonly medium: string;
  readonly campaign: string | null;
}

export const SOURCES: readonly Source[] = [
  { channel: 'Paid Search', source: 'google', medium: 'cpc', campaign: 'brand' },
  { channel: 'Paid Social', source: 'facebook', medium: 'paid_social', campaign: 'spring' },
  { channel: 'Email', source: 'newsletter', medium: 'email', campaign: 'weekly' },
  { channel: 'Organic Search', source: 'bing', medium: 'organic', campaign: null },
  { channel: 'Direct', source: '(direct)', medium: '(none)', campaign: null },
];

export interface Person {
  readonly index: number;
  readonly userId: string | null;
  readonly devices: readonly string[];
  readonly deviceTypes: readonly string[];
  readonly country: string;
  readonly plan: string | null;
}

/** A touch as the generator made it: a visit (session) or an e-mail click event. */
export interface Touch {
  readonly person: number;
  readonly at: number;
  readonly kind: 'session' | 'event';
  readonly channel: string;
  readonly campaign: string | null;
  /** Session only. */
  readonly device: string | null;
  readonly country: string | null;
}

export interface Order {
  readonly person: number;
  readonly at: number;
  readonly revenue: number;
}

export interface SpendRow {
  readonly day: number;
  readonly channel: string;
  readonly campaign: string;
  readonly spend: number;
  readonly impressions: number | null;
  readonly clicks: number | null;
}

export interface World {
  readonly people: readonly Person[];
  /** Every message with the person it belongs to (by construction). */
  readonly messages: ReadonlyArray<{ readonly person: number; readonly at: number; readonly message: Record<string, unknown> }>;
  readonly touches: readonly Touch[];
  readonly orders: readonly Order[];
  readonly spend: readonly SpendRow[];
}


const iso = (ms: number): string => new Date(ms).toISOString();

function landingUrl(s: Source): string {
  if (s.channel === 'Direct') return 'https://shop.example.com/';
  const params = new URLSearchParams({ utm_source: s.source, utm_medium: s.medium, ...(s.campaign ? { utm_campaign: s.campaign } : {}) });
  return `https://shop.example.com/?${params}`;
}

export function generateWorld(options: { people: number; seed: number }): World {
  const rnd = mulberry32(options.seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const people: Person[] = [];
  const messages: Array<{ person: number; at: number; message: Record<string, unknown> }> = [];
  const touches: Touch[] = [];
  const orders: Order[] = [];
  let seq = 0;
  const push = (person: number, at: number, message: Record<string, unknown>): void => {
    messages.push({ person, at, message: { messageId: `w${seq++}`, timestamp: iso(at), ...message } });
  };

  for (let i = 0; i < options.people; i++) {
    const identified = i % 4 !== 0;
    const twoDevices = identified && rnd() < 0.4;
    const first = rnd() < 0.5 ? 'desktop' : 'mobile';
    const person: Person = {
      index: i,
      userId: identified ? `u${i}` : null,
      devices: twoDevices ? [`a${i}-0`, `a${i}-1`] : [`a${i}-0`],
      deviceTypes: twoDevices ? [first, first === 'desktop' ? 'mobile' : 'desktop'] : [first],
      country: ['US', 'DE', 'FR'][int(0, 2)],
      plan: identified ? (rnd() < 0.5 ? 'free' : 'pro') : null,
    };
    people.push(person);
    // Every twentieth person lapses: one visit on the first day, an offline order 35 days later
    // (no touch within the 30-day lookback: the order is credited to no channel).
    const lapsed = identified && i % 20 === 5;
    const arrival = lapsed ? FIRST_DAY : int(FIRST_DAY, LAST_DAY);
    const usedSlots = new Set<string>();
    const identifiedDevices = new Set<number>();
    const visits = lapsed ? 1 : int(1, 5);
    for (let v = 0; v < visits; v++) {
      const day = Math.min(LAST_DAY, arrival + (v === 0 ? 0 : int(0, 12)));
      const hour = int(8, 20);
      if (usedSlots.has(`${day}:${hour}`)) continue;
      usedSlots.add(`${day}:${hour}`);
      const t = T0 + day * DAY + hour * 3_600_000 + int(10, 29) * 60_000;
      const d = v === 0 ? 0 : int(0, person.devices.length - 1);
      const anonymousId = person.devices[d];
      const src = SOURCES[int(0, SOURCES.length - 1)];
      const context = { page: { url: landingUrl(src), referrer: '' }, device: { type: person.deviceTypes[d] }, location: { country: person.country } };
      if (identified && rnd() < 0.15) {
        // A server-side e-mail click shortly before the visit: a touch that is not a session.
        push(i, t - 10 * 60_000, { type: 'track', userId: person.userId, event: 'Email Clicked', properties: { channel: 'email' } });
        touches.push({ person: i, at: t - 10 * 60_000, kind: 'event', channel: 'Email', campaign: null, device: null, country: null });
      }
      push(i, t, { type: 'page', anonymousId, ...(identifiedDevices.has(d) ? { userId: person.userId } : {}), context });
      touches.push({ person: i, at: t, kind: 'session', channel: src.channel, campaign: src.campaign, device: person.deviceTypes[d], country: person.country });
      if (identified && !identifiedDevices.has(d)) {
        push(i, t + 30_000, { type: 'identify', anonymousId, userId: person.userId, traits: { plan: person.plan } });
        identifiedDevices.add(d);
      }
      const ids = { anonymousId, ...(identified ? { userId: person.userId } : {}) };
      push(i, t + 60_000, { type: 'track', ...ids, event: 'Product Viewed', properties: { sku: `sku-${int(1, 9)}` } });
      push(i, t + 120_000, { type: 'page', ...ids, context: { page: { url: 'https://shop.example.com/product', referrer: 'https://shop.example.com/' } } });
      if (identified && rnd() < 0.35) {
        const revenue = int(10, 99);
        push(i, t + 180_000, { type: 'track', ...ids, event: 'Order Completed', properties: { revenue, currency: 'USD' } });
        orders.push({ person: i, at: t + 180_000, revenue });
      }
    }
    if (identified && (lapsed || rnd() < 0.25)) {
      // An offline order (point of sale, server-side): no visit, no touch.
      const day = lapsed ? FIRST_DAY + 35 : int(arrival, LAST_DAY);
      const at = T0 + day * DAY + 22 * 3_600_000 + int(0, 59) * 60_000;
      const revenue = int(20, 200);
      push(i, at, { type: 'track', userId: person.userId, event: 'Order Completed', properties: { revenue, currency: 'USD' } });
      orders.push({ person: i, at, revenue });
    }
  }

  const spend: SpendRow[] = [];
  const paid: Array<[string, string]> = [['Paid Search', 'brand'], ['Paid Social', 'spring'], ['Email', 'weekly']];
  for (let day = FIRST_DAY; day <= LAST_DAY; day++) {
    for (const [channel, campaign] of paid) {
      const email = channel === 'Email';
      spend.push({ day, channel, campaign, spend: int(50, 150), impressions: email ? null : int(1000, 2000), clicks: email ? null : int(10, 60) });
    }
  }
  return { people, messages, touches, orders, spend };
}
