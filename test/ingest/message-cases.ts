/**
 * A seeded generator of Segment messages for the differential test of the validator: realistic
 * valid messages of every type, and the same messages with one or a few fields replaced by values
 * that probe each rule of src/ingest/schema.ts (wrong types, empty strings, lengths either side of
 * each limit in UTF-16 units and in code points, impossible dates, depth either side of the limit,
 * null against undefined against absent, NaN and Infinity, arrays for objects, odd prototypes).
 */
import type { MessageType } from '../../src/ingest/index.ts';
import { mulberry32 } from '../helpers/prng.ts';

export type Rng = () => number;

/** A small deterministic PRNG, uniform in [0, 1). */
export const seeded = (seed: number): Rng => mulberry32(seed);

export const pick = <T>(rnd: Rng, items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
const int = (rnd: Rng, lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Marks a field to delete rather than set. */
export const ABSENT = Symbol('absent');

const TYPES: readonly MessageType[] = ['track', 'identify', 'page', 'screen', 'group', 'alias'];
const EMOJI = '\u{1F600}'; // one code point, two UTF-16 units
const x = (n: number): string => 'x'.repeat(n);

/** `n` code points in `n + 1` UTF-16 units: over a limit of n in units, within it in code points. */
const wide = (n: number): string => x(n - 1) + EMOJI;

/** Objects (or arrays, or both alternating) nested exactly `levels` deep. */
export function nested(levels: number, kind: 'object' | 'array' | 'mixed' = 'object'): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) {
    const array = kind === 'array' || (kind === 'mixed' && i % 2 === 1);
    value = array ? [1, value] : { k: value, n: i };
  }
  return value;
}

/** A random JSON-ish tree: depth up to `maxDepth`, leaves of every JSON type plus NaN and Infinity. */
export function randomTree(rnd: Rng, maxDepth: number): unknown {
  if (maxDepth <= 0 || rnd() < 0.3) return pick(rnd, ['s', 1, 0, -2.5, true, null, NaN, Infinity, '', undefined]);
  const width = int(rnd, 0, 3);
  if (rnd() < 0.35) return Array.from({ length: width }, () => randomTree(rnd, maxDepth - 1));
  const out: Record<string, unknown> = {};
  for (let i = 0; i < width; i++) out[`f${i}`] = randomTree(rnd, maxDepth - 1);
  return out;
}

