/**
 * Single-rule heuristics over path aggregates: first touch, last touch, last non-direct touch,
 * linear and participation. Each path's conversions and value are split over its touches by a
 * fixed rule; a path with no touch goes to `unattributed`. No rounding.
 */
import { addCredit, buildResult, carriesCredit, createLedger, registerChannels, sumPathTotals } from './ledger.ts';
import type { AttributionResult, PathAggregate } from './types.ts';

/** Channels that `lastNonDirect` skips unless told otherwise. */
export const DEFAULT_DIRECT_CHANNELS: readonly string[] = ['Direct', 'direct'];

function creditOneTouch(
  model: string,
  paths: readonly PathAggregate[],
  options: Record<string, unknown>,
  pick: (path: string[]) => string,
): AttributionResult {
  const ledger = createLedger();
  registerChannels(ledger, paths);
  for (const p of paths) {
    if (p.path.length > 0 && carriesCredit(p)) addCredit(ledger, pick(p.path), p.conversions, p.value);
  }
  return buildResult({ model, options, ledger, totals: sumPathTotals(paths) });
}

/** First touch: the first channel of each path gets 100 % of its conversions and value. */
export function attributeFirstTouch(paths: readonly PathAggregate[]): AttributionResult {
  return creditOneTouch('first', paths, {}, (path) => path[0]);
}

/** Last touch: the last channel of each path gets 100 %. */
export function attributeLastTouch(paths: readonly PathAggregate[]): AttributionResult {
  return creditOneTouch('last', paths, {}, (path) => path[path.length - 1]);
}

/** Options of the last non-direct model. */
export interface LastNonDirectOptions {
  /** Channel names that count as direct traffic. Default `['Direct', 'direct']`. */
  directChannels?: readonly string[];
}

/**
 * Last non-direct touch: 100 % to the last touch whose channel is not a direct channel; when
 * every touch is direct, the (last) direct touch gets the credit.
 */
export function attributeLastNonDirect(
  paths: readonly PathAggregate[],
  options: LastNonDirectOptions = {},
): AttributionResult {
  const direct = new Set(options.directChannels ?? DEFAULT_DIRECT_CHANNELS);
  return creditOneTouch('last-non-direct', paths, { directChannels: [...direct] }, (path) => {
    for (let i = path.length - 1; i >= 0; i--) if (!direct.has(path[i])) return path[i];
    return path[path.length - 1];
  });
}

/** Linear: each of the n touches gets 1/n (repeats of a channel each count). */
export function attributeLinear(paths: readonly PathAggregate[]): AttributionResult {
  const ledger = createLedger();
  registerChannels(ledger, paths);
  for (const p of paths) {
    const n = p.path.length;
    if (n === 0 || !carriesCredit(p)) continue;
    const c = p.conversions / n;
    const v = p.value / n;
    for (const ch of p.path) addCredit(ledger, ch, c, v);
  }
  return buildResult({ model: 'linear', options: {}, ledger, totals: sumPathTotals(paths) });
}

/**
 * Participation: every distinct channel of a path gets the path's full conversions and value.
 * Credits overlap, so their sum exceeds the totals (`creditsSumToTotals: false`).
 */
export function attributeParticipation(paths: readonly PathAggregate[]): AttributionResult {
  const ledger = createLedger();
  registerChannels(ledger, paths);
  for (const p of paths) {
    if (!carriesCredit(p)) continue;
    for (const ch of new Set(p.path)) addCredit(ledger, ch, p.conversions, p.value);
  }
  return buildResult({
    model: 'participation',
    options: {},
    ledger,
    totals: sumPathTotals(paths),
    creditsSumToTotals: false,
  });
}
