import { z } from 'zod';

/**
 * Segment-spec messages as the HTTP tracking API and the SDKs send them. Unknown fields are kept
 * (loose objects): SDKs add their own (`_metadata`, `channel`, `version`).
 */
export const MESSAGE_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** The browser SDK's one-letter paths. */
export const SHORT_PATHS: Readonly<Record<string, MessageType | 'batch'>> = {
  t: 'track',
  i: 'identify',
  p: 'page',
  s: 'screen',
  g: 'group',
  a: 'alias',
  b: 'batch',
};

const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** Date.parse rolls impossible days over (2023-02-30 → 2023-03-02); check the day exists. */
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written by the two ASCII digits at `i`. */
function twoDigits(s: string, i: number): number {
  return (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48;
}

/**
 * Whether a string that matches ISO_8601 names a real calendar date-time: the day exists in its
 * month and Date.parse reads it. The SDKs' own form (`toISOString`, `YYYY-MM-DDTHH:MM:SS[.sss]Z`)
 * with hours 00–23, minutes and seconds 00–59 is always readable, so it skips Date.parse (most of
 * the cost of a timestamp on the hot path). No closures in here: the tsx loader the server runs
 * under wraps every function expression in a naming call, which made this check cost ~0.7 µs.
 */
function isCalendarDateTime(s: string): boolean {
  // The regex has checked the shape: digits at the fixed positions. Read them directly.
  const y = twoDigits(s, 0) * 100 + twoDigits(s, 2);
  const m = twoDigits(s, 5);
  const d = twoDigits(s, 8);
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1])) return false;
  const n = s.length;
  // 84 'T', 46 '.', 90 'Z'
  const sdkForm = (n === 20 || (n === 24 && s.charCodeAt(19) === 46)) && s.charCodeAt(10) === 84 && s.charCodeAt(n - 1) === 90;
  if (sdkForm && twoDigits(s, 11) <= 23 && twoDigits(s, 14) <= 59 && twoDigits(s, 17) <= 59) return true;
  return !Number.isNaN(Date.parse(s));
}

/** The timestamp rule in one call (the schema below reports its two halves as separate issues). */
export function isIsoDateTime(s: string): boolean {
  return ISO_8601.test(s) && isCalendarDateTime(s);
}

const timestamp = z
  .string()
  .regex(ISO_8601, { message: 'must be an ISO-8601 date-time, e.g. 2024-05-01T12:00:00.000Z', abort: true })
  .refine(isCalendarDateTime, 'is not a valid calendar date-time');

/**
 * Longest strings accepted, in code points (zod counts code points: a string within a limit in
 * UTF-16 units is within it in code points too, the converse needs counting).
 */
export const MAX_CHARS = { id: 1024, messageId: 256, event: 512, name: 512 } as const;

/** Ids: Segment accepts strings; numbers are coerced to their decimal string. */
const id = z.union([
  z.string().min(1, 'must not be empty').max(MAX_CHARS.id, `is longer than ${MAX_CHARS.id} characters`),
  z.number().finite(),
]);

/** A JSON object: what `context`, `integrations`, `properties` and `traits` must be. */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A JSON object. Checked in O(1): JSON keys are always strings, so walking every key the way
 * z.record does costs time on the hot path and finds nothing.
 */
const dict = z
  .custom<Record<string, unknown>>(isJsonObject, {
    error: (issue) => `expected object, received ${issue.input === null ? 'null' : Array.isArray(issue.input) ? 'array' : typeof issue.input}`,
  })
  .meta({ type: 'object' });

const common = {
  messageId: z.string().min(1).max(MAX_CHARS.messageId).optional(),
  anonymousId: id.nullish(),
  userId: id.nullish(),
  timestamp: timestamp.nullish(),
  originalTimestamp: timestamp.nullish(),
  sentAt: timestamp.nullish(),
  context: dict.nullish(),
  integrations: dict.nullish(),
  properties: dict.nullish(),
  traits: dict.nullish(),
};

const track = z.looseObject({ ...common, type: z.literal('track'), event: z.string().min(1, 'must not be empty').max(MAX_CHARS.event) });
const identify = z.looseObject({ ...common, type: z.literal('identify') });
const page = z.looseObject({ ...common, type: z.literal('page'), name: z.string().max(MAX_CHARS.name).nullish(), category: z.string().nullish() });
const screen = z.looseObject({ ...common, type: z.literal('screen'), name: z.string().max(MAX_CHARS.name).nullish(), category: z.string().nullish() });
const group = z.looseObject({ ...common, type: z.literal('group'), groupId: id });
const alias = z.looseObject({ ...common, type: z.literal('alias'), previousId: id, userId: id });

export const messageSchema = z.discriminatedUnion('type', [track, identify, page, screen, group, alias]);
export type SegmentMessage = z.infer<typeof messageSchema>;

/** What each single-message endpoint (`/v1/track` …) accepts, for the API's description: `type` is implied by the path. */
export const ENDPOINT_SCHEMAS: Readonly<Record<MessageType, z.ZodType>> = {
  track: track.extend({ type: z.literal('track').optional() }),
  identify: identify.extend({ type: z.literal('identify').optional() }),
  page: page.extend({ type: z.literal('page').optional() }),
  screen: screen.extend({ type: z.literal('screen').optional() }),
  group: group.extend({ type: z.literal('group').optional() }),
  alias: alias.extend({ type: z.literal('alias').optional() }),
};

/** Segment's documented limits. */
export const LIMITS = {
  messageBytes: 32 * 1024,
  batchBytes: 500 * 1024,
  batchMessages: 2500,
  /** Objects nested deeper than this (properties, traits, context, integrations) are rejected. */
  maxDepth: 32,
} as const;

/**
 * A batch as the SDKs send it, for the API's description: the endpoint checks each message on its
 * own, so one bad message is reported by index while the others are stored.
 */
export const batchSchema = z.looseObject({
  batch: z.array(messageSchema).min(1).max(LIMITS.batchMessages),
  context: dict.optional().meta({ description: 'applies to every message of the batch; a message’s own context keys win' }),
  integrations: dict.optional().meta({ description: 'applies to every message of the batch; a message’s own keys win' }),
  sentAt: timestamp.optional(),
  writeKey: z.string().optional().meta({ description: 'the write key, when not in the Authorization header' }),
});

/** The fields whose nesting is limited to LIMITS.maxDepth, in the order they are reported. */
export const DEPTH_LIMITED_FIELDS = ['properties', 'traits', 'context', 'integrations'] as const;

/**
 * Whether an object or array nests deeper than `limit` levels (the value itself is level 1),
 * stopping as soon as the limit is passed. Primitives are never descended into.
 */
export function exceedsDepth(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (limit <= 0) return true;
  if (Array.isArray(value)) {
    for (const child of value) if (typeof child === 'object' && child !== null && exceedsDepth(child, limit - 1)) return true;
    return false;
  }
  for (const key in value) {
    const child = (value as Record<string, unknown>)[key];
    if (typeof child === 'object' && child !== null && exceedsDepth(child, limit - 1)) return true;
  }
  return false;
}

/** A missing id for the userId-or-anonymousId rule. */
export function isBlankId(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}
