import { describe, expect, it } from 'vitest';
import { LIMITS, validateMessage } from '../../src/ingest/index.ts';

function reasonOf(input: unknown, impliedType?: Parameters<typeof validateMessage>[1]): string {
  const result = validateMessage(input, impliedType);
  if (result.ok) throw new Error(`expected a reject, got ok for ${JSON.stringify(input)}`);
  return result.reason;
}

function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

describe('validateMessage: required fields per type', () => {
  it.each([
    { type: 'track', message: { type: 'track', userId: 'u', event: 'Signed Up' } },
    { type: 'identify', message: { type: 'identify', userId: 'u', traits: { email: 'a@b.c' } } },
    { type: 'page', message: { type: 'page', anonymousId: 'a', name: 'Home' } },
    { type: 'screen', message: { type: 'screen', anonymousId: 'a', name: 'Home' } },
    { type: 'group', message: { type: 'group', userId: 'u', groupId: 'g' } },
    { type: 'alias', message: { type: 'alias', userId: 'u', previousId: 'p' } },
  ])('accepts a minimal $type', ({ message }) => {
    const result = validateMessage(message);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value).toMatchObject(message);
  });

  it.each([
    { name: 'track without event', input: { type: 'track', userId: 'u' }, reason: 'event: is required' },
    { name: 'track with empty event', input: { type: 'track', userId: 'u', event: '' }, reason: 'event: must not be empty' },
    { name: 'group without groupId', input: { type: 'group', userId: 'u' }, reason: 'groupId: is required' },
    { name: 'alias without previousId', input: { type: 'alias', userId: 'u' }, reason: 'previousId: is required' },
    { name: 'alias without userId', input: { type: 'alias', previousId: 'p', anonymousId: 'a' }, reason: 'userId: is required' },
    { name: 'identify with neither id', input: { type: 'identify', traits: {} }, reason: 'userId or anonymousId: one of them is required' },
    { name: 'page with null ids', input: { type: 'page', userId: null, anonymousId: null }, reason: 'userId or anonymousId: one of them is required' },
    { name: 'no type', input: { userId: 'u', event: 'E' }, reason: 'type: is required (one of track, identify, page, screen, group, alias)' },
  ])('rejects $name', ({ input, reason }) => {
    expect(reasonOf(input)).toBe(reason);
  });

  it('names the unknown type and the allowed ones', () => {
    expect(reasonOf({ type: 'purchase', userId: 'u' })).toBe(
      'type: unknown message type "purchase" (expected one of track, identify, page, screen, group, alias)',
    );
  });

  it('tells a wrong type from a missing field', () => {
    expect(reasonOf({ type: 'track', userId: 'u', event: 42 })).toMatch(/^event: .*expected string, received number$/);
    expect(reasonOf({ type: 'track', userId: { id: 1 }, event: 'E' })).toBe('userId: expected string or number, received object');
    expect(reasonOf({ type: 'group', userId: 'u', groupId: [1] })).toBe('groupId: expected string or number, received array');
    expect(reasonOf({ type: 'track', userId: 'u', event: 'E', properties: [1] })).toMatch(/^properties: .*expected object, received array$/);
    expect(reasonOf({ type: 'track', userId: 'u', event: 'E', context: 'web' })).toMatch(/^context: .*expected object, received string$/);
  });

  it('reports at most three issues, each with its field', () => {
    const reason = reasonOf({ type: 'track', userId: 'u', event: 1, properties: 2, context: 3, traits: 4 });
    expect(reason.split('; ')).toHaveLength(3);
    for (const part of reason.split('; ')) expect(part).toMatch(/^(event|properties|context|traits): /);
  });

  it('rejects ids that are empty or too long', () => {
    expect(reasonOf({ type: 'identify', anonymousId: '' })).toBe('anonymousId: must not be empty');
    expect(reasonOf({ type: 'identify', userId: 'x'.repeat(1025) })).toBe('userId: is longer than 1024 characters');
    expect(validateMessage({ type: 'identify', userId: 'x'.repeat(1024) }).ok).toBe(true);
  });
});

