import { describe, expect, it } from 'vitest';
import { Receipts } from '../../src/store/index.ts';

/** A clock the test moves by hand. */
function manualClock(start: number) {
  let now = start;
  return { now: () => now, set: (t: number) => (now = t) };
}

describe('Receipts', () => {
  it('settles at the clock while no write is under way', () => {
    const clock = manualClock(1_000);
    const receipts = new Receipts(clock.now);
    expect(receipts.settled()).toBe(1_000);
    clock.set(2_000);
    expect(receipts.settled()).toBe(2_000);
  });

  it('stops just before the oldest write under way, whatever closes first', () => {
    const clock = manualClock(1_000);
    const receipts = new Receipts(clock.now);
    const a = receipts.begin();
    clock.set(1_005);
    const b = receipts.begin();
    clock.set(1_010);
    expect([a.at, b.at]).toEqual([1_000, 1_005]);
    expect(receipts.settled()).toBe(999);
    b.close();
    expect(receipts.settled()).toBe(999);
    a.close();
    expect(receipts.settled()).toBe(1_010);
  });

  it('hands out receive times after anything already settled, in the same millisecond or when the clock steps back', () => {
    const clock = manualClock(5_000);
    const receipts = new Receipts(clock.now);
    expect(receipts.settled()).toBe(5_000);
    const same = receipts.begin();
    expect(same.at).toBe(5_001);
    clock.set(4_000);
    const back = receipts.begin();
    expect(back.at).toBe(5_001);
    same.close();
    back.close();
    // Both writes committed: settled reaches them even though the clock is behind.
    expect(receipts.settled()).toBe(5_001);
    // Without a settled answer in between, receive times are the clock's, however many writes.
    clock.set(6_000);
    expect([receipts.begin().at, receipts.begin().at]).toEqual([6_000, 6_000]);
  });

  it('keeps a settled answer given while writes were under way when the clock steps back', () => {
    const clock = manualClock(1_000);
    const receipts = new Receipts(clock.now);
    const a = receipts.begin();
    clock.set(1_010);
    const b = receipts.begin();
    a.close();
    expect(receipts.settled()).toBe(1_009);
    clock.set(1_005);
    const c = receipts.begin();
    expect(c.at).toBe(1_010);
    b.close();
    c.close();
    expect(receipts.settled()).toBe(1_010);
  });

  it('counts writes that share a receive time, and a second close ends nothing else', () => {
    const clock = manualClock(1_000);
    const receipts = new Receipts(clock.now);
    const a = receipts.begin();
    const b = receipts.begin();
    expect(b.at).toBe(a.at);
    a.close();
    a.close();
    // b is still under way.
    expect(receipts.settled()).toBe(999);
    b.close();
    expect(receipts.settled()).toBe(1_000);
  });
});
