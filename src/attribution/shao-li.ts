/**
 * Shao & Li (2011), "Data-driven multi-touch attribution models", second-order probabilistic
 * model. Over journeys (converting and not), with p(y|x) the conversion rate of journeys exposed
 * to channel x and p(y|x_i,x_j) that of journeys exposed to both:
 *
 *   C(x_i) = p(y|x_i) + 1/(2(n−1)) · Σ_{j≠i} [p(y|x_i,x_j) − p(y|x_i) − p(y|x_j)]
 *
 * n = number of channels. Conventions where the paper is silent: a pair never seen together
 * adds no term; with one channel C = p(y|x); a negative C(x) is floored at 0. Credit:
 * conv(i) = N·C(x_i)/Σ C, value likewise (N, V: conversions and value of non-empty paths).
 */
import { groupChannelSets } from './channel-sets.ts';
import { encodePaths } from './encode.ts';
import { addCredit, buildResult, compareChannels, createLedger, sumPathTotals } from './ledger.ts';
import type { AttributionResult, PathAggregate } from './types.ts';

/** Shao & Li result: adds p(y|x) and the contribution C(x) per channel. */
export interface ShaoLiResult extends AttributionResult {
  contributions: { channel: string; conversionRate: number; contribution: number }[];
}

/** Second-order probabilistic attribution; see the module comment. */
export function attributeShaoLi(paths: readonly PathAggregate[]): ShaoLiResult {
  const enc = encodePaths(paths);
  const n = enc.channels.length;
  const seen = new Float64Array(n);
  const conv = new Float64Array(n);
  const pairSeen = new Float64Array(n * n);
  const pairConv = new Float64Array(n * n);
  for (const g of groupChannelSets(enc)) {
    const users = g.conversions + g.nulls;
    for (const i of g.ids) {
      seen[i] += users;
      conv[i] += g.conversions;
      for (const j of g.ids) {
        pairSeen[i * n + j] += users;
        pairConv[i * n + j] += g.conversions;
      }
    }
  }
  const p = Array.from(seen, (s, i) => (s > 0 ? conv[i] / s : 0));
  const contribution = p.map((pi, i) => {
    if (n < 2) return pi;
    let acc = 0;
    for (let j = 0; j < n; j++) {
      if (j === i || pairSeen[i * n + j] === 0) continue;
      acc += pairConv[i * n + j] / pairSeen[i * n + j] - pi - p[j];
    }
    return Math.max(0, pi + acc / (2 * (n - 1)));
  });
  const totals = sumPathTotals(paths);
  const N = totals.conversions - totals.unattributedConversions;
  const V = totals.value - totals.unattributedValue;
  const sum = contribution.reduce((a, b) => a + b, 0);
  const ledger = createLedger();
  enc.channels.forEach((ch, i) => {
    const share = sum > 0 ? contribution[i] / sum : 0;
    addCredit(ledger, ch, N * share, V * share);
  });
  const contributions = enc.channels
    .map((channel, i) => ({ channel, conversionRate: p[i], contribution: contribution[i] }))
    .sort((a, b) => compareChannels(a.channel, b.channel));
  return { ...buildResult({ model: 'shao-li', options: {}, ledger, totals }), contributions };
}
