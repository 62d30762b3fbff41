/**
 * Markov-chain attribution with removal effects (Anderl, Becker, von Wangenheim & Schumann
 * 2016, "Mapping the customer journey"), computed exactly from the absorbing chain instead of
 * by simulation.
 *
 *   P        = P(conversion | start), from (I − Q) x = r
 *   P_{−c}   = the same with every transition into a state containing c sent to null
 *   RE(c)    = 1 − P_{−c} / P                      (0 for every channel when P = 0)
 *   conv(c)  = N · RE(c) / Σ_d RE(d),  value(c) = V · RE(c) / Σ_d RE(d)
 *
 * N and V are the conversions and value of paths with at least one touch (empty paths go to
 * `unattributed`). Value uses the conversion removal effects. No rounding.
 */
import { solveAbsorption, type AbsorptionSolver } from './absorbing-chain.ts';
import { encodePaths } from './encode.ts';
import { addCredit, buildResult, createLedger, sumPathTotals } from './ledger.ts';
import {
  buildAbsorbingSystem,
  buildRemovalMasks,
  countTransitions,
  listTransitions,
  MAX_MARKOV_ORDER,
  type TransitionCounts,
} from './markov-chain.ts';
import type { MarkovResult, PathAggregate } from './types.ts';

/** Options of the Markov model. */
export interface MarkovOptions {
  /** Chain order k, 1–4 (states are the last k channels). Default 1. */
  order?: number;
  /** Model non-converting journeys (default true); false ignores null paths. */
  withNulls?: boolean;
  /** Merge consecutive identical channels (A > A > B → A > B). Default false. */
  collapseRepeats?: boolean;
  /** Add the transition matrix to the result. Default false. */
  includeTransitionMatrix?: boolean;
  /** Linear solver; `auto` is direct up to 64 states, Gauss–Seidel above. */
  solver?: AbsorptionSolver;
}

/** Conversion probability from start, and with each channel removed. */
export interface RemovalEffects {
  conversionProbability: number;
  removed: number[];
  effects: number[];
}

/** Throws a RangeError unless `order` is an integer in 1..4. */
export function validateMarkovOrder(order: number): void {
  if (!Number.isInteger(order) || order < 1 || order > MAX_MARKOV_ORDER) {
    throw new RangeError(`Markov order must be an integer from 1 to ${MAX_MARKOV_ORDER}, got ${order}`);
  }
}

/** Removal effect of every channel of the counted chain (index = channel id). */
export function computeRemovalEffects(tc: TransitionCounts, solver: AbsorptionSolver = 'auto'): RemovalEffects {
  const sys = buildAbsorbingSystem(tc);
  const full = solveAbsorption(sys, null, solver);
  const p = full[0];
  const masks = buildRemovalMasks(tc);
  const removed = masks.map((mask) => solveAbsorption(sys, mask, solver, full)[0]);
  const effects = removed.map((pc) => (p > 0 ? Math.max(0, 1 - pc / p) : 0));
  return { conversionProbability: p, removed, effects };
}

/** Markov attribution of `paths`; see the module comment for the formulas. */
export function attributeMarkov(paths: readonly PathAggregate[], options: MarkovOptions = {}): MarkovResult {
  const order = options.order ?? 1;
  validateMarkovOrder(order);
  const withNulls = options.withNulls ?? true;
  const collapseRepeats = options.collapseRepeats ?? false;
  const solver = options.solver ?? 'auto';
  const enc = encodePaths(paths, collapseRepeats);
  const tc = countTransitions(enc, order, withNulls);
  const re = computeRemovalEffects(tc, solver);
  const totals = sumPathTotals(paths);
  const n = totals.conversions - totals.unattributedConversions;
  const v = totals.value - totals.unattributedValue;
  let sum = 0;
  for (const e of re.effects) sum += e;
  const ledger = createLedger();
  const removalEffects = new Map<string, number>();
  enc.channels.forEach((ch, c) => {
    const share = sum > 0 ? re.effects[c] / sum : 0;
    addCredit(ledger, ch, n * share, v * share);
    removalEffects.set(ch, re.effects[c]);
  });
  const result: MarkovResult = {
    ...buildResult({
      model: 'markov',
      options: { order, withNulls, collapseRepeats, solver },
      ledger,
      totals,
      conversionProbability: re.conversionProbability,
      removalEffects,
    }),
    stateCount: tc.stateCount,
  };
  if (options.includeTransitionMatrix) result.transitionMatrix = listTransitions(tc);
  return result;
}
