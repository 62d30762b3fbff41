import { describe, expect, it } from 'vitest';
import { DAY_MS, MODEL_NAMES, runAll, runModel, type ModelName, type TimedJourney } from '../../src/attribution/index.ts';
import { creditOf, creditTotals, TOY_PATHS } from './golden.ts';

const T = Date.UTC(2024, 0, 31);
const JOURNEYS: TimedJourney[] = [
  { touches: [{ channel: 'search', at: T - 7 * DAY_MS }, { channel: 'email', at: T }], conversionAt: T, conversions: 1, value: 30 },
  { touches: [{ channel: 'email', at: T - DAY_MS }], conversionAt: null, conversions: 0, value: 0, nulls: 1 },
];

describe('runModel', () => {
  it('dispatches by name with typed options and results', () => {
    const markov = runModel('markov', TOY_PATHS, { order: 1, includeTransitionMatrix: true });
    expect(markov.conversionProbability).toBeCloseTo(0.5, 12);
    expect(markov.transitionMatrix?.length).toBe(12);
    const shapley = runModel('shapley', TOY_PATHS, { game: 'conversion-rate' });
    expect(shapley.game.name).toBe('conversion-rate');
    expect(creditOf(runModel('first', TOY_PATHS))).toEqual({ A: 3, B: 1, C: 0 });
    expect(creditOf(runModel('position', TOY_PATHS, { weights: { first: 1, middle: 0, last: 0 } }))).toEqual({ A: 3, B: 1, C: 0 });
  });

  it('runs time decay on timed journeys and the other models on their paths', () => {
    const td = runModel('time-decay', JOURNEYS);
    expect(creditOf(td, 'value').search).toBeCloseTo(10, 12);
    expect(creditOf(td, 'value').email).toBeCloseTo(20, 12);
    expect(creditOf(runModel('last', JOURNEYS))).toEqual({ email: 1, search: 0 });
    expect(runModel('markov', JOURNEYS).conversionProbability).toBeCloseTo(0.5, 12);
  });

  it('refuses what it cannot do with clear errors', () => {
    expect(() => runModel('time-decay', TOY_PATHS)).toThrow(/needs timed journeys/);
    expect(() => runModel('nope' as ModelName, TOY_PATHS)).toThrow(/unknown attribution model "nope"/);
    expect(() => runModel('custom-weights', TOY_PATHS)).toThrow(/needs options.weights/);
    expect(() => runModel('markov', TOY_PATHS, { order: 9 })).toThrow(RangeError);
  });
});

describe('runAll', () => {
  it('runs every applicable model and says which it skipped', () => {
    const { results, skipped } = runAll(TOY_PATHS);
    expect(skipped.map((s) => s.model)).toEqual(['time-decay', 'custom-weights']);
    expect(results.map((r) => r.model)).toEqual(MODEL_NAMES.filter((m) => m !== 'time-decay' && m !== 'custom-weights'));
    for (const r of results) {
      if (!r.creditsSumToTotals) continue;
      expect(creditTotals(r).conversions, r.model).toBeCloseTo(r.totalConversions, 12);
      expect(creditTotals(r).value, r.model).toBeCloseTo(r.totalValue, 11);
    }
  });

  it('runs time decay and custom weights when given what they need', () => {
    const { results, skipped } = runAll(JOURNEYS, { 'custom-weights': { weights: { search: 2 } }, markov: { order: 2 } });
    expect(skipped).toEqual([]);
    expect(results).toHaveLength(MODEL_NAMES.length);
    expect(results.find((r) => r.model === 'markov')?.options.order).toBe(2);
    expect(creditOf(results.find((r) => r.model === 'custom-weights')!)).toEqual({ search: 2 / 3, email: 1 / 3 });
  });

  it('gives empty results, not errors, on empty input or only empty paths', () => {
    for (const input of [[], [{ path: [], conversions: 2, value: 3, nulls: 1 }]]) {
      const { results } = runAll(input);
      expect(results).toHaveLength(MODEL_NAMES.length - 2);
      for (const r of results) {
        expect(r.channels).toEqual([]);
        expect(r.unattributed.conversions).toBe(r.totalConversions);
      }
    }
  });
});