/** Timestamps of every shape the ISO rule meets: the SDKs' own form, other ISO forms, impossible and malformed ones. */
export function randomTimestamp(rnd: Rng): unknown {
  const y = pick(rnd, [1900, 1999, 2000, 2023, 2024, 2100, int(rnd, 0, 9999)]);
  const mo = rnd() < 0.9 ? int(rnd, 1, 12) : int(rnd, 0, 19);
  const d = rnd() < 0.8 ? int(rnd, 1, 28) : int(rnd, 0, 39);
  const h = rnd() < 0.85 ? int(rnd, 0, 23) : int(rnd, 0, 29);
  const mi = rnd() < 0.85 ? int(rnd, 0, 59) : int(rnd, 0, 69);
  const s = rnd() < 0.85 ? int(rnd, 0, 59) : int(rnd, 0, 69);
  const date = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}`;
  const time = `${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}`;
  const ms = pad(int(rnd, 0, 999), 3);
  switch (int(rnd, 0, 13)) {
    case 0:
    case 1:
      return new Date(Date.UTC(2020, 0, 1) + Math.floor(rnd() * 2e11)).toISOString();
    case 2:
      return `${date}T${time}.${ms}Z`;
    case 3:
      return `${date}T${time}Z`;
    case 4:
      return `${date}${pick(rnd, ['t', ' ', 'T'])}${time}.${ms}${pick(rnd, ['z', 'Z', '+02:00', '-0530', '+01', ''])}`;
    case 5:
      return date;
    case 6:
      return `${date}T${pad(h, 2)}:${pad(mi, 2)}`;
    case 7:
      return `${date}T${time}.${'1'.repeat(int(rnd, 1, 10))}Z`;
    case 8:
      return pick(rnd, ['2023-02-29T00:00:00.000Z', '2023-02-30', '1900-02-29T00:00:00Z', '2024-04-31T00:00:00Z', '2024-02-29T00:00:00.000Z', '2000-02-29']);
    case 9:
      return pick(rnd, ['2024-05-01T24:00:00.000Z', '2024-05-01T24:00:00Z', '2024-05-01T23:59:60Z', '2024-05-01T23:60:00.000Z', '2024-05-01T00:00:00.000+24:00']);
    case 10:
      return pick(rnd, ['yesterday', '', '05/01/2024', '1714564800000', '2024-5-1', ' 2024-05-01', '2024-05-01T12:00:00.000Z ', '２０２４-05-01']);
    case 11:
      return pick(rnd, [1714564800000, 0, null, undefined, ABSENT, {}, [], true, new Date(0)]);
    default:
      return `${date}T${time}.${ms}Z`;
  }
}

const ID_VALUES: readonly unknown[] = [
  'u', '0', ' ', x(1024), x(1025), wide(1024), wide(1025), '', EMOJI,
  0, -0, 42, 1.5, -7, Number.MAX_VALUE, NaN, Infinity, -Infinity, 10n,
  true, null, undefined, ABSENT, {}, { id: 1 }, [], ['u'], new String('u'), new Date(0),
];
const MESSAGE_ID_VALUES: readonly unknown[] = ['m', x(256), x(257), wide(256), wide(257), '', null, undefined, ABSENT, 42, {}, ['m']];
const EVENT_VALUES: readonly unknown[] = ['E', 'Order Completed', x(512), x(513), wide(512), wide(513), '', null, undefined, ABSENT, 42, {}, ['E']];
const NAME_VALUES: readonly unknown[] = ['Home', '', x(512), x(513), wide(512), wide(513), null, undefined, ABSENT, 3, {}, []];
const CATEGORY_VALUES: readonly unknown[] = ['Docs', '', x(5000), null, undefined, ABSENT, 5, {}, [], false];

function dictValue(rnd: Rng): unknown {
  switch (int(rnd, 0, 9)) {
    case 0:
      return nested(pick(rnd, [31, 32, 33, 34]), pick(rnd, ['object', 'array', 'mixed'] as const));
    case 1:
      return { list: nested(pick(rnd, [30, 31, 32]), 'array') };
    case 2:
      return randomTree(rnd, 6);
    case 3:
      return pick(rnd, [null, undefined, ABSENT, {}]);
    case 4:
      return pick(rnd, [[], [1], [{ a: 1 }], 'web', '', 0, 1, true, NaN]);
    case 5:
      return Object.assign(Object.create(null), { a: 1, b: { c: [2] } });
    case 6:
      return pick(rnd, [new Date(0), new Map([['a', 1]]), () => 1, new (class Props { a = 1; })()]);
    default:
      return { a: NaN, b: Infinity, c: [-Infinity, { d: undefined }], e: '' };
  }
}

/** The pool a field's replacement is drawn from. */
function replacementFor(rnd: Rng, field: string): unknown {
  switch (field) {
    case 'userId':
    case 'anonymousId':
    case 'groupId':
    case 'previousId':
      return pick(rnd, ID_VALUES);
    case 'messageId':
      return pick(rnd, MESSAGE_ID_VALUES);
    case 'event':
      return pick(rnd, EVENT_VALUES);
    case 'name':
      return pick(rnd, NAME_VALUES);
    case 'category':
      return pick(rnd, CATEGORY_VALUES);
    case 'timestamp':
    case 'originalTimestamp':
    case 'sentAt':
      return randomTimestamp(rnd);
    case 'type':
      return pick(rnd, [...TYPES, 'purchase', '', null, undefined, ABSENT, 1, 'Track']);
    case 'extra':
      return pick(rnd, [undefined, null, 'server', 2, { a: { b: 1 } }, nested(40), NaN]);
    default:
      return dictValue(rnd);
  }
}

const MUTABLE_FIELDS = [
  'userId', 'anonymousId', 'groupId', 'previousId', 'messageId', 'event', 'name', 'category',
  'timestamp', 'originalTimestamp', 'sentAt', 'context', 'integrations', 'properties', 'traits', 'type',
];
const EXTRA_KEYS = ['_metadata', 'channel', 'version', 'writeKey', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'weird'];

function realisticContext(rnd: Rng, i: number): Record<string, unknown> {
  const path = `/products/sku-${i % 500}`;
  return {
    library: { name: pick(rnd, ['analytics.js', 'analytics-node', 'analytics-ios']), version: '1.84.3' },
    page: { path, referrer: rnd() < 0.3 ? 'https://www.google.com/' : '', title: 'Trail running shoe', url: `https://shop.example.com${path}?utm_source=google` },
    campaign: { source: 'google', medium: 'cpc', name: 'brand_search' },
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
    locale: 'en-US',
    ip: `203.0.113.${i % 250}`,
    ...(rnd() < 0.2 ? { traits: { email: 'a@b.c' }, device: { id: 'd1', type: 'ios' }, os: { name: 'iOS', version: '17' } } : {}),
  };
}

