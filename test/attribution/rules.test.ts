import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  attributeChannelWeights,
  attributeFirstTouch,
  attributeInverseJ,
  attributeJCurve,
  attributeLastNonDirect,
  attributeLastTouch,
  attributeLinear,
  attributeParticipation,
  attributePositionBased,
  attributeTimeDecay,
  attributeUShaped,
  computePositionShares,
  DAY_MS,
  parsePathFile,
  type AttributionResult,
  type PathAggregate,
  type TimedJourney,
} from '../../src/attribution/index.ts';
import { creditOf, creditTotals, GOLDEN, PATH_DATA_CSV } from './golden.ts';

const adobe = GOLDEN.heuristics_adobe_journey;
const CONVERSION_AT = Date.UTC(2024, 4, 20, 12);
const JOURNEY: TimedJourney = {
  touches: adobe.journey_days_before_conversion.map(([channel, days]) => ({ channel, at: CONVERSION_AT - days * DAY_MS })),
  conversionAt: CONVERSION_AT,
  conversions: 1,
  value: adobe.value,
};
const PATHS: PathAggregate[] = [{ path: JOURNEY.touches.map((t) => t.channel), conversions: 1, value: adobe.value, nulls: 0 }];

function expectCredit(r: AttributionResult, expected: Record<string, number>): void {
  const value = creditOf(r, 'value');
  const conversions = creditOf(r, 'conversions');
  for (const [channel, v] of Object.entries(expected)) {
    expect(value[channel], `${r.model} value ${channel}`).toBeCloseTo(v, 12);
    expect(conversions[channel], `${r.model} conversions ${channel}`).toBeCloseTo(v / adobe.value, 12);
  }
}

describe("rule-based models on Adobe's documented $50 journey", () => {
  const cases: [string, () => AttributionResult][] = [
    ['first_touch', () => attributeFirstTouch(PATHS)],
    ['last_touch', () => attributeLastTouch(PATHS)],
    ['linear', () => attributeLinear(PATHS)],
    ['u_shaped_40_20_40', () => attributeUShaped(PATHS)],
    ['j_curve_20_20_60', () => attributeJCurve(PATHS)],
    ['inverse_j_60_20_20', () => attributeInverseJ(PATHS)],
    ['time_decay_halflife_7d', () => attributeTimeDecay([JOURNEY])],
    ['participation', () => attributeParticipation(PATHS)],
  ];
  it.each(cases)('%s matches the golden credit', (golden, run) => {
    const r = run();
    expectCredit(r, adobe.credit[golden]);
    if (golden === 'participation') expect(r.creditsSumToTotals).toBe(false);
    else expect(creditTotals(r).value).toBeCloseTo(50, 12);
  });

  it('time decay is 6.92 / 9.32 / 16.88 / 16.88 to the cent', () => {
    const cents = Object.fromEntries(attributeTimeDecay([JOURNEY]).channels.map((c) => [c.channel, c.value.toFixed(2)]));
    expect(cents).toEqual({ paid_search: '6.92', social: '9.32', email: '16.88', display: '16.88' });
  });

  it('time decay halves the weight per half-life and rejects a bad half-life', () => {
    const r = attributeTimeDecay([JOURNEY], { halfLifeMs: 3 * DAY_MS });
    const w = [2 ** -3, 2 ** -2, 1, 1];
    const sum = w.reduce((a, b) => a + b, 0);
    expect(creditOf(r, 'value').paid_search).toBeCloseTo((50 * w[0]) / sum, 12);
    expect(() => attributeTimeDecay([JOURNEY], { halfLifeMs: 0 })).toThrow(RangeError);
  });
});

describe('position-based rules for short paths', () => {
  it('one touch takes 100 %, two touches renormalise first and last (Adobe)', () => {
    const close = (got: number[], want: number[]): void => {
      expect(got).toHaveLength(want.length);
      got.forEach((x, i) => expect(x).toBeCloseTo(want[i], 15));
    };
    close(computePositionShares(1, { first: 0.4, middle: 0.2, last: 0.4 }), [1]);
    close(computePositionShares(2, { first: 0.4, middle: 0.2, last: 0.4 }), [0.5, 0.5]);
    close(computePositionShares(2, { first: 0.2, middle: 0.2, last: 0.6 }), [0.25, 0.75]);
    close(computePositionShares(2, { first: 0, middle: 1, last: 0 }), [0.5, 0.5]);
    close(computePositionShares(5, { first: 30, middle: 30, last: 40 }), [0.3, 0.1, 0.1, 0.1, 0.4]);
    expect(computePositionShares(0, { first: 1, middle: 1, last: 1 })).toEqual([]);
  });

  it('custom weights are validated and credited', () => {
    expect(() => attributePositionBased(PATHS, { first: -1, middle: 1, last: 1 })).toThrow(RangeError);
    expect(() => attributePositionBased(PATHS, { first: 0, middle: 0, last: 0 })).toThrow(/all be zero/);
    const r = attributePositionBased(PATHS, { first: 1, middle: 2, last: 1 });
    expectCredit(r, { paid_search: 12.5, social: 12.5, email: 12.5, display: 12.5 });
  });
});

