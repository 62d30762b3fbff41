import { describe, expect, it } from 'vitest';
import {
  attributeShapley,
  computeSubsetShapley,
  zetaTransform,
  type PathAggregate,
} from '../../src/attribution/index.ts';
import { creditOf, creditTotals, fraction, GOLDEN, TOY_PATHS } from './golden.ts';

const golden = GOLDEN.shapley;

describe('Shapley on the worked example', () => {
  for (const method of ['subsets', 'dividends', 'auto'] as const) {
    it(`game (a) conversions: full Shapley = simplified formula (${method})`, () => {
      const r = attributeShapley(TOY_PATHS, { method });
      expect(r.game.name).toBe('conversions');
      expect(r.game.worth).toMatch(/channel set ⊆ S/);
      const c = creditOf(r);
      const v = creditOf(r, 'value');
      for (const ch of ['A', 'B', 'C']) {
        expect(c[ch]).toBeCloseTo(fraction(golden.zhao_full[ch]), 12);
        expect(c[ch]).toBeCloseTo(fraction(golden.zhao_simplified[ch]), 12);
        expect(v[ch]).toBeCloseTo(10 * fraction(golden.zhao_full[ch]), 11);
      }
      expect(creditTotals(r).conversions).toBeCloseTo(4, 12);
    });

    it(`game (b) conversion rate: raw values and normalised credit (${method})`, () => {
      const r = attributeShapley(TOY_PATHS, { game: 'conversion-rate', method });
      expect(r.game.worth).toMatch(/CR\(T\)/);
      const raw = Object.fromEntries(r.shapleyValues.map((s) => [s.channel, s.value]));
      const c = creditOf(r);
      for (const ch of ['A', 'B', 'C']) {
        expect(raw[ch]).toBeCloseTo(fraction(golden.cr_game_full[ch]), 12);
        expect(c[ch]).toBeCloseTo(golden.cr_game_normalised_to_conversions[ch], 12);
        expect(creditOf(r, 'value')[ch]).toBeCloseTo(10 * golden.cr_game_normalised_to_conversions[ch], 11);
      }
    });
  }

  it('ordered Shapley reproduces the per-position table', () => {
    const r = attributeShapley(TOY_PATHS, { ordered: true });
    const cells = Object.fromEntries((r.positions ?? []).map((p) => [`${p.channel}@${p.position}`, p.conversions]));
    const expected = Object.fromEntries(Object.entries(GOLDEN.ordered_shapley).map(([k, f]) => [k, fraction(f)]));
    expect(Object.keys(cells).sort()).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected)) expect(cells[k], k).toBeCloseTo(v, 12);
    expect(() => attributeShapley(TOY_PATHS, { ordered: true, game: 'conversion-rate' })).toThrow(RangeError);
  });

  it('ordered positions count distinct channels, repeats ignored', () => {
    const r = attributeShapley([{ path: ['A', 'A', 'B', 'A'], conversions: 2, value: 4, nulls: 0 }], { ordered: true });
    expect(r.positions).toEqual([
      { channel: 'A', position: 1, conversions: 1, value: 2 },
      { channel: 'B', position: 2, conversions: 1, value: 2 },
    ]);
  });
});

describe('exact subset Shapley', () => {
  it('matches a hand-computed non-additive game (glove game)', () => {
    // Players 0 and 1 hold left gloves, 2 a right glove; a pair is worth 1: φ = (1/6, 1/6, 2/3).
    const v = new Float64Array(8);
    for (let s = 0; s < 8; s++) v[s] = s & 4 && s & 3 ? 1 : 0;
    const [phi] = computeSubsetShapley([v], 3);
    expect(phi[0]).toBeCloseTo(1 / 6, 14);
    expect(phi[1]).toBeCloseTo(1 / 6, 14);
    expect(phi[2]).toBeCloseTo(2 / 3, 14);
  });

  it('zeta transform sums over subsets', () => {
    expect(Array.from(zetaTransform(Float64Array.from([1, 2, 3, 4]), 2))).toEqual([1, 3, 4, 10]);
  });
});

function syntheticPaths(channels: number, count: number): PathAggregate[] {
  let seed = 12345;
  const rand = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const names = Array.from({ length: channels }, (_, i) => `ch${i}`);
  return Array.from({ length: count }, () => {
    const len = 1 + Math.floor(rand() * 6);
    return {
      path: Array.from({ length: len }, () => names[Math.floor(rand() * channels)]),
      conversions: Math.floor(rand() * 3),
      value: Math.floor(rand() * 1000) / 10,
      nulls: Math.floor(rand() * 10),
    };
  });
}

describe('many channels', () => {
  it('20 channels: exact subsets agree with the closed form and sum to the totals', () => {
    const paths = syntheticPaths(20, 3000);
    for (const game of ['conversions', 'conversion-rate'] as const) {
      const exact = attributeShapley(paths, { game, method: 'subsets' });
      const closed = attributeShapley(paths, { game, method: 'dividends' });
      expect(exact.game.method).toBe('subsets');
      expect(exact.channels).toHaveLength(20);
      exact.channels.forEach((c, i) => {
        expect(c.conversions).toBeCloseTo(closed.channels[i].conversions, 8);
        expect(c.value).toBeCloseTo(closed.channels[i].value, 8);
      });
      const t = creditTotals(exact);
      expect(Math.abs(t.conversions - exact.totalConversions) / exact.totalConversions).toBeLessThan(1e-9);
      expect(Math.abs(t.value - exact.totalValue) / exact.totalValue).toBeLessThan(1e-9);
    }
  });

  it('beyond 22 channels: auto uses the closed form, forcing subsets is a clear RangeError', () => {
    const paths = syntheticPaths(30, 500);
    const r = attributeShapley(paths);
    expect(r.game.method).toBe('dividends');
    expect(creditTotals(r).conversions).toBeCloseTo(r.totalConversions, 9);
    expect(attributeShapley(paths, { game: 'conversion-rate' }).game.method).toBe('dividends');
    expect(() => attributeShapley(paths, { method: 'subsets' })).toThrow(/at most 22 channels, got 30/);
  });

  it('more than 30 channels uses string set keys', () => {
    const paths = syntheticPaths(40, 500);
    const r = attributeShapley(paths, { game: 'conversion-rate' });
    expect(r.channels).toHaveLength(40);
    expect(creditTotals(r).conversions).toBeCloseTo(r.totalConversions, 9);
  });
});