/** A valid message of `type` in the shapes SDKs send. */
export function validMessage(rnd: Rng, type: MessageType, i: number): Record<string, unknown> {
  const m: Record<string, unknown> = { type };
  if (rnd() < 0.9) m.messageId = `msg-${i}`;
  if (rnd() < 0.8) m.anonymousId = `anon-${int(rnd, 0, 9999)}`;
  if (rnd() < 0.5 || type === 'alias') m.userId = rnd() < 0.8 ? `user-${int(rnd, 0, 9999)}` : int(rnd, 0, 1e6);
  if (m.userId === undefined && m.anonymousId === undefined) m.anonymousId = `anon-${i}`;
  if (rnd() < 0.2 && type !== 'alias') m[m.userId === undefined ? 'userId' : 'anonymousId'] = pick(rnd, [null, undefined]);
  if (rnd() < 0.7) m.timestamp = new Date(Date.UTC(2024, 0, 1) + int(rnd, 0, 3e10)).toISOString();
  if (rnd() < 0.3) m.sentAt = new Date(Date.UTC(2024, 0, 1) + int(rnd, 0, 3e10)).toISOString();
  if (rnd() < 0.2) m.originalTimestamp = pick(rnd, ['2024-05-01T12:00:00+02:00', '2024-05-01', '2024-02-29T10:00:00.123456Z']);
  if (rnd() < 0.8) m.context = realisticContext(rnd, i);
  if (rnd() < 0.4) m.integrations = pick(rnd, [{}, { All: true, Mixpanel: false }, { 'Google Analytics': { clientId: 'c1' } }]);
  if (rnd() < 0.2) m._metadata = { bundled: ['Segment.io'], unbundled: [] };
  if (rnd() < 0.1) m.channel = 'server';
  if (type === 'track') {
    m.event = pick(rnd, ['Product Viewed', 'Order Completed', 'Signed Up', 'e']);
    m.properties = { product_id: `sku-${i % 500}`, price: int(rnd, 1, 99), currency: 'USD', products: [{ id: 'p', qty: 2 }] };
  } else if (type === 'identify' || type === 'group') {
    m.traits = { email: `u${i}@example.com`, plan: 'pro', address: { city: 'Berlin' } };
    if (type === 'group') m.groupId = rnd() < 0.8 ? `g-${i % 50}` : i % 50;
  } else if (type === 'page' || type === 'screen') {
    if (rnd() < 0.7) m.name = pick(rnd, ['Home', 'Product', '']);
    if (rnd() < 0.3) m.category = pick(rnd, ['Docs', '']);
    m.properties = { path: '/p', url: 'https://shop.example.com/p', title: 'P' };
  } else {
    m.previousId = rnd() < 0.8 ? `anon-${i}` : i;
  }
  return shuffled(rnd, m);
}

/** The same fields, inserted in another order. */
function shuffled(rnd: Rng, m: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(m);
  for (let i = keys.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [keys[i], keys[j]] = [keys[j], keys[i]];
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = m[k];
  return out;
}

/** Replaces 1 (mostly) to 3 fields of a valid message with values from their rule's pool. */
function mutated(rnd: Rng, m: Record<string, unknown>): Record<string, unknown> {
  const out = { ...m };
  const count = rnd() < 0.75 ? 1 : int(rnd, 2, 3);
  for (let k = 0; k < count; k++) {
    const extra = rnd() < 0.1;
    const field = extra ? pick(rnd, EXTRA_KEYS) : pick(rnd, MUTABLE_FIELDS);
    const value = replacementFor(rnd, extra ? 'extra' : field);
    if (value === ABSENT) delete out[field];
    else out[field] = value;
  }
  return out;
}

/** Plain objects in odd clothing: another prototype, none, or an own `__proto__` key. */
function oddlyBuilt(rnd: Rng, m: Record<string, unknown>): unknown {
  switch (int(rnd, 0, 3)) {
    case 0:
      return Object.assign(Object.create(null), m);
    case 1:
      return Object.assign(new (class Message {})(), m);
    case 2:
      // JSON.parse makes `__proto__` an own key; the schema's copy leaves it out.
      if (!isJsonSafe(m)) return Object.assign(Object.create(null), m);
      return JSON.parse(JSON.stringify({ ...m, __proto__x: { polluted: 1 } }).replace('"__proto__x"', '"__proto__"'));
    default:
      return Object.assign(Object.create({ inherited: 1 }), m);
  }
}

export interface Case {
  readonly input: unknown;
  readonly impliedType?: MessageType;
}

/** Case `i` of a run: mostly mutations, some untouched valid messages, a few odd inputs. */
export function makeCase(rnd: Rng, i: number): Case {
  const type = pick(rnd, TYPES);
  const base = validMessage(rnd, type, i);
  const roll = rnd();
  let input: unknown;
  if (roll < 0.25) input = base;
  else if (roll < 0.92) input = mutated(rnd, base);
  else if (roll < 0.97) input = oddlyBuilt(rnd, rnd() < 0.5 ? base : mutated(rnd, base));
  else input = pick(rnd, [null, [], [base], 'track', 7, undefined, true]);
  // A message read from JSON text (as both callers get them) rather than built in code.
  if (rnd() < 0.3 && isJsonSafe(input)) input = JSON.parse(JSON.stringify(input));
  if (rnd() < 0.2 && input !== null && typeof input === 'object' && !Array.isArray(input)) {
    const implied = rnd() < 0.8 ? type : pick(rnd, TYPES);
    if (rnd() < 0.6) delete (input as Record<string, unknown>).type;
    return { input, impliedType: implied };
  }
  return { input };
}

function isJsonSafe(value: unknown): boolean {
  try {
    JSON.stringify(value);
    return value !== undefined;
  } catch {
    return false; // BigInt
  }
}
