/**
 * Custom channel weights: each touch of a path gets weight w(channel) and receives
 * w / Σw of the path's conversions and value (a channel touched twice is weighted twice).
 * Channels missing from the table use `defaultWeight` (default 1). A path whose weights are all
 * zero is split equally over its touches; an empty path goes to `unattributed`. No rounding.
 */
import { addCredit, buildResult, createLedger, sumPathTotals } from './ledger.ts';
import type { AttributionResult, PathAggregate } from './types.ts';

/** Options of the custom-weights model. */
export interface ChannelWeightsOptions {
  /** Weight per channel name; finite and ≥ 0. */
  weights: Readonly<Record<string, number>>;
  /** Weight of channels not in `weights`; default 1. */
  defaultWeight?: number;
}

function checkWeight(name: string, w: number): void {
  if (!Number.isFinite(w) || w < 0) throw new RangeError(`weight of "${name}" must be a finite number ≥ 0, got ${w}`);
}

/** Attribution proportional to per-channel weights. */
export function attributeChannelWeights(
  paths: readonly PathAggregate[],
  options: ChannelWeightsOptions,
): AttributionResult {
  const defaultWeight = options.defaultWeight ?? 1;
  checkWeight('(default)', defaultWeight);
  const table = new Map<string, number>();
  for (const [name, w] of Object.entries(options.weights)) {
    checkWeight(name, w);
    table.set(name, w);
  }
  const ledger = createLedger();
  for (const p of paths) {
    const n = p.path.length;
    if (n === 0) continue;
    let sum = 0;
    for (const ch of p.path) sum += table.get(ch) ?? defaultWeight;
    for (const ch of p.path) {
      const share = sum > 0 ? (table.get(ch) ?? defaultWeight) / sum : 1 / n;
      addCredit(ledger, ch, p.conversions * share, p.value * share);
    }
  }
  return buildResult({
    model: 'custom-weights',
    options: { weights: { ...options.weights }, defaultWeight },
    ledger,
    totals: sumPathTotals(paths),
  });
}
