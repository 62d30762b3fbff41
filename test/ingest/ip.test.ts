import { describe, expect, it } from 'vitest';
import { truncateIp } from '../../src/ingest/ip.ts';
import { normalizeMessage } from '../../src/ingest/normalize.ts';

describe('IP truncation', () => {
  it('keeps /24 of IPv4 and /48 of IPv6, and drops what is not an address', () => {
    expect(truncateIp('203.0.113.195')).toBe('203.0.113.0');
    expect(truncateIp(' 10.1.2.3 ')).toBe('10.1.2.0');
    expect(truncateIp('2001:0db8:85a3:0000:0000:8a2e:0370:7334')).toBe('2001:0db8:85a3::');
    expect(truncateIp('2001:DB8::1')).toBe('2001:db8:0::');
    expect(truncateIp('::1')).toBe('0:0:0::');
    expect(truncateIp('not an ip')).toBeNull();
    expect(truncateIp(42)).toBeNull();
  });

  it('is applied to context.ip of every stored message', () => {
    const { row } = normalizeMessage({ type: 'track', event: 'A', userId: 'u1', context: { ip: '198.51.100.77', locale: 'en-GB' } } as never, { sourceId: 's', receivedAt: Date.UTC(2026, 0, 1) });
    const context = JSON.parse(row[26] as string);
    expect(context).toEqual({ ip: '198.51.100.0', locale: 'en-GB' });
  });
});
