import { isIPv4, isIPv6 } from 'node:net';

/**
 * Truncates an IP address before it is stored, as analytics tools do for privacy: IPv4 keeps its
 * first three bytes (/24), IPv6 its first three groups (/48). Enough for a country, not for a
 * household. Anything that is not an IP address is left out (null).
 */
export function truncateIp(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const ip = value.trim();
  if (isIPv4(ip)) return ip.replace(/\.\d+$/, '.0');
  if (isIPv6(ip)) {
    const [head, tail] = ip.split('::');
    const groups = head === '' ? [] : head.split(':');
    // With "::" inside the first three groups, the missing groups are zeros.
    const full = tail === undefined ? groups : [...groups, ...Array(Math.max(0, 8 - groups.length - (tail === '' ? 0 : tail.split(':').length))).fill('0')];
    return `${full.slice(0, 3).map((g) => g.toLowerCase() || '0').join(':')}::`;
  }
  return null;
}
