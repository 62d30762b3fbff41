/**
 * Leave-one-touch-out counterfactual attribution, the "simplified Shapley" of Google's
 * Fractribution. With P(path) = conversions/(conversions + nulls) of journeys that followed
 * exactly that sequence (0 for a sequence never seen, including the empty one):
 *
 *   m_i = max(0, P(path) − P(path without touch i))      for each touch i
 *   share_i = m_i / Σ m                                  (all m = 0: the last touch takes 1)
 *
 * Each converting path's conversions and value are split by these shares; a channel touched
 * twice collects both touches' shares. Empty paths go to `unattributed`. No rounding.
 */
import { encodePaths } from './encode.ts';
import { addCredit, buildResult, createLedger, registerChannels, sumPathTotals } from './ledger.ts';
import type { AttributionResult, PathAggregate } from './types.ts';

function sequenceKey(ids: ArrayLike<number>, skip = -1): string {
  let key = '';
  for (let t = 0; t < ids.length; t++) if (t !== skip) key += `${ids[t]},`;
  return key;
}

/** Fractribution-style attribution; see the module comment. */
export function attributeFractribution(paths: readonly PathAggregate[]): AttributionResult {
  const enc = encodePaths(paths);
  const outcome = new Map<string, { conversions: number; nulls: number }>();
  const seq = (i: number): Int32Array => enc.touches.subarray(enc.offsets[i], enc.offsets[i + 1]);
  for (let i = 0; i < enc.conversions.length; i++) {
    const key = sequenceKey(seq(i));
    const o = outcome.get(key) ?? { conversions: 0, nulls: 0 };
    o.conversions += enc.conversions[i];
    o.nulls += enc.nulls[i];
    outcome.set(key, o);
  }
  const probability = (key: string): number => {
    const o = outcome.get(key);
    return o && o.conversions + o.nulls > 0 ? o.conversions / (o.conversions + o.nulls) : 0;
  };
  const ledger = createLedger();
  registerChannels(ledger, paths);
  for (let i = 0; i < enc.conversions.length; i++) {
    const ids = seq(i);
    if (ids.length === 0 || (enc.conversions[i] === 0 && enc.value[i] === 0)) continue;
    const p = probability(sequenceKey(ids));
    const m = Array.from(ids, (_, t) => Math.max(0, p - probability(sequenceKey(ids, t))));
    const sum = m.reduce((a, b) => a + b, 0);
    if (sum === 0) m[m.length - 1] = 1;
    const total = sum === 0 ? 1 : sum;
    m.forEach((x, t) => {
      if (x > 0) addCredit(ledger, enc.channels[ids[t]], (enc.conversions[i] * x) / total, (enc.value[i] * x) / total);
    });
  }
  return buildResult({ model: 'fractribution', options: {}, ledger, totals: sumPathTotals(paths) });
}
