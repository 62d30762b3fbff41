/**
 * Reading path blocks (path-blocks.ts) without a store: packed keys built here digit by digit with
 * BigInt, blocks and entries in shuffled order, path-key strings, non-finite values.
 */
import { describe, expect, it } from 'vitest';
import { decodePackedKey, PACKED_KEY_BITS, packedKeySteps, pathAggregatesFromBlocks, type PathBlock } from '../../src/attribution/path-blocks.ts';
import { STEP_SEPARATOR } from '../../src/attribution/index.ts';

/** The packed key of label numbers: digits no + 1 of `bits` bits, left-aligned in PACKED_KEY_BITS bits. */
function packedKey(nos: readonly number[], bits: number): number {
  const steps = Math.floor(PACKED_KEY_BITS / bits);
  let key = 0n;
  for (let i = 0; i < steps; i++) key = (key << BigInt(bits)) | BigInt(i < nos.length ? nos[i] + 1 : 0);
  return Number(key);
}

const names = Array.from({ length: 12 }, (_, i) => `ch${i}`);

describe('packed keys', () => {
  it('hold 13 steps at 4 bits and 2 at 21 bits, exactly', () => {
    expect(packedKeySteps(4)).toBe(13);
    expect(packedKeySteps(21)).toBe(2);
    expect(packedKey(Array(13).fill(11), 4)).toBeLessThan(2 ** 53);
  });

  it('decode to the label names of their digits, most significant first', () => {
    expect(decodePackedKey(packedKey([3, 0, 11], 4), names, 4)).toEqual(['ch3', 'ch0', 'ch11']);
    expect(decodePackedKey(packedKey([11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11], 4), names, 4)).toEqual(Array(13).fill('ch11'));
    expect(decodePackedKey(0, names, 4)).toEqual([]);
    const many = Array.from({ length: 70_000 }, (_, i) => `n${i}`);
    expect(decodePackedKey(packedKey([69_999, 0], 17), many, 17)).toEqual(['n69999', 'n0']);
    expect(decodePackedKey(packedKey([1_048_575, 5], 21), Array.from({ length: 1_048_576 }, (_, i) => `m${i}`), 21)).toEqual(['m1048575', 'm5']);
  });
});

describe('path blocks', () => {
  const entry = (pos: number, nos: readonly number[] | string, conversions: number, value: number | string, nulls: number) =>
    [pos, typeof nos === 'string' ? nos : packedKey(nos, 4), conversions, value, nulls] as const;
  const block = (start: number, entries: ReadonlyArray<ReturnType<typeof entry>>): PathBlock => ({ start, text: JSON.stringify(entries.flat()) });

  it('put every path at its position, whatever the order of blocks and entries', () => {
    const size = 2048;
    const first = Array.from({ length: size }, (_, i) => entry(i, [i % 12, (i >> 4) % 12], i % 3, i / 4, 1));
    const second = [entry(1, '\u0001\u0003\u000c', 1, 'inf', 0), entry(0, [], 2, 14, 0), entry(2, [5], 0, 'nan', 3), entry(3, [5, 6], 1, '-inf', 0)];
    const shuffled = [...first].sort((a, b) => ((a[0] * 7919) % size) - ((b[0] * 7919) % size));
    const paths = pathAggregatesFromBlocks([block(size, second), block(0, shuffled)], names, 4);
    expect(paths).toHaveLength(size + 4);
    expect(paths[0]).toEqual({ path: ['ch0', 'ch0'], conversions: 0, value: 0, nulls: 1 });
    expect(paths[2047]).toEqual({ path: [names[2047 % 12], names[(2047 >> 4) % 12]], conversions: 2047 % 3, value: 2047 / 4, nulls: 1 });
    expect(paths.slice(size)).toEqual([
      { path: [], conversions: 2, value: 14, nulls: 0 },
      { path: ['ch0', 'ch2', 'ch11'], conversions: 1, value: Infinity, nulls: 0 },
      { path: ['ch5'], conversions: 0, value: NaN, nulls: 3 },
      { path: ['ch5', 'ch6'], conversions: 1, value: -Infinity, nulls: 0 },
    ]);
  });

  it('refuse a missing block', () => {
    expect(() => pathAggregatesFromBlocks([block(2048, [entry(0, [1], 0, 0, 1)])], names, 4)).toThrow(/path block at 2048/);
  });

  it('merge paths that labels write the same way: a nameless touch is no touch, a name with the separator two steps', () => {
    const odd = ['', `A${STEP_SEPARATOR}B`, 'A', 'B'];
    const paths = pathAggregatesFromBlocks([block(0, [entry(0, [], 1, 5, 0), entry(1, [0], 1, 2, 1), entry(2, [1], 0, 0, 1), entry(3, [2, 3], 1, 3, 0)])], odd, 4);
    expect(paths).toEqual([
      { path: [], conversions: 2, value: 7, nulls: 1 },
      { path: ['A', 'B'], conversions: 1, value: 3, nulls: 1 },
    ]);
  });
});
