/**
 * Reading the path aggregate the store sends back in blocks (`path-blocks.sql.ts`) into path
 * aggregates. A path travels as a *packed key*, a number whose digits (`bits` bits each, most
 * significant first) are its label numbers + 1, left-aligned in PACKED_KEY_BITS bits and
 * followed by zeros; a path with more steps than fit travels as a path key string (input.ts).
 */
import { decodePathKey, STEP_SEPARATOR } from './input.ts';
import type { PathAggregate } from './types.ts';

/** Bits of a packed key: below 2^53, so a double holds it exactly. */
export const PACKED_KEY_BITS = 52;

/** Paths per block: one string per block instead of five values per path. */
export const PATH_BLOCK_SIZE = 2048;

/**
 * Values per path in a block: its position in the block, its packed key (or path key string),
 * conversions, value (or 'inf', '-inf', 'nan' as a string), nulls.
 */
export const BLOCK_ENTRY_LENGTH = 5;

/** Steps a packed key holds at `bits` bits per step. */
export const packedKeySteps = (bits: number): number => Math.floor(PACKED_KEY_BITS / bits);

/** One block: the position of its first path and its paths as a JSON array (BLOCK_ENTRY_LENGTH values each). */
export interface PathBlock {
  readonly start: number;
  readonly text: string;
}

/** The value the engine names when JSON has no number for it. */
function namedValue(name: string): number {
  if (name === 'inf') return Infinity;
  if (name === '-inf') return -Infinity;
  if (name === 'nan') return NaN;
  throw new Error(`unexpected value '${name}' in a path block`);
}

/**
 * Reads packed keys into label names. `scales[i]` is 2^(bits·(steps − 1 − i)); every division
 * is by a power of two, so exact.
 */
class PackedKeyReader {
  private readonly scales: number[];
  /** Label names by digit (digit 0 ends a path). */
  private readonly byDigit: string[];
  private readonly d = new Int32Array(PACKED_KEY_BITS);

  constructor(bits: number, names: readonly string[]) {
    const steps = packedKeySteps(bits);
    this.scales = Array.from({ length: steps }, (_, i) => 2 ** (bits * (steps - 1 - i)));
    this.byDigit = ['', ...names];
  }

  /** The path of a packed key. */
  pathOf(key: number): string[] {
    const { scales, d } = this;
    let n = 0;
    let rest = key;
    // Every step's digit is at least 1, so the path ends where the rest is 0.
    while (n < scales.length && rest > 0) {
      const digit = Math.floor(rest / scales[n]);
      rest -= digit * scales[n];
      d[n++] = digit;
    }
    return this.pathOfDigits(n);
  }

  /**
   * The first `n` digits as names. Array literals, not a loop into `new Array(n)`: V8 learns that
   * what a literal makes lives long and allocates it in the old generation, which saves copying a
   * million arrays through the young one (scavenges took 0.15 s of 0.45 s to read 1M paths,
   * 0.02 s with literals).
   */
  private pathOfDigits(n: number): string[] {
    const { d, byDigit: l } = this;
    switch (n) {
      case 0: return [];
      case 1: return [l[d[0]]];
      case 2: return [l[d[0]], l[d[1]]];
      case 3: return [l[d[0]], l[d[1]], l[d[2]]];
      case 4: return [l[d[0]], l[d[1]], l[d[2]], l[d[3]]];
      case 5: return [l[d[0]], l[d[1]], l[d[2]], l[d[3]], l[d[4]]];
      case 6: return [l[d[0]], l[d[1]], l[d[2]], l[d[3]], l[d[4]], l[d[5]]];
      case 7: return [l[d[0]], l[d[1]], l[d[2]], l[d[3]], l[d[4]], l[d[5]], l[d[6]]];
      case 8: return [l[d[0]], l[d[1]], l[d[2]], l[d[3]], l[d[4]], l[d[5]], l[d[6]], l[d[7]]];
      case 9: return [l[d[0]], l[d[1]], l[d[2]], l[d[3]], l[d[4]], l[d[5]], l[d[6]], l[d[7]], l[d[8]]];
      case 10: return [l[d[0]], l[d[1]], l[d[2]], l[d[3]], l[d[4]], l[d[5]], l[d[6]], l[d[7]], l[d[8]], l[d[9]]];
      case 11: return [l[d[0]], l[d[1]], l[d[2]], l[d[3]], l[d[4]], l[d[5]], l[d[6]], l[d[7]], l[d[8]], l[d[9]], l[d[10]]];
      case 12: return [l[d[0]], l[d[1]], l[d[2]], l[d[3]], l[d[4]], l[d[5]], l[d[6]], l[d[7]], l[d[8]], l[d[9]], l[d[10]], l[d[11]]];
      case 13: return [l[d[0]], l[d[1]], l[d[2]], l[d[3]], l[d[4]], l[d[5]], l[d[6]], l[d[7]], l[d[8]], l[d[9]], l[d[10]], l[d[11]], l[d[12]]];
      default: {
        const path = new Array<string>(n);
        for (let i = 0; i < n; i++) path[i] = l[d[i]];
        return path;
      }
    }
  }
}

