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

function isCalendarDateTime(s: string): boolean {
  // The regex has checked the shape: YYYY-MM-DD at the start. Read the digits directly (hot path).
  const digit = (i: number) => s.charCodeAt(i) - 48;
  const y = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
  const m = digit(5) * 10 + digit(6);
  const d = digit(8) * 10 + digit(9);
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1])) return false;
  return !Number.isNaN(Date.parse(s));
}

const timestamp = z
  .string()
  .regex(ISO_8601, { message: 'must be an ISO-8601 date-time, e.g. 2024-05-01T12:00:00.000Z', abort: true })
  .refine(isCalendarDateTime, 'is not a valid calendar date-time');

/** Ids: Segment accepts strings; numbers are coerced to their decimal string. */
const id = z.union([z.string().min(1, 'must not be empty').max(1024, 'is longer than 1024 characters'), z.number().finite()]);
/**
 * A JSON object. Checked in O(1): JSON keys are always strings, so walking every key the way
 * z.record does costs time on the hot path and finds nothing.
 */
const dict = z.custom<Record<string, unknown>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  { error: (issue) => `expected object, received ${issue.input === null ? 'null' : Array.isArray(issue.input) ? 'array' : typeof issue.input}` },
);

const common = {
  messageId: z.string().min(1).max(256).optional(),
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

const track = z.looseObject({ ...common, type: z.literal('track'), event: z.string().min(1, 'must not be empty').max(512) });
const identify = z.looseObject({ ...common, type: z.literal('identify') });
const page = z.looseObject({ ...common, type: z.literal('page'), name: z.string().max(512).nullish(), category: z.string().nullish() });
const screen = z.looseObject({ ...common, type: z.literal('screen'), name: z.string().max(512).nullish(), category: z.string().nullish() });
const group = z.looseObject({ ...common, type: z.literal('group'), groupId: id });
const alias = z.looseObject({ ...common, type: z.literal('alias'), previousId: id, userId: id });

export const messageSchema = z.discriminatedUnion('type', [track, identify, page, screen, group, alias]);
export type SegmentMessage = z.infer<typeof messageSchema>;

/** Segment's documented limits. */
export const LIMITS = {
  messageBytes: 32 * 1024,
  batchBytes: 500 * 1024,
  batchMessages: 2500,
  /** Objects nested deeper than this (properties, traits, context) are rejected. */
  maxDepth: 32,
} as const;