describe('last non-direct touch', () => {
  const paths: PathAggregate[] = [
    { path: ['search', 'Direct', 'direct'], conversions: 2, value: 20, nulls: 0 },
    { path: ['Direct', 'Direct'], conversions: 1, value: 5, nulls: 0 },
    { path: ['email', 'home'], conversions: 1, value: 1, nulls: 3 },
  ];
  it('skips direct touches and credits direct when there is nothing else', () => {
    expect(creditOf(attributeLastNonDirect(paths))).toEqual({ search: 2, Direct: 1, direct: 0, email: 0, home: 1 });
  });
  it('takes a configurable direct channel name', () => {
    const r = attributeLastNonDirect(paths, { directChannels: ['home'] });
    expect(creditOf(r)).toEqual({ search: 0, Direct: 1, direct: 2, email: 1, home: 0 });
  });
});

describe('custom channel weights', () => {
  it('credits each touch in proportion to its channel weight', () => {
    const paths: PathAggregate[] = [{ path: ['a', 'b', 'a', 'c'], conversions: 6, value: 60, nulls: 0 }];
    const r = attributeChannelWeights(paths, { weights: { a: 1, b: 2 }, defaultWeight: 0 });
    expect(creditOf(r)).toEqual({ a: 3, b: 3, c: 0 });
    expect(creditOf(r, 'value')).toEqual({ a: 30, b: 30, c: 0 });
  });
  it('splits equally when every weight of a path is zero, and rejects negative weights', () => {
    const paths: PathAggregate[] = [{ path: ['x', 'y'], conversions: 1, value: 2, nulls: 0 }];
    expect(creditOf(attributeChannelWeights(paths, { weights: { x: 0, y: 0 } }))).toEqual({ x: 0.5, y: 0.5 });
    expect(() => attributeChannelWeights(paths, { weights: { x: -1 } })).toThrow(RangeError);
  });
});

describe('totals', () => {
  const paths: PathAggregate[] = [
    { path: ['a', 'b', 'c', 'b'], conversions: 3, value: 31.7, nulls: 4 },
    { path: ['c'], conversions: 1, value: 0.3, nulls: 9 },
    { path: ['b', 'a'], conversions: 1 / 3, value: 1e6, nulls: 0 },
    { path: [], conversions: 2, value: 7, nulls: 1 },
  ];
  const models = [
    attributeFirstTouch,
    attributeLastTouch,
    attributeLastNonDirect,
    attributeLinear,
    attributeUShaped,
    attributeJCurve,
    attributeInverseJ,
    (p: PathAggregate[]) => attributeChannelWeights(p, { weights: { a: 3, b: 0.5 } }),
  ];
  it.each(models.map((m) => [m.name || 'custom-weights', m] as const))('%s: channels + unattributed = input totals', (_, model) => {
    const r = model(paths);
    expect(r.totalConversions).toBeCloseTo(3 + 1 + 1 / 3 + 2, 12);
    expect(r.unattributed).toEqual({ conversions: 2, value: 7 });
    const t = creditTotals(r);
    expect(Math.abs(t.conversions - r.totalConversions) / r.totalConversions).toBeLessThan(1e-9);
    expect(Math.abs(t.value - r.totalValue) / r.totalValue).toBeLessThan(1e-9);
  });
  it('participation says its credits overlap', () => {
    const r = attributeParticipation(paths);
    expect(r.creditsSumToTotals).toBe(false);
    expect(creditOf(r)).toEqual({ a: 3 + 1 / 3, b: 3 + 1 / 3, c: 4 });
  });
});

describe('heuristics on PathData.csv (published values)', () => {
  const paths = parsePathFile(readFileSync(PATH_DATA_CSV, 'utf8'));
  it('first touch, last touch and linear', () => {
    expect(creditOf(attributeFirstTouch(paths))).toMatchObject({ alpha: 6308, iota: 4606, eta: 3164 });
    expect(creditOf(attributeLastTouch(paths))).toMatchObject({ alpha: 8447, eta: 4167, iota: 3355 });
    const linear = creditOf(attributeLinear(paths));
    expect(linear.alpha).toBeCloseTo(7574.7186, 4);
    expect(linear.iota).toBeCloseTo(3857.0962, 4);
    expect(creditTotals(attributeLinear(paths)).conversions).toBeCloseTo(19785, 9);
  });
});
