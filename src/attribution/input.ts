/**
 * Telling the two input forms apart, turning timed journeys into path aggregates, and reading
 * the store's path keys (the paths too long for a packed key, path-blocks.ts) into label names.
 */
import type { AttributionInput, PathAggregate, TimedJourney } from './types.ts';

/** Unit separator: joins path steps in SQL; never part of a channel or campaign name. */
export const STEP_SEPARATOR = '\u001f';

/**
 * A path key (path-blocks.sql.ts) writes label number n as one code point: n + 1 up to U+D7FF, then
 * n + 0x801 past the UTF-16 surrogates (U+D800–U+DFFF), then n + 0x802 past U+FEFF, which a text
 * decoder drops as a byte-order mark at the start of a string. Each entry: the first label number
 * of a range and what is added to it.
 */
export const PATH_KEY_RANGES: ReadonlyArray<{ readonly fromLabel: number; readonly add: number }> = [
  { fromLabel: 0, add: 1 },
  { fromLabel: 0xd7ff, add: 0x801 },
  { fromLabel: 0xf6fe, add: 0x802 },
];

/** True when the input is a list of timed journeys (an empty list counts as path aggregates). */
export function isTimedInput(input: AttributionInput): input is readonly TimedJourney[] {
  const first: unknown = input[0];
  return typeof first === 'object' && first !== null && 'touches' in first;
}

/**
 * Drops the timestamps: one aggregate per journey (no merging of equal paths is needed, every
 * model sums over its input). `nulls` defaults to 0.
 */
export function toPathAggregates(input: AttributionInput): readonly PathAggregate[] {
  if (!isTimedInput(input)) return input;
  return input.map((j) => ({
    path: j.touches.map((t) => t.channel),
    conversions: j.conversions,
    value: j.value,
    nulls: j.nulls ?? 0,
  }));
}

const [LOW, MIDDLE, HIGH] = PATH_KEY_RANGES;

/** The label numbers of a path key (PATH_KEY_RANGES), turned into names. */
export function decodePathKey(key: string, names: readonly string[]): string[] {
  // Up to 55,295 labels every step is one UTF-16 unit, n + 1: no branch, no growing array.
  if (names.length <= MIDDLE.fromLabel) {
    const path = new Array<string>(key.length);
    for (let i = 0; i < key.length; i++) path[i] = names[key.charCodeAt(i) - LOW.add];
    return path;
  }
  const path: string[] = [];
  for (let i = 0; i < key.length; i++) {
    let cp = key.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff) {
      cp = key.codePointAt(i) as number;
      i++;
    }
    const add = cp < MIDDLE.fromLabel + MIDDLE.add ? LOW.add : cp < HIGH.fromLabel + HIGH.add ? MIDDLE.add : HIGH.add;
    path.push(names[cp - add]);
  }
  return path;
}
