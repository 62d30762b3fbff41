import { inspect, isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LIMITS, validateMessage, type MessageType } from '../../src/ingest/index.ts';
import { exceedsDepth, isIsoDateTime } from '../../src/ingest/schema.ts';
import { validateMessageWithSchema } from '../../src/ingest/validate.ts';
import { makeCase, nested, randomTimestamp, randomTree, seeded, validMessage } from './message-cases.ts';

const describeCase = (input: unknown, impliedType?: MessageType): string =>
  inspect(input, { depth: 3, breakLength: Infinity, maxStringLength: 30 }) + (impliedType ? ` at /v1/${impliedType}` : '');

describe('validateMessage: the fast path against the schema alone', () => {
  it('gives the same result as the schema for 20,000 generated messages', () => {
    const rnd = seeded(20_240_501);
    const mismatches: string[] = [];
    let accepted = 0;
    let answeredAsIs = 0;
    const rejectedFields = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const { input, impliedType } = makeCase(rnd, i);
      const expected = validateMessageWithSchema(input, impliedType);
      const actual = validateMessage(input, impliedType);
      if (!isDeepStrictEqual(actual, expected)) {
        mismatches.push(`${describeCase(input, impliedType)}: ${inspect(actual)} ≠ ${inspect(expected)}`);
      }
      if (actual.ok) {
        accepted++;
        if (actual.value === input) answeredAsIs++;
      } else {
        rejectedFields.add(actual.reason.slice(0, actual.reason.indexOf(':')));
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    // The run is only worth something if it covers both answers and every rule.
    expect(accepted).toBeGreaterThan(10_000);
    expect(20_000 - accepted).toBeGreaterThan(4000);
    expect(answeredAsIs / accepted).toBeGreaterThan(0.75); // the fast path decided these
    expect(accepted - answeredAsIs).toBeGreaterThan(200); // the schema decided these (copies)
    for (const field of [
      'message', 'type', 'messageId', 'userId', 'anonymousId', 'groupId', 'previousId', 'event', 'name', 'category',
      'timestamp', 'originalTimestamp', 'sentAt', 'context', 'integrations', 'properties', 'traits', 'userId or anonymousId',
    ]) {
      expect(rejectedFields, field).toContain(field);
    }
  });

  it('answers a realistic valid message with the message itself, unchanged', () => {
    const rnd = seeded(7);
    for (const type of ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const) {
      const message = JSON.parse(JSON.stringify(validMessage(rnd, type, 1))) as Record<string, unknown>;
      const before = JSON.stringify(message);
      const result = validateMessage(message);
      expect(result.ok && result.value).toBe(message);
      expect(JSON.stringify(message)).toBe(before);
      expect(validateMessageWithSchema(message)).toStrictEqual(result);
    }
  });
});

/** Each rule either side of its boundary, with the answer worked out from schema.ts by hand. */
const BOUNDARIES: ReadonlyArray<[string, Record<string, unknown>, boolean]> = [
  ['messageId of 256', { messageId: 'x'.repeat(256) }, true],
  ['messageId of 257', { messageId: 'x'.repeat(257) }, false],
  ['messageId of 256 code points in 257 units', { messageId: 'x'.repeat(255) + '\u{1F600}' }, true],
  ['empty messageId', { messageId: '' }, false],
  ['null messageId', { messageId: null }, false],
  ['undefined messageId', { messageId: undefined }, true],
  ['userId of 1024', { userId: 'x'.repeat(1024) }, true],
  ['userId of 1025', { userId: 'x'.repeat(1025) }, false],
  ['userId of 1024 code points in 1025 units', { userId: 'x'.repeat(1023) + '\u{1F600}' }, true],
  ['empty userId beside an anonymousId', { userId: '' }, false],
  ['NaN userId', { userId: NaN }, false],
  ['Infinity anonymousId', { anonymousId: -Infinity }, false],
  ['0 as the only id', { userId: 0, anonymousId: undefined }, true],
  ['null userId and anonymousId', { userId: null, anonymousId: null }, false],
  ['null userId beside an anonymousId', { userId: null }, true],
  ['timestamp 2024-02-29', { timestamp: '2024-02-29T23:59:59.999Z' }, true],
  ['timestamp 2023-02-29', { timestamp: '2023-02-29T00:00:00.000Z' }, false],
  ['sentAt 2023-02-30', { sentAt: '2023-02-30' }, false],
  ['originalTimestamp 1900-02-29', { originalTimestamp: '1900-02-29T00:00:00Z' }, false],
  ['timestamp hour 25', { timestamp: '2024-05-01T25:00:00.000Z' }, false],
  ['timestamp without seconds, with offset', { timestamp: '2024-05-01T12:00+02:00' }, true],
  ['numeric timestamp', { timestamp: 1714564800000 }, false],
  ['null sentAt', { sentAt: null }, true],
  ['properties an array', { properties: [1] }, false],
  ['context a string', { context: 'web' }, false],
  ['integrations null', { integrations: null }, true],
  ['properties 32 deep', { properties: nested(LIMITS.maxDepth) }, true],
  ['properties 33 deep', { properties: nested(LIMITS.maxDepth + 1) }, false],
  ['traits 32 deep in arrays', { traits: { a: nested(LIMITS.maxDepth - 1, 'array') } }, true],
  ['traits 33 deep in arrays', { traits: { a: nested(LIMITS.maxDepth, 'array') } }, false],
  ['context 33 deep', { context: nested(LIMITS.maxDepth + 1, 'mixed') }, false],
  ['integrations 33 deep', { integrations: nested(LIMITS.maxDepth + 1) }, false],
  ['unknown fields', { _metadata: { bundled: [] }, channel: 'server', toString: 'x' }, true],
  ['event of 512', { event: 'x'.repeat(512) }, true],
  ['event of 513', { event: 'x'.repeat(513) }, false],
  ['empty event', { event: '' }, false],
  ['no event', { event: undefined }, false],
];

describe('validateMessage: boundaries of each rule', () => {
  it.each(BOUNDARIES)('%s', (_name, fields, valid) => {
    const message = { type: 'track', event: 'E', anonymousId: 'a', ...fields };
    expect(validateMessage(message).ok).toBe(valid);
    expect(validateMessageWithSchema(message)).toStrictEqual(validateMessage(message));
  });

  it.each([
    ['page name of 512', 'page', { name: 'x'.repeat(512) }, true],
    ['page name of 513', 'page', { name: 'x'.repeat(513) }, false],
    ['empty screen name and category', 'screen', { name: '', category: '' }, true],
    ['numeric category', 'page', { category: 5 }, false],
    ['group without groupId', 'group', {}, false],
    ['numeric groupId', 'group', { groupId: 7.5 }, true],
    ['alias without userId', 'alias', { previousId: 'p' }, false],
    ['alias with ids only', 'alias', { previousId: 'p', userId: 'u', anonymousId: undefined }, true],
    ['alias with a null userId', 'alias', { previousId: 'p', userId: null }, false],
  ] as const)('%s', (_name, type, fields, valid) => {
    const message = { type, anonymousId: 'a', ...fields };
    expect(validateMessage(message).ok).toBe(valid);
    expect(validateMessageWithSchema(message)).toStrictEqual(validateMessage(message));
  });
});

// The forms these had before the hot-path work, as references for the shared rules.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
function referenceIsIso(s: string): boolean {
  if (!ISO_8601.test(s)) return false;
  const [y, m, d] = [Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))];
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return d <= days && !Number.isNaN(Date.parse(s));
}
function referenceExceedsDepth(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (limit <= 0) return true;
  if (Array.isArray(value)) {
    for (const child of value) if (referenceExceedsDepth(child, limit - 1)) return true;
    return false;
  }
  for (const key in value) if (referenceExceedsDepth((value as Record<string, unknown>)[key], limit - 1)) return true;
  return false;
}

describe('the shared rules against their plain forms', () => {
  it('reads 20,000 generated timestamps as Date.parse and the calendar do', () => {
    const rnd = seeded(99);
    let valid = 0;
    for (let i = 0; i < 20_000; i++) {
      const t = randomTimestamp(rnd);
      if (typeof t !== 'string') continue;
      expect(isIsoDateTime(t), t).toBe(referenceIsIso(t));
      if (isIsoDateTime(t)) valid++;
    }
    expect(valid).toBeGreaterThan(5000);
  });

  it('measures depth as the plain recursive walk does', () => {
    const rnd = seeded(5);
    for (let i = 0; i < 3000; i++) {
      const tree = i % 3 === 0 ? nested(28 + (i % 8), i % 2 === 0 ? 'mixed' : 'array') : randomTree(rnd, 12);
      const limit = i % 3 === 0 ? LIMITS.maxDepth : 1 + (i % 10);
      expect(exceedsDepth(tree, limit)).toBe(referenceExceedsDepth(tree, limit));
    }
  });
});
