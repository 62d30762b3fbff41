import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attributeMarkov, parsePathFile, type MarkovResult, type PathAggregate } from '../../src/attribution/index.ts';
import { creditOf, creditTotals, fraction, GOLDEN, PATH_DATA_CSV, TOY_PATHS } from './golden.ts';

const golden = GOLDEN.markov_order1;

function probabilities(r: MarkovResult): Record<string, number> {
  return Object.fromEntries((r.transitionMatrix ?? []).map((t) => [`${t.from} -> ${t.to}`, t.probability]));
}

describe('order-1 Markov on the worked example (exact fractions)', () => {
  for (const solver of ['auto', 'direct', 'gauss-seidel'] as const) {
    it(`reproduces P(conv), removal effects and attributed conversions (${solver})`, () => {
      const r = attributeMarkov(TOY_PATHS, { solver });
      expect(r.conversionProbability).toBeCloseTo(fraction(golden.p_conv), 12);
      for (const c of r.channels) {
        expect(c.removalEffect).toBeCloseTo(fraction(golden.removal_effect[c.channel]), 12);
        expect(c.conversions).toBeCloseTo(fraction(golden.attributed_conversions[c.channel]), 12);
        expect(c.value).toBeCloseTo(10 * fraction(golden.attributed_conversions[c.channel]), 11);
      }
      expect(r.channels.map((c) => c.channel)).toEqual(['A', 'B', 'C']);
    });
  }

  it('reports the transition probabilities on request', () => {
    const r = attributeMarkov(TOY_PATHS, { includeTransitionMatrix: true });
    const expected: Record<string, number> = {
      '(start) -> A': 5 / 8, '(start) -> B': 1 / 4, '(start) -> C': 1 / 8,
      'A -> B': 2 / 3, 'A -> C': 1 / 6, 'A -> (null)': 1 / 6,
      'B -> C': 1 / 6, 'B -> (conversion)': 1 / 2, 'B -> (null)': 1 / 3,
      'C -> (conversion)': 1 / 3, 'C -> (null)': 1 / 3, 'C -> A': 1 / 3,
    };
    const got = probabilities(r);
    expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
    for (const [k, p] of Object.entries(expected)) expect(got[k], k).toBeCloseTo(p, 12);
    expect(attributeMarkov(TOY_PATHS).transitionMatrix).toBeUndefined();
  });
});

describe('Markov options', () => {
  it('order 2 uses prefix states and gives the exact answer (RE 3/4, 1, 1/4)', () => {
    const r = attributeMarkov(TOY_PATHS, { order: 2, includeTransitionMatrix: true });
    const got = probabilities(r);
    expect(got['(start) -> A']).toBeCloseTo(5 / 8, 12);
    expect(got['A -> A > B']).toBeCloseTo(4 / 5, 12);
    expect(got['A > B -> B > C']).toBeCloseTo(1 / 4, 12);
    expect(got['C -> C > A']).toBe(1);
    expect(r.stateCount).toBe(8);
    expect(r.conversionProbability).toBeCloseTo(1 / 2, 12);
    const re = Object.fromEntries(r.channels.map((c) => [c.channel, c.removalEffect]));
    expect(re.A).toBeCloseTo(3 / 4, 12);
    expect(re.B).toBeCloseTo(1, 12);
    expect(re.C).toBeCloseTo(1 / 4, 12);
    expect(creditOf(r)).toEqual({ A: 1.5, B: 2, C: 0.5 });
  });

  it('withNulls: false ignores the null journeys', () => {
    const r = attributeMarkov(TOY_PATHS, { withNulls: false, includeTransitionMatrix: true });
    expect(r.conversionProbability).toBeCloseTo(1, 12);
    expect(Object.keys(probabilities(r)).some((k) => k.endsWith('(null)'))).toBe(false);
    const c = creditOf(r);
    expect(c.A).toBeCloseTo(1.5, 12);
    expect(c.B).toBeCloseTo(2, 12);
    expect(c.C).toBeCloseTo(0.5, 12);
  });

  it('collapseRepeats merges consecutive identical channels', () => {
    const paths: PathAggregate[] = [
      { path: ['A', 'A', 'B'], conversions: 1, value: 1, nulls: 1 },
      { path: ['B', 'B'], conversions: 0, value: 0, nulls: 1 },
    ];
    const kept = probabilities(attributeMarkov(paths, { includeTransitionMatrix: true }));
    expect(kept['A -> A']).toBeCloseTo(1 / 2, 12);
    expect(kept['B -> B']).toBeCloseTo(1 / 4, 12);
    const merged = probabilities(attributeMarkov(paths, { collapseRepeats: true, includeTransitionMatrix: true }));
    expect(merged['A -> A']).toBeUndefined();
    expect(merged['B -> B']).toBeUndefined();
    expect(merged['A -> B']).toBe(1);
    expect(merged['B -> (conversion)']).toBeCloseTo(1 / 3, 12);
  });

  it.each([0, 5, 1.5, Number.NaN, -1])('order %s is a RangeError', (order) => {
    expect(() => attributeMarkov(TOY_PATHS, { order })).toThrow(RangeError);
    expect(() => attributeMarkov(TOY_PATHS, { order })).toThrow(/order must be an integer from 1 to 4/);
  });

  it('empty paths go to unattributed and totals add up', () => {
    const paths = [...TOY_PATHS, { path: [], conversions: 3, value: 30, nulls: 2 }];
    const r = attributeMarkov(paths, { order: 3 });
    expect(r.unattributed).toEqual({ conversions: 3, value: 30 });
    expect(creditTotals(r).conversions).toBeCloseTo(7, 12);
    expect(creditTotals(r).value).toBeCloseTo(70, 11);
  });

  it('no conversions: every removal effect and credit is 0', () => {
    const r = attributeMarkov([{ path: ['A', 'B'], conversions: 0, value: 0, nulls: 5 }]);
    expect(r.conversionProbability).toBe(0);
    expect(r.channels.map((c) => [c.removalEffect, c.conversions])).toEqual([[0, 0], [0, 0]]);
  });
});