describe('validateMessage: single-message endpoints', () => {
  it('takes the type from the endpoint when the body has none', () => {
    const result = validateMessage({ userId: 'u', event: 'E' }, 'track');
    expect(result.ok && result.value.type).toBe('track');
  });

  it('rejects a type that contradicts the endpoint', () => {
    expect(reasonOf({ type: 'identify', userId: 'u' }, 'track')).toBe('type: "identify" does not match the endpoint /v1/track');
  });

  it.each([
    ['null', null, 'null'],
    ['an array', [], 'an array'],
    ['a string', 'track', 'string'],
    ['a number', 7, 'number'],
  ])('rejects %s as a message', (_name, input, got) => {
    expect(reasonOf(input)).toBe(`message: must be a JSON object, got ${got}`);
  });
});

describe('validateMessage: ids', () => {
  it('keeps numeric ids (normalize turns them into decimal strings)', () => {
    const result = validateMessage({ type: 'group', userId: 42, groupId: 7, anonymousId: 0 });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value).toMatchObject({ userId: 42, groupId: 7, anonymousId: 0 });
  });

  it('accepts a number 0 as the only id', () => {
    expect(validateMessage({ type: 'identify', userId: 0 }).ok).toBe(true);
  });
});

describe('validateMessage: timestamps', () => {
  it.each([
    '2024-05-01T12:00:00.000Z',
    '2024-05-01T12:00:00Z',
    '2024-05-01T12:00:00+02:00',
    '2024-05-01T12:00:00.123456789-0530',
    '2024-05-01',
    '2024-02-29T00:00:00Z',
    '2000-02-29T00:00:00Z',
  ])('accepts %s', (timestamp) => {
    expect(validateMessage({ type: 'track', userId: 'u', event: 'E', timestamp, sentAt: timestamp, originalTimestamp: timestamp }).ok).toBe(true);
  });

  it.each([
    ['yesterday', 'must be an ISO-8601 date-time'],
    ['05/01/2024', 'must be an ISO-8601 date-time'],
    ['1714564800000', 'must be an ISO-8601 date-time'],
    ['2024-13-45T00:00:00Z', 'is not a valid calendar date-time'],
    ['2023-02-29T00:00:00Z', 'is not a valid calendar date-time'],
    ['1900-02-29T00:00:00Z', 'is not a valid calendar date-time'],
    ['2024-04-31T00:00:00Z', 'is not a valid calendar date-time'],
    ['2024-05-01T25:00:00Z', 'is not a valid calendar date-time'],
  ])('rejects %s', (timestamp, why) => {
    expect(reasonOf({ type: 'track', userId: 'u', event: 'E', timestamp })).toBe(`timestamp: ${why}` + (why.startsWith('must') ? ', e.g. 2024-05-01T12:00:00.000Z' : ''));
  });

  it('checks sentAt and originalTimestamp too', () => {
    expect(reasonOf({ type: 'track', userId: 'u', event: 'E', sentAt: 'now' })).toMatch(/^sentAt: must be an ISO-8601/);
    expect(reasonOf({ type: 'track', userId: 'u', event: 'E', originalTimestamp: 12 })).toMatch(/^originalTimestamp: .*expected string/);
  });
});

describe('validateMessage: depth limit', () => {
  it(`accepts objects nested ${LIMITS.maxDepth} levels`, () => {
    expect(validateMessage({ type: 'track', userId: 'u', event: 'E', properties: nested(LIMITS.maxDepth) as Record<string, unknown> }).ok).toBe(true);
  });

  it.each(['properties', 'traits', 'context', 'integrations'])('rejects %s nested deeper than the limit', (field) => {
    expect(reasonOf({ type: 'identify', userId: 'u', [field]: nested(LIMITS.maxDepth + 1) })).toBe(`${field}: nested deeper than ${LIMITS.maxDepth} levels`);
  });

  it('counts arrays as levels and stops early on very deep input', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(reasonOf({ type: 'track', userId: 'u', event: 'E', properties: { list: deep } })).toBe('properties: nested deeper than 32 levels');
  });
});
