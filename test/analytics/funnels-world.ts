/**
 * A small deterministic shop for the funnel and path tests, with its ground truth kept next to
 * every message: which person it belongs to (test key), which visit (a visit is one session by
 * construction: a landing page, then page views and track calls within 25 minutes; visits of a
 * person are at least an hour apart), and the visit's channel (a fixed utm/referrer → GA4
 * channel table). The expected answers are computed from these facts in plain TypeScript
 * (funnels-truth.ts), never by the code under test.
 */
import { mulberry32 } from '../helpers/prng.ts';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const MINUTE = 60_000;
export const T0 = Date.parse('2025-03-01T00:00:00Z');

/** Traffic sources and the GA4 default channel each one lands in. */
export const SOURCES = [
  { channel: 'Paid Search', query: '?utm_source=google&utm_medium=cpc&utm_campaign=brand', referrer: '', campaign: 'brand' },
  { channel: 'Paid Search', query: '?utm_source=google&utm_medium=cpc&utm_campaign=generic', referrer: '', campaign: 'generic' },
  { channel: 'Email', query: '?utm_source=newsletter&utm_medium=email&utm_campaign=weekly', referrer: '', campaign: 'weekly' },
  { channel: 'Paid Social', query: '?utm_source=facebook&utm_medium=paid_social&utm_campaign=spring', referrer: '', campaign: 'spring' },
  { channel: 'Organic Search', query: '', referrer: 'https://www.google.com/', campaign: null },
  { channel: 'Direct', query: '', referrer: '', campaign: null },
] as const;

export const CATEGORIES = ['shoes', 'hats', 'shirts'] as const;

export interface WorldMessage {
  readonly message: Record<string, unknown>;
  /**
   * Test key of the person the identity graph must give the message: `u<i>` for messages with a
   * userId or from a device that an identify linked to it, else `anon:<anonymousId>`.
   */
  readonly person: string;
  readonly anonymousId: string | null;
  /** Message id of the visit's landing page (= the session id), or null outside visits. */
  readonly visit: string | null;
  /** Channel of the visit (null outside visits). */
  readonly channel: string | null;
  readonly campaign: string | null;
  readonly ts: number;
  readonly type: 'page' | 'track' | 'identify';
  readonly event: string | null;
  readonly name: string | null;
  readonly properties: Record<string, unknown>;
}

export interface World {
  readonly messages: readonly WorldMessage[];
  /** Test person key → userId (identified people only). */
  readonly userIds: ReadonlyMap<string, string>;
}


