/**
 * Journeys grouped by their exact set of distinct channels (order and repeats ignored), the
 * unit of the set-based models (Shapley, Shao & Li).
 */
import type { EncodedPaths } from './encode.ts';

/** All journeys whose distinct channels are exactly `ids` (channel ids, first-touch order). */
export interface ChannelSet {
  ids: number[];
  conversions: number;
  value: number;
  nulls: number;
}

/** Groups the non-empty paths by channel set (bitmask keys up to 30 channels, strings above). */
export function groupChannelSets(enc: EncodedPaths): ChannelSet[] {
  const C = enc.channels.length;
  const stamp = new Int32Array(C).fill(-1);
  const groups = new Map<number | string, ChannelSet>();
  for (let i = 0; i < enc.conversions.length; i++) {
    const ids: number[] = [];
    let mask = 0;
    for (let t = enc.offsets[i]; t < enc.offsets[i + 1]; t++) {
      const c = enc.touches[t];
      if (stamp[c] !== i) {
        stamp[c] = i;
        ids.push(c);
        if (C <= 30) mask |= 1 << c;
      }
    }
    if (ids.length === 0) continue;
    const key = C <= 30 ? mask : [...ids].sort((x, y) => x - y).join(',');
    let g = groups.get(key);
    if (!g) {
      g = { ids, conversions: 0, value: 0, nulls: 0 };
      groups.set(key, g);
    }
    g.conversions += enc.conversions[i];
    g.value += enc.value[i];
    g.nulls += enc.nulls[i];
  }
  return [...groups.values()];
}