/** The label names of a packed key (`bits` bits per step). */
export function decodePackedKey(key: number, names: readonly string[], bits: number): string[] {
  return new PackedKeyReader(bits, names).pathOf(key);
}

/**
 * Path aggregates from blocks, in the order of their positions (blocks may come in any order,
 * and paths in any order within a block). `bits` is the packed keys' bits per step.
 */
export function pathAggregatesFromBlocks(blocks: readonly PathBlock[], names: readonly string[], bits: number): PathAggregate[] {
  const reader = new PackedKeyReader(bits, names);
  const block: PathAggregate[] = new Array(PATH_BLOCK_SIZE);
  const paths: PathAggregate[] = [];
  for (const { start, text } of [...blocks].sort((a, b) => a.start - b.start)) {
    if (start !== paths.length) throw new Error(`path block at ${start} after ${paths.length} paths`);
    const entries = JSON.parse(text) as Array<number | string>;
    if (entries.length > PATH_BLOCK_SIZE * BLOCK_ENTRY_LENGTH) throw new Error(`a path block holds more than ${PATH_BLOCK_SIZE} paths`);
    for (let j = 0; j < entries.length; j += BLOCK_ENTRY_LENGTH) {
      const key = entries[j + 1];
      const value = entries[j + 3];
      block[entries[j] as number] = {
        path: typeof key === 'number' ? reader.pathOf(key) : decodePathKey(key, names),
        conversions: entries[j + 2] as number,
        value: typeof value === 'number' ? value : namedValue(value),
        nulls: entries[j + 4] as number,
      };
    }
    for (let i = 0; i < entries.length / BLOCK_ENTRY_LENGTH; i++) paths.push(block[i]);
  }
  return mergePathsWrittenAlike(paths, names);
}

/**
 * Paths are told apart by their names joined with STEP_SEPARATOR, so a label that is empty or
 * contains the separator could write two paths the same way (one nameless touch and no touch are
 * both ''): those are then merged, as path strings are, and '' is the path without touches.
 * With no such label the paths are returned as they are.
 */
export function mergePathsWrittenAlike(paths: PathAggregate[], names: readonly string[]): PathAggregate[] {
  if (!names.some((n) => n === '' || n.includes(STEP_SEPARATOR))) return paths;
  const merged = new Map<string, PathAggregate>();
  for (const p of paths) {
    const text = p.path.join(STEP_SEPARATOR);
    const seen = merged.get(text);
    if (seen) {
      seen.conversions += p.conversions;
      seen.value += p.value;
      seen.nulls += p.nulls;
    } else merged.set(text, { ...p, path: text === '' ? [] : text.split(STEP_SEPARATOR) });
  }
  return [...merged.values()];
}
