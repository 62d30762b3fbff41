import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/ingest/rate-limit.ts';

describe('RateLimiter (token bucket)', () => {
  it('lets a burst through, then answers the seconds to wait', () => {
    const limiter = new RateLimiter(2, 3);
    expect([0, 0, 0].map(() => limiter.take('k', 1_000))).toEqual([0, 0, 0]);
    expect(limiter.take('k', 1_000)).toBe(1);
  });

  it('refills at the sustained rate', () => {
    const limiter = new RateLimiter(2, 2);
    limiter.take('k', 0);
    limiter.take('k', 0);
    expect(limiter.take('k', 0)).toBeGreaterThan(0);
    expect(limiter.take('k', 499)).toBeGreaterThan(0); // 0.998 tokens
    expect(limiter.take('k', 500)).toBe(0); // one token after 500 ms at 2/s
    expect(limiter.take('k', 500)).toBeGreaterThan(0);
  });

  it('never refills past the burst', () => {
    const limiter = new RateLimiter(10, 2);
    limiter.take('k', 0);
    const later = 60_000;
    expect([limiter.take('k', later), limiter.take('k', later), limiter.take('k', later)].map((w) => w === 0)).toEqual([true, true, false]);
  });

  it('keeps one bucket per key', () => {
    const limiter = new RateLimiter(1, 1);
    expect(limiter.take('a', 0)).toBe(0);
    expect(limiter.take('a', 0)).toBe(1);
    expect(limiter.take('b', 0)).toBe(0);
  });

  it('rounds Retry-After up to whole seconds, at least 1', () => {
    const slow = new RateLimiter(0.25, 1);
    slow.take('k', 0);
    expect(slow.take('k', 0)).toBe(4);
    const fast = new RateLimiter(1000, 1);
    fast.take('k', 0);
    expect(fast.take('k', 0)).toBe(1);
  });

  it('charges a cost', () => {
    const limiter = new RateLimiter(1, 5);
    expect(limiter.take('k', 0, 4)).toBe(0);
    expect(limiter.take('k', 0, 4)).toBe(3);
  });

  it('is off at rate 0', () => {
    const limiter = new RateLimiter(0, 1);
    for (let i = 0; i < 100; i++) expect(limiter.take('k', 0)).toBe(0);
  });
});
