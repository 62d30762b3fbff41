import { describe, expect, it } from 'vitest';
import { correctTimestamp, LIMITS, normalizeMessage, validateMessage, type SegmentMessage } from '../../src/ingest/index.ts';
import { EVENT_COLUMN_INDEX, EVENTS_TABLE } from '../../src/store/index.ts';

const RECEIVED = Date.parse('2024-05-01T12:00:10.000Z');

function message(input: Record<string, unknown>): SegmentMessage {
  const result = validateMessage(input);
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

/** The normalized row as an object keyed by events column. */
function row(input: Record<string, unknown>, envelopeSentAt?: string | null): Record<string, string | number | null> {
  const normalized = normalizeMessage(message(input), { sourceId: 'src_1', receivedAt: RECEIVED, envelopeSentAt });
  expect(normalized.row).toHaveLength(EVENTS_TABLE.columns.length);
  return Object.fromEntries(EVENTS_TABLE.columns.map(([name]) => [name, normalized.row[EVENT_COLUMN_INDEX[name]]]));
}

describe('normalizeMessage: identity and type columns', () => {
  it('fills one column per Segment field', () => {
    const r = row({ type: 'track', event: 'Order Completed', userId: 'u1', anonymousId: 'a1', messageId: 'm1' });
    expect(r).toMatchObject({ message_id: 'm1', source_id: 'src_1', type: 'track', event: 'Order Completed', user_id: 'u1', anonymous_id: 'a1' });
    expect(r.name).toBeNull();
    expect(r.group_id).toBeNull();
    expect(r.previous_id).toBeNull();
  });

  it('coerces numeric ids to decimal strings', () => {
    expect(row({ type: 'group', userId: 42, anonymousId: 0, groupId: 7.5 })).toMatchObject({ user_id: '42', anonymous_id: '0', group_id: '7.5' });
    expect(row({ type: 'alias', userId: 1, previousId: 2 })).toMatchObject({ user_id: '1', previous_id: '2' });
  });

  it('keeps name only for page and screen, groupId only for group', () => {
    expect(row({ type: 'page', anonymousId: 'a', name: 'Pricing' }).name).toBe('Pricing');
    expect(row({ type: 'screen', anonymousId: 'a', name: 'Cart' }).name).toBe('Cart');
    expect(row({ type: 'track', anonymousId: 'a', event: 'E', name: 'ignored' }).name).toBeNull();
  });

  it('fills a messageId when absent, unique per message', () => {
    const a = row({ type: 'identify', userId: 'u' }).message_id as string;
    const b = row({ type: 'identify', userId: 'u' }).message_id as string;
    expect(a).toMatch(/^trb-[0-9a-f-]{36}$/);
    expect(a).not.toBe(b);
  });

  it('stores the JSON documents as text', () => {
    const r = row({ type: 'identify', userId: 'u', traits: { plan: 'pro' }, context: { ip: '1.2.3.4' }, integrations: { All: true } });
    expect(JSON.parse(r.traits as string)).toEqual({ plan: 'pro' });
    expect(JSON.parse(r.context as string)).toEqual({ ip: '1.2.3.0' }); // IPs are stored truncated
    expect(JSON.parse(r.integrations as string)).toEqual({ All: true });
    expect(r.properties).toBeNull();
  });
});

describe('normalizeMessage: campaign', () => {
  it('reads context.campaign', () => {
    const r = row({
      type: 'track',
      userId: 'u',
      event: 'E',
      context: { campaign: { source: 'google', medium: 'cpc', name: 'spring', term: 'shoes', content: 'ad-1' } },
    });
    expect(r).toMatchObject({ campaign_source: 'google', campaign_medium: 'cpc', campaign_name: 'spring', campaign_term: 'shoes', campaign_content: 'ad-1' });
  });

  it('falls back to utm_ parameters of the page url', () => {
    const r = row({
      type: 'page',
      anonymousId: 'a',
      context: { page: { url: 'https://shop.example/?utm_source=newsletter&utm_medium=email&utm_campaign=may&utm_term=t&utm_content=c' } },
    });
    expect(r).toMatchObject({ campaign_source: 'newsletter', campaign_medium: 'email', campaign_name: 'may', campaign_term: 't', campaign_content: 'c' });
  });

  it('prefers context.campaign over the url', () => {
    const r = row({
      type: 'page',
      anonymousId: 'a',
      context: { campaign: { source: 'sdk' }, page: { url: 'https://shop.example/?utm_source=url' } },
    });
    expect(r.campaign_source).toBe('sdk');
  });

  it('leaves campaign empty for urls without utm_ or that do not parse', () => {
    expect(row({ type: 'page', anonymousId: 'a', context: { page: { url: 'https://shop.example/?q=1' } } }).campaign_source).toBeNull();
    expect(row({ type: 'page', anonymousId: 'a', context: { page: { url: 'not a url utm_source=x' } } }).campaign_source).toBeNull();
  });
});

describe('normalizeMessage: page columns', () => {
  it('reads url, path and referrer from context.page', () => {
    const r = row({ type: 'track', userId: 'u', event: 'E', context: { page: { url: 'https://a.example/p', path: '/p', referrer: 'https://g.example/' } } });
    expect(r).toMatchObject({ page_url: 'https://a.example/p', page_path: '/p', page_referrer: 'https://g.example/' });
  });

  it('falls back to page properties for page and screen calls only', () => {
    const props = { url: 'https://a.example/x?utm_source=fb', path: '/x', referrer: 'https://r.example/' };
    expect(row({ type: 'page', anonymousId: 'a', properties: props })).toMatchObject({
      page_url: props.url,
      page_path: '/x',
      page_referrer: props.referrer,
      campaign_source: 'fb',
    });
    expect(row({ type: 'track', anonymousId: 'a', event: 'E', properties: props })).toMatchObject({ page_url: null, page_path: null, page_referrer: null });
  });
});

describe('normalizeMessage: revenue, currency, channel', () => {
  it.each([
    [{ revenue: 42.5 }, 42.5],
    [{ revenue: '19.99' }, 19.99],
    [{ total: 100 }, 100],
    [{ total: ' 7 ' }, 7],
    [{ revenue: 5, total: 100 }, 5],
    [{ revenue: 'free', total: '12' }, 12],
    [{ revenue: '' }, null],
    [{ revenue: 'abc' }, null],
    [{ revenue: true }, null],
    [{}, null],
  ])('properties %j → revenue %s', (properties, revenue) => {
    expect(row({ type: 'track', userId: 'u', event: 'Order Completed', properties }).revenue).toBe(revenue);
  });

  it('reads currency and channel from properties', () => {
    expect(row({ type: 'track', userId: 'u', event: 'E', properties: { currency: 'EUR', channel: 'Paid Search' } })).toMatchObject({
      currency: 'EUR',
      channel: 'Paid Search',
    });
  });
});

describe('normalizeMessage: timestamps', () => {
  const at = (r: Record<string, unknown>, column: string) => (r[column] === null ? null : new Date(r[column] as number).toISOString());

  it('corrects client clock skew: receivedAt − (sentAt − originalTimestamp)', () => {
    // The client clock is 1 hour fast: it stamped the event 5 s before sending.
    const r = row({ type: 'track', userId: 'u', event: 'E', originalTimestamp: '2024-05-01T13:00:00.000Z', sentAt: '2024-05-01T13:00:05.000Z' });
    expect(at(r, 'timestamp')).toBe('2024-05-01T12:00:05.000Z');
    expect(at(r, 'original_timestamp')).toBe('2024-05-01T13:00:00.000Z');
    expect(at(r, 'sent_at')).toBe('2024-05-01T13:00:05.000Z');
    expect(at(r, 'received_at')).toBe('2024-05-01T12:00:10.000Z');
  });

  it('uses timestamp when there is no originalTimestamp', () => {
    const r = row({ type: 'track', userId: 'u', event: 'E', timestamp: '2024-05-01T11:59:00.000Z', sentAt: '2024-05-01T12:00:00.000Z' });
    expect(at(r, 'timestamp')).toBe('2024-05-01T11:59:10.000Z');
  });

  it('keeps the client time as is without sentAt (historical import)', () => {
    const r = row({ type: 'track', userId: 'u', event: 'E', timestamp: '2019-01-01T00:00:00.000Z' });
    expect(at(r, 'timestamp')).toBe('2019-01-01T00:00:00.000Z');
    expect(r.sent_at).toBeNull();
  });

  it("uses the envelope's sentAt when the message has none", () => {
    const r = row({ type: 'track', userId: 'u', event: 'E', timestamp: '2024-05-01T13:00:00.000Z' }, '2024-05-01T13:00:02.000Z');
    expect(at(r, 'timestamp')).toBe('2024-05-01T12:00:08.000Z');
    expect(at(r, 'sent_at')).toBe('2024-05-01T13:00:02.000Z');
  });

  it("prefers the message's own sentAt over the envelope's", () => {
    const r = row(
      { type: 'track', userId: 'u', event: 'E', originalTimestamp: '2024-05-01T13:00:00.000Z', sentAt: '2024-05-01T13:00:01.000Z' },
      '2024-05-01T13:00:09.000Z',
    );
    expect(at(r, 'timestamp')).toBe('2024-05-01T12:00:09.000Z');
  });

  it('uses the receive time without any client time', () => {
    const r = row({ type: 'identify', userId: 'u' }, '2024-05-01T13:00:02.000Z');
    expect(r.timestamp).toBe(RECEIVED);
    expect(r.original_timestamp).toBeNull();
  });

  it('correctTimestamp ignores an unparseable sentAt', () => {
    expect(correctTimestamp('2024-01-01T00:00:00Z', 'garbage', RECEIVED)).toBe(Date.parse('2024-01-01T00:00:00Z'));
    expect(correctTimestamp(null, '2024-01-01T00:00:00Z', RECEIVED)).toBe(RECEIVED);
  });
});

describe('normalizeMessage: size', () => {
  it('counts UTF-8 bytes of what is stored', () => {
    const ascii = normalizeMessage(message({ type: 'track', userId: 'u', event: 'E', properties: { s: 'x'.repeat(10_000) } }), {
      sourceId: 's',
      receivedAt: RECEIVED,
    });
    const euro = normalizeMessage(message({ type: 'track', userId: 'u', event: 'E', properties: { s: '€'.repeat(10_000) } }), {
      sourceId: 's',
      receivedAt: RECEIVED,
    });
    expect(ascii.bytes).toBeGreaterThan(10_000);
    expect(ascii.bytes).toBeLessThan(LIMITS.messageBytes);
    // '€' is 3 bytes in UTF-8: 10,000 of them pass the 32 KB limit.
    expect(euro.bytes - ascii.bytes).toBe(20_000);
    expect(euro.bytes).toBeLessThan(LIMITS.messageBytes);
    const big = normalizeMessage(message({ type: 'track', userId: 'u', event: 'E', properties: { s: '€'.repeat(11_000) } }), {
      sourceId: 's',
      receivedAt: RECEIVED,
    });
    expect(big.bytes).toBeGreaterThan(LIMITS.messageBytes);
  });
});