export function generateWorld(people = 140, seed = 11): World {
  const r = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const messages: WorldMessage[] = [];
  const userIds = new Map<string, string>();
  let seq = 0;

  for (let i = 0; i < people; i++) {
    const identified = r() < 0.6;
    const userId = identified ? `u${i}` : null;
    const devices = identified && r() < 0.4 ? 2 : 1;
    const anon = (d: number) => `a${i}-${d}`;
    const person = userId ?? `anon:${anon(0)}`;
    if (userId) userIds.set(person, userId);
    const identifiedDevices = new Set<number>();
    let t = T0 + Math.floor(r() * 18 * DAY) + Math.floor(r() * HOUR);
    const visits = 1 + Math.floor(r() * 5);
    const category = pick(CATEGORIES);

    const push = (m: Omit<WorldMessage, 'message' | 'anonymousId'>, extra: Record<string, unknown>) => {
      const messageId = `m${String(seq++).padStart(5, '0')}`;
      const anonymousId = typeof extra.anonymousId === 'string' ? extra.anonymousId : null;
      messages.push({ ...m, anonymousId, message: { messageId, type: m.type, timestamp: new Date(m.ts).toISOString(), ...extra } });
      return messageId;
    };

    for (let v = 0; v < visits; v++) {
      const device = Math.floor(r() * devices);
      const source = pick(SOURCES);
      const ids = { anonymousId: anon(device), ...(userId && identifiedDevices.has(device) ? { userId } : {}) };
      const landing = `m${String(seq).padStart(5, '0')}`;
      const base = { person, visit: landing, channel: source.channel, campaign: source.campaign };
      push(
        { ...base, ts: t, type: 'page', event: null, name: 'Home', properties: {} },
        { ...ids, name: 'Home', context: { page: { url: `https://shop.example.com/${source.query}`, referrer: source.referrer } } },
      );
      if (userId && !identifiedDevices.has(device) && r() < 0.8) {
        identifiedDevices.add(device);
        push({ ...base, ts: t + 20_000, type: 'identify', event: null, name: null, properties: {} }, { anonymousId: anon(device), userId, traits: { plan: 'basic' } });
      }
      const ids2 = { anonymousId: anon(device), ...(userId && identifiedDevices.has(device) ? { userId } : {}) };
      // The visit's steps: the shopping sequence, cut short at random, sometimes shuffled or repeated.
      const sequence: Array<{ kind: 'track' | 'page'; event: string; props: Record<string, unknown> }> = [];
      const cat = r() < 0.7 ? category : pick(CATEGORIES);
      const price = 10 + Math.floor(r() * 90);
      const depth = r();
      sequence.push({ kind: 'track', event: 'Product Viewed', props: { category: cat, price } });
      if (r() < 0.3) sequence.push({ kind: 'track', event: 'Product Viewed', props: { category: pick(CATEGORIES), price: price + 5 } });
      if (depth > 0.25) sequence.push({ kind: 'track', event: 'Product Added', props: { category: cat, price } });
      if (depth > 0.45) sequence.push({ kind: 'page', event: 'Cart', props: {} });
      if (depth > 0.55) sequence.push({ kind: 'track', event: 'Checkout Started', props: { value: price } });
      if (depth > 0.75 && (userId === null || identifiedDevices.has(device))) sequence.push({ kind: 'track', event: 'Order Completed', props: { revenue: price, currency: 'USD' } });
      if (r() < 0.25 && sequence.length > 2) {
        const k = Math.floor(r() * (sequence.length - 1));
        [sequence[k], sequence[k + 1]] = [sequence[k + 1], sequence[k]];
      }
      if (r() < 0.2) sequence.splice(Math.floor(r() * sequence.length), 0, { kind: 'track', event: 'Signed In', props: {} });
      let at = t + MINUTE;
      for (const s of sequence) {
        at += MINUTE + Math.floor(r() * 2 * MINUTE);
        if (s.kind === 'page') {
          push({ ...base, ts: at, type: 'page', event: null, name: s.event, properties: {} }, { ...ids2, name: s.event, context: { page: { url: `https://shop.example.com/${s.event.toLowerCase()}`, referrer: '' } } });
        } else {
          push({ ...base, ts: at, type: 'track', event: s.event, name: null, properties: s.props }, { ...ids2, event: s.event, properties: s.props });
        }
      }
      // Server-side calls (userId only, no device): an e-mail click touch, or an offline order.
      if (userId && r() < 0.15) {
        const ts = at + 2 * HOUR + Math.floor(r() * HOUR);
        if (r() < 0.5) push({ person, visit: null, channel: null, campaign: null, ts, type: 'track', event: 'Email Clicked', name: null, properties: { channel: 'email' } }, { userId, event: 'Email Clicked', properties: { channel: 'email' } });
        else push({ person, visit: null, channel: null, campaign: null, ts, type: 'track', event: 'Order Completed', name: null, properties: { revenue: 30, currency: 'USD' } }, { userId, event: 'Order Completed', properties: { revenue: 30, currency: 'USD' } });
      }
      // The next visit: an hour to six days later (some beyond a 7-day funnel window overall).
      t = at + HOUR + Math.floor(r() * 6 * DAY);
    }
  }
  // A device no identify ever linked stays its own anonymous person.
  const linked = new Set(messages.filter((m) => m.type === 'identify').map((m) => m.anonymousId));
  const resolved = messages.map((m) =>
    m.message.userId === undefined && m.anonymousId !== null && !linked.has(m.anonymousId) ? { ...m, person: `anon:${m.anonymousId}` } : m,
  );
  return { messages: resolved, userIds };
}
