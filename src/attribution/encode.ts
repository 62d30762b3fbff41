/**
 * Channel sequences as small integers, for the models that scan every touch many times
 * (Markov, Shapley). Channel ids follow first appearance; the flat layout (touches + offsets,
 * like CSR) keeps the hot loops on typed arrays with no string hashing.
 */
import type { PathAggregate } from './types.ts';

/** Paths as channel ids: path i is `touches[offsets[i] .. offsets[i + 1])`. */
export interface EncodedPaths {
  channels: string[];
  offsets: Int32Array;
  touches: Int32Array;
  conversions: Float64Array;
  value: Float64Array;
  nulls: Float64Array;
}

/**
 * Encodes paths; with `collapseRepeats` consecutive identical channels become one touch
 * (A > A > B → A > B). Every channel seen gets an id, even in paths that carry no count.
 */
export function encodePaths(paths: readonly PathAggregate[], collapseRepeats = false): EncodedPaths {
  let total = 0;
  for (const p of paths) total += p.path.length;
  const ids = new Map<string, number>();
  const channels: string[] = [];
  const touches = new Int32Array(total);
  const offsets = new Int32Array(paths.length + 1);
  const conversions = new Float64Array(paths.length);
  const value = new Float64Array(paths.length);
  const nulls = new Float64Array(paths.length);
  let k = 0;
  for (let i = 0; i < paths.length; i++) {
    const p = paths[i];
    const path = p.path;
    let prev = -1;
    let prevName: string | undefined;
    for (let t = 0; t < path.length; t++) {
      const name = path[t];
      // Runs of one channel are common (a string of impressions): look each run up once.
      let id = name === prevName ? prev : ids.get(name);
      if (id === undefined) {
        id = channels.length;
        ids.set(name, id);
        channels.push(name);
      }
      prevName = name;
      if (collapseRepeats && id === prev) continue;
      touches[k++] = id;
      prev = id;
    }
    offsets[i + 1] = k;
    conversions[i] = p.conversions;
    value[i] = p.value;
    nulls[i] = p.nulls;
  }
  return { channels, offsets, touches: k === total ? touches : touches.subarray(0, k), conversions, value, nulls };
}
