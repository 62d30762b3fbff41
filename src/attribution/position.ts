/**
 * Position-based heuristics: a share for the first touch, one for the last, and one split
 * equally over the touches in between (U-shaped 40/20/40, J 20/20/60, inverse J 60/20/20, or
 * custom weights).
 *
 * Fewer than three touches, as Adobe Analytics does it: one touch takes 100 %; two touches
 * share first + last renormalised to sum to 1 (40/40 → 50/50, J 20/60 → 25/75). If first and
 * last weights are both 0, two touches split 50/50. No rounding.
 */
import { addCredit, buildResult, carriesCredit, createLedger, registerChannels, sumPathTotals } from './ledger.ts';
import type { AttributionResult, PathAggregate } from './types.ts';

/** Relative weights of first, middle (all middle touches together) and last positions. */
export interface PositionWeights {
  first: number;
  middle: number;
  last: number;
}

/** U-shaped (Google's "position based"): 40 % first, 20 % middle, 40 % last. */
export const U_SHAPED: PositionWeights = { first: 0.4, middle: 0.2, last: 0.4 };
/** J-shaped: 20 % first, 20 % middle, 60 % last. */
export const J_CURVE: PositionWeights = { first: 0.2, middle: 0.2, last: 0.6 };
/** Inverse J: 60 % first, 20 % middle, 20 % last. */
export const INVERSE_J: PositionWeights = { first: 0.6, middle: 0.2, last: 0.2 };

/** Throws a RangeError unless the weights are finite, non-negative and not all zero. */
export function validatePositionWeights(w: PositionWeights): void {
  for (const [k, v] of Object.entries(w)) {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`position weight "${k}" must be a finite number ≥ 0, got ${v}`);
  }
  if (w.first + w.middle + w.last <= 0) throw new RangeError('position weights must not all be zero');
}

/**
 * Share of each of `n` touches (sums to 1): first f/(f+m+l), last l/(f+m+l), each middle touch
 * m/((f+m+l)(n−2)); n = 2 → f/(f+l), l/(f+l); n = 1 → [1]; n = 0 → [].
 */
export function computePositionShares(n: number, w: PositionWeights): number[] {
  if (n === 0) return [];
  if (n === 1) return [1];
  if (n === 2) {
    const ends = w.first + w.last;
    return ends > 0 ? [w.first / ends, w.last / ends] : [0.5, 0.5];
  }
  const total = w.first + w.middle + w.last;
  const shares = new Array<number>(n).fill(w.middle / total / (n - 2));
  shares[0] = w.first / total;
  shares[n - 1] = w.last / total;
  return shares;
}

/** Position-based attribution with the given weights; `model` names the result. */
export function attributePositionBased(
  paths: readonly PathAggregate[],
  weights: PositionWeights,
  model = 'position',
): AttributionResult {
  validatePositionWeights(weights);
  const ledger = createLedger();
  registerChannels(ledger, paths);
  const cache = new Map<number, number[]>();
  for (const p of paths) {
    const n = p.path.length;
    if (n === 0 || !carriesCredit(p)) continue;
    let shares = cache.get(n);
    if (!shares) {
      shares = computePositionShares(n, weights);
      cache.set(n, shares);
    }
    for (let i = 0; i < n; i++) addCredit(ledger, p.path[i], p.conversions * shares[i], p.value * shares[i]);
  }
  return buildResult({ model, options: { ...weights }, ledger, totals: sumPathTotals(paths) });
}

/** U-shaped 40/20/40 (two touches 50/50, one touch 100 %). */
export function attributeUShaped(paths: readonly PathAggregate[]): AttributionResult {
  return attributePositionBased(paths, U_SHAPED, 'position');
}

/** J-curve 20/20/60 (two touches 25/75). */
export function attributeJCurve(paths: readonly PathAggregate[]): AttributionResult {
  return attributePositionBased(paths, J_CURVE, 'j-curve');
}

/** Inverse J 60/20/20 (two touches 75/25). */
export function attributeInverseJ(paths: readonly PathAggregate[]): AttributionResult {
  return attributePositionBased(paths, INVERSE_J, 'inverse-j');
}
