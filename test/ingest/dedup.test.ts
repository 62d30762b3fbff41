import { describe, expect, it } from 'vitest';
import { RecentIds } from '../../src/ingest/index.ts';

const HOUR = 3_600_000;

describe('RecentIds', () => {
  it('keys by source and messageId', () => {
    const ids = new RecentIds(HOUR, 10);
    ids.add(RecentIds.key('src_a', 'm1'), 0);
    expect(ids.has(RecentIds.key('src_a', 'm1'))).toBe(true);
    expect(ids.has(RecentIds.key('src_b', 'm1'))).toBe(false);
    // The separator keeps ('a', 'bc') and ('ab', 'c') apart.
    expect(RecentIds.key('a', 'bc')).not.toBe(RecentIds.key('ab', 'c'));
  });

  it('forgets ids older than the window once newer ones arrive', () => {
    const ids = new RecentIds(HOUR, 100);
    ids.add('old', 0);
    ids.add('mid', 30 * 60_000);
    ids.add('edge', HOUR);
    expect(ids.has('old')).toBe(true); // exactly one window old: still inside
    ids.add('new', HOUR + 1);
    expect(ids.has('old')).toBe(false);
    expect(ids.has('mid')).toBe(true);
    expect(ids.has('edge')).toBe(true);
    expect(ids.size).toBe(3);
    ids.add('later', HOUR + 30 * 60_000 + 1);
    expect(ids.has('mid')).toBe(false);
    expect(ids.has('edge')).toBe(true);
    expect(ids.has('new')).toBe(true);
    ids.add('much later', 3 * HOUR);
    expect(ids.size).toBe(1);
  });

  it('evicts the oldest first past maxIds', () => {
    const ids = new RecentIds(HOUR, 3);
    for (let i = 0; i < 5; i++) ids.add(`m${i}`, i);
    expect(ids.size).toBe(3);
    expect(['m0', 'm1', 'm2', 'm3', 'm4'].map((k) => ids.has(k))).toEqual([false, false, true, true, true]);
  });

  it('re-adding an id does not grow the set', () => {
    const ids = new RecentIds(HOUR, 3);
    ids.add('a', 1);
    ids.add('a', 2);
    expect(ids.size).toBe(1);
  });

  it('remembers nothing with maxIds 0 (de-duplication off)', () => {
    const ids = new RecentIds(HOUR, 0);
    ids.add('a', 1);
    expect(ids.has('a')).toBe(false);
    expect(ids.size).toBe(0);
  });

  it('delete forgets an id (a failed commit lets the retry in)', () => {
    const ids = new RecentIds(HOUR, 10);
    ids.add('a', 1);
    ids.delete('a');
    expect(ids.has('a')).toBe(false);
  });
});
