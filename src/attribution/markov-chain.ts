/**
 * Order-k Markov chain over channel paths (Anderl et al. 2016; state layout as in the
 * ChannelAttribution package). A state is the tuple of the last k channels; the first touches
 * of a path use the shorter prefix (order 3: (start) → (A) → (A,B) → (A,B,C) → (B,C,D) …). A path
 * followed by w = conversions + nulls journeys adds w to each of its transitions, then
 * `conversions` to (last state → conversion) and `nulls` to (last state → null).
 *
 * States are ints: a tuple is packed as Σ (channel id + 1)·B^i with B = channels + 1, so a
 * prefix tuple is simply a smaller number; a per-(state, channel) table caches the next state,
 * so the scan hashes only on the first sight of a transition.
 */
import type { AbsorbingSystem } from './absorbing-chain.ts';
import type { EncodedPaths } from './encode.ts';
import { CONVERSION_STATE, NULL_STATE, START_STATE, type TransitionEntry } from './types.ts';

/** Transition counts of the chain. State 0 is the start state (key 0). */
export interface TransitionCounts {
  order: number;
  channels: string[];
  stateCount: number;
  /** Packed tuple of each state id. */
  stateKeys: number[];
  /** `next[s·C + c]`: state reached from s by a touch of channel c, or −1. */
  next: Int32Array;
  /** `edge[s·C + c]`: journeys moving from s by a touch of channel c. */
  edge: Float64Array;
  /** Journeys converting / ending without conversion in each state. */
  conv: Float64Array;
  nul: Float64Array;
}

/** Highest supported order. */
export const MAX_MARKOV_ORDER = 4;

function growInt32(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(size).fill(-1);
  b.set(a);
  return b;
}

function growFloat64(a: Float64Array, size: number): Float64Array {
  const b = new Float64Array(size);
  b.set(a);
  return b;
}

/** Counts the transitions of every path; `withNulls: false` drops the null journeys. */
export function countTransitions(enc: EncodedPaths, order: number, withNulls: boolean): TransitionCounts {
  const C = Math.max(1, enc.channels.length);
  const B = C + 1;
  if (Math.pow(B, order + 1) > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`order ${order} with ${enc.channels.length} channels exceeds the packed state range`);
  }
  const mod = Math.pow(B, order);
  const { offsets, touches, conversions, nulls } = enc;
  let cap = 256;
  let next: Int32Array = new Int32Array(cap * C).fill(-1);
  let edge: Float64Array = new Float64Array(cap * C);
  let conv: Float64Array = new Float64Array(cap);
  let nul: Float64Array = new Float64Array(cap);
  const stateKeys = [0];
  const ids = new Map<number, number>([[0, 0]]);
  for (let i = 0; i < conversions.length; i++) {
    const w = withNulls ? conversions[i] + nulls[i] : conversions[i];
    const a = offsets[i];
    const b = offsets[i + 1];
    if (w === 0 || a === b) continue;
    let s = 0;
    for (let t = a; t < b; t++) {
      const idx = s * C + touches[t];
      let d = next[idx];
      if (d < 0) {
        const key = (stateKeys[s] * B + touches[t] + 1) % mod;
        let id = ids.get(key);
        if (id === undefined) {
          id = stateKeys.length;
          ids.set(key, id);
          stateKeys.push(key);
          if (id >= cap) {
            cap *= 2;
            next = growInt32(next, cap * C);
            edge = growFloat64(edge, cap * C);
            conv = growFloat64(conv, cap);
            nul = growFloat64(nul, cap);
          }
        }
        d = id;
        next[idx] = d;
      }
      edge[idx] += w;
      s = d;
    }
    conv[s] += conversions[i];
    if (withNulls) nul[s] += nulls[i];
  }
  return { order, channels: enc.channels, stateCount: stateKeys.length, stateKeys, next, edge, conv, nul };
}

/** Transient system (I − Q) x = r of the counted chain, all states transient including start. */
export function buildAbsorbingSystem(tc: TransitionCounts): AbsorbingSystem {
  const n = tc.stateCount;
  const C = Math.max(1, tc.channels.length);
  const rowStart = new Int32Array(n + 1);
  const col: number[] = [];
  const prob: number[] = [];
  const diag = new Float64Array(n);
  const reward = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    let total = tc.conv[s] + tc.nul[s];
    for (let c = 0; c < C; c++) total += tc.edge[s * C + c];
    if (total > 0) {
      reward[s] = tc.conv[s] / total;
      for (let c = 0; c < C; c++) {
        const k = tc.edge[s * C + c];
        if (k === 0) continue;
        const d = tc.next[s * C + c];
        if (d === s) diag[s] += k / total;
        else {
          col.push(d);
          prob.push(k / total);
        }
      }
    }
    rowStart[s + 1] = col.length;
  }
  return { n, rowStart, col: Int32Array.from(col), prob: Float64Array.from(prob), diag, reward };
}

/** Channel ids of a packed state tuple, oldest first. */
export function decodeStateKey(key: number, base: number): number[] {
  const ids: number[] = [];
  for (let k = key; k > 0; k = Math.floor(k / base)) ids.unshift((k % base) - 1);
  return ids;
}

/** `masks[c][s] = 1` when state s contains channel c: the states removed with channel c. */
export function buildRemovalMasks(tc: TransitionCounts): Uint8Array[] {
  const base = Math.max(1, tc.channels.length) + 1;
  const masks = tc.channels.map(() => new Uint8Array(tc.stateCount));
  for (let s = 1; s < tc.stateCount; s++) {
    for (const c of decodeStateKey(tc.stateKeys[s], base)) masks[c][s] = 1;
  }
  return masks;
}

/** Non-zero transitions with counts and probabilities, states labelled `A > B`. */
export function listTransitions(tc: TransitionCounts): TransitionEntry[] {
  const C = Math.max(1, tc.channels.length);
  const label = (s: number): string =>
    s === 0 ? START_STATE : decodeStateKey(tc.stateKeys[s], C + 1).map((c) => tc.channels[c]).join(' > ');
  const out: TransitionEntry[] = [];
  for (let s = 0; s < tc.stateCount; s++) {
    let total = tc.conv[s] + tc.nul[s];
    for (let c = 0; c < C; c++) total += tc.edge[s * C + c];
    if (total === 0) continue;
    const from = label(s);
    for (let c = 0; c < C; c++) {
      const k = tc.edge[s * C + c];
      if (k > 0) out.push({ from, to: label(tc.next[s * C + c]), count: k, probability: k / total });
    }
    if (tc.conv[s] > 0) out.push({ from, to: CONVERSION_STATE, count: tc.conv[s], probability: tc.conv[s] / total });
    if (tc.nul[s] > 0) out.push({ from, to: NULL_STATE, count: tc.nul[s], probability: tc.nul[s] / total });
  }
  return out;
}