describe('order-1 Markov on PathData.csv (ChannelAttribution example data)', () => {
  const paths = parsePathFile(readFileSync(PATH_DATA_CSV, 'utf8'));
  const published: Record<string, number> = {
    alpha: 5344.95, beta: 2527.35, delta: 4.61, epsilon: 599.57, eta: 3340.85, gamma: 171.15,
    iota: 3884.61, kappa: 274.36, lambda: 1282.85, mi: 1.72, theta: 1971.91, zeta: 381.06,
  };

  it('has the documented shape', () => {
    expect(paths).toHaveLength(5408);
    const sum = (f: (p: PathAggregate) => number): number => paths.reduce((a, p) => a + f(p), 0);
    expect(sum((p) => p.conversions)).toBe(19785);
    expect(sum((p) => p.nulls)).toBe(68602);
    expect(sum((p) => p.value)).toBeCloseTo(74802.97, 2);
  });

  for (const collapseRepeats of [false, true]) {
    it(`reproduces the exact published values (collapseRepeats ${collapseRepeats})`, () => {
      const r = attributeMarkov(paths, { collapseRepeats });
      expect(Math.abs((r.conversionProbability ?? 0) - 0.223845)).toBeLessThanOrEqual(5e-7);
      expect(r.channels.map((c) => c.channel)).toEqual(Object.keys(published));
      for (const c of r.channels) {
        const want = published[c.channel];
        expect(Math.abs(c.conversions - want), c.channel).toBeLessThanOrEqual(0.005 + 1e-6 * want);
      }
      const t = creditTotals(r);
      expect(Math.abs(t.conversions - 19785) / 19785).toBeLessThan(1e-9);
      expect(Math.abs(t.value - r.totalValue) / r.totalValue).toBeLessThan(1e-9);
    });
  }

  it('P(conv from start) equals the observed rate in every order (flow conservation)', () => {
    for (const order of [1, 2, 3, 4]) {
      expect(attributeMarkov(paths, { order }).conversionProbability).toBeCloseTo(19785 / (19785 + 68602), 12);
    }
  });

  it('direct and Gauss–Seidel solvers agree on order 2', () => {
    const a = attributeMarkov(paths, { order: 2, solver: 'direct' });
    const b = attributeMarkov(paths, { order: 2, solver: 'gauss-seidel' });
    a.channels.forEach((c, i) => expect(b.channels[i].removalEffect).toBeCloseTo(c.removalEffect ?? NaN, 12));
  });
});
