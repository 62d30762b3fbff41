import { describe, expect, it } from 'vitest';
import { attributeFractribution, attributeShaoLi } from '../../src/attribution/index.ts';
import { creditOf, creditTotals, fraction, GOLDEN, TOY_PATHS } from './golden.ts';

describe('Shao & Li second-order model on the worked example', () => {
  it('reproduces p(y|x), C(x) and the normalised shares', () => {
    const r = attributeShaoLi(TOY_PATHS);
    const expectedRate: Record<string, number> = { A: 1 / 2, B: 2 / 3, C: 1 / 3 };
    for (const c of r.contributions) {
      expect(c.conversionRate).toBeCloseTo(expectedRate[c.channel], 12);
      expect(c.contribution).toBeCloseTo(fraction(GOLDEN.shao_li[c.channel]), 12);
    }
    const credit = creditOf(r);
    expect(credit.A).toBeCloseTo(4 * 0.26, 12);
    expect(credit.B).toBeCloseTo(4 * 0.54, 12);
    expect(credit.C).toBeCloseTo(4 * 0.2, 12);
  });
});

describe('Fractribution leave-one-touch-out on the worked example', () => {
  it('reproduces 29/35, 106/35, 1/7', () => {
    const r = attributeFractribution(TOY_PATHS);
    const credit = creditOf(r);
    for (const ch of ['A', 'B', 'C']) expect(credit[ch]).toBeCloseTo(fraction(GOLDEN.fractribution[ch]), 12);
    expect(creditTotals(r).value).toBeCloseTo(40, 11);
  });

  it('falls back to the last touch when no touch adds probability', () => {
    const r = attributeFractribution([
      { path: ['A', 'B'], conversions: 1, value: 1, nulls: 1 },
      { path: ['A'], conversions: 1, value: 1, nulls: 0 },
      { path: ['B'], conversions: 1, value: 1, nulls: 0 },
    ]);
    // P(A > B) = 1/2 is below P(A) = P(B) = 1: both marginals floor at 0, B (last) takes A > B.
    expect(creditOf(r)).toEqual({ A: 1, B: 2 });
  });
});
