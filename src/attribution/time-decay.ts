/**
 * Time decay: each touch of a converting journey is weighted w = 2^(−Δt / halfLife), where
 * Δt = conversion time − touch time (ms), and receives w / Σw of the journey's conversions and
 * value. Default half-life 7 days (Adobe Analytics, Google Analytics).
 *
 * Edge cases: a touch at or after the conversion has Δt = 0 (weight 1); weights are computed
 * relative to the most recent touch, which leaves the shares unchanged but keeps journeys
 * years long from underflowing to 0/0; a journey with no touch goes to `unattributed`; a
 * converting journey without `conversionAt` is a RangeError. No rounding.
 */
import { addCredit, buildResult, createLedger } from './ledger.ts';
import type { AttributionResult, TimedJourney } from './types.ts';

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/** Options of the time-decay model. */
export interface TimeDecayOptions {
  /** Half-life in ms; default 7 days. Must be > 0. */
  halfLifeMs?: number;
}

/** Shares w_i / Σw of touches at `ages` ms before conversion (sum to 1; [] for no touch). */
export function computeTimeDecayShares(ages: readonly number[], halfLifeMs: number): number[] {
  if (ages.length === 0) return [];
  let minAge = Infinity;
  for (const a of ages) minAge = Math.min(minAge, Math.max(0, a));
  const w = ages.map((a) => Math.pow(2, -(Math.max(0, a) - minAge) / halfLifeMs));
  let sum = 0;
  for (const x of w) sum += x;
  return w.map((x) => x / sum);
}

/** Time-decay attribution over timed journeys. */
export function attributeTimeDecay(
  journeys: readonly TimedJourney[],
  options: TimeDecayOptions = {},
): AttributionResult {
  const halfLifeMs = options.halfLifeMs ?? 7 * DAY_MS;
  if (!Number.isFinite(halfLifeMs) || halfLifeMs <= 0) {
    throw new RangeError(`halfLifeMs must be a finite number > 0, got ${halfLifeMs}`);
  }
  const ledger = createLedger();
  const totals = { conversions: 0, value: 0, unattributedConversions: 0, unattributedValue: 0 };
  journeys.forEach((j, index) => {
    totals.conversions += j.conversions;
    totals.value += j.value;
    for (const t of j.touches) addCredit(ledger, t.channel, 0, 0);
    if (j.conversions === 0 && j.value === 0) return;
    if (j.touches.length === 0) {
      totals.unattributedConversions += j.conversions;
      totals.unattributedValue += j.value;
      return;
    }
    if (j.conversionAt === null) throw new RangeError(`journey ${index} converts but has no conversionAt`);
    const at = j.conversionAt;
    const shares = computeTimeDecayShares(j.touches.map((t) => at - t.at), halfLifeMs);
    j.touches.forEach((t, i) => addCredit(ledger, t.channel, j.conversions * shares[i], j.value * shares[i]));
  });
  return buildResult({ model: 'time-decay', options: { halfLifeMs }, ledger, totals });
}
