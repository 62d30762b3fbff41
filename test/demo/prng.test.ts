import { describe, expect, it } from 'vitest';
import { hex8, mix32, Rng } from '../../src/demo/prng.ts';
import { isoTimestamp } from '../../src/demo/timeline.ts';

describe('Rng', () => {
  it('is a pure function of its seed words', () => {
    const a = new Rng(42, 7, 3);
    const b = new Rng(42, 7, 3);
    const xs = Array.from({ length: 1000 }, () => a.uint32());
    expect(Array.from({ length: 1000 }, () => b.uint32())).toEqual(xs);
  });

  it('gives different streams for neighbouring seeds, indexes and streams', () => {
    const first = (r: Rng): number[] => Array.from({ length: 8 }, () => r.uint32());
    const base = first(new Rng(1, 0, 0));
    expect(first(new Rng(2, 0, 0))).not.toEqual(base);
    expect(first(new Rng(1, 1, 0))).not.toEqual(base);
    expect(first(new Rng(1, 0, 1))).not.toEqual(base);
  });

  it('pins the first draws of seed 42 (changing the generator changes every demo world)', () => {
    const r = new Rng(42);
    expect(Array.from({ length: 3 }, () => r.uint32())).toEqual([881761110, 2346463690, 2510822223]);
  });

  it('draws from the stated distributions (means within sampling error)', () => {
    const r = new Rng(9);
    const n = 200_000;
    let u = 0;
    let pois = 0;
    let logn = 0;
    let norm2 = 0;
    for (let i = 0; i < n; i++) {
      u += r.next();
      pois += r.poisson(2.5);
      logn += r.lognormal(90, 0.6);
      norm2 += r.normal() ** 2;
    }
    expect(u / n).toBeCloseTo(0.5, 2);
    expect(pois / n).toBeCloseTo(2.5, 1);
    expect(Math.abs(logn / n - 90)).toBeLessThan(1);
    expect(norm2 / n).toBeCloseTo(1, 1);
  });

  it('handles edge cases: λ ≤ 0, large λ, certain and impossible chances, zero weights', () => {
    const r = new Rng(5);
    expect(r.poisson(0)).toBe(0);
    expect(r.poisson(-1)).toBe(0);
    const big = Array.from({ length: 2000 }, () => r.poisson(400));
    expect(big.reduce((a, b) => a + b, 0) / big.length).toBeGreaterThan(390);
    expect(r.chance(0)).toBe(false);
    expect(r.chance(1)).toBe(true);
    for (let i = 0; i < 100; i++) expect(r.weighted([0, 3, 0, 1])).not.toBe(0);
    for (let i = 0; i < 100; i++) expect(r.int(3, 5)).toBeGreaterThanOrEqual(3);
  });
});

describe('mix32 and hex8', () => {
  it('mix32 is injective on a sample (ids built from it never collide)', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 100_000; i++) seen.add(mix32(i));
    expect(seen.size).toBe(100_000);
  });

  it('hex8 pads to 8 lower-case hex digits', () => {
    expect(hex8(0)).toBe('00000000');
    expect(hex8(0xdeadbeef)).toBe('deadbeef');
    expect(hex8(255)).toBe('000000ff');
  });
});

describe('isoTimestamp', () => {
  it('equals Date#toISOString', () => {
    const r = new Rng(3);
    const mismatches: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      const ms = Date.UTC(2020, 0, 1) + Math.floor(r.next() * 10 * 365 * 86_400_000);
      if (isoTimestamp(ms) !== new Date(ms).toISOString()) mismatches.push(new Date(ms).toISOString());
    }
    expect(mismatches).toEqual([]);
    expect(isoTimestamp(Date.UTC(2025, 5, 30, 23, 59, 59, 999))).toBe('2025-06-30T23:59:59.999Z');
    expect(isoTimestamp(Date.UTC(2024, 1, 29, 0, 0, 0, 7))).toBe('2024-02-29T00:00:00.007Z');
  });
});
