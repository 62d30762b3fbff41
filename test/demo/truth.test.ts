import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHANNELS, CHANNEL_IDS } from '../../src/demo/catalog.ts';
import { PAID_BUDGET_PER_1000, hillTouchRate } from '../../src/demo/spend.ts';
import { DECAY, PLANTED } from '../../src/demo/truth.ts';

const README = new URL('../../src/demo/README.md', import.meta.url);

/** Rows of the README truth table, keyed by channel id: the cells after the id. */
function readmeTable(): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of fs.readFileSync(README, 'utf8').split('\n')) {
    const m = /^\| `([a-z_]+)` \|(.*)\|$/.exec(line);
    if (m) rows.set(m[1], m[2].split('|').map((c) => c.trim()));
  }
  return rows;
}

const num = (cell: string): number | null => (cell === '—' ? null : Number(cell));

describe('planted truth table', () => {
  it('the README table is the code table (no drift)', () => {
    const rows = readmeTable();
    expect([...rows.keys()]).toEqual([...CHANNEL_IDS]);
    CHANNELS.forEach((def, c) => {
      const [group, kind, touch, lift, halfLife, max, halfSat, shape, budget, atReference] = rows.get(def.id) ?? [];
      const p = PLANTED[def.id];
      expect([group, kind, touch]).toEqual([def.group, def.kind, p.touch]);
      expect([num(lift), num(halfLife)]).toEqual([p.liftPerTouch, p.halfLifeDays]);
      expect([num(max), num(halfSat), num(shape)]).toEqual(
        p.saturation ? [p.saturation.maxTouchesPerActivePersonDay, p.saturation.halfSaturationSpendPer1000People, p.saturation.shape] : [null, null, null],
      );
      const ref = PAID_BUDGET_PER_1000[c];
      expect(num(budget)).toBe(ref ?? null);
      expect(num(atReference)).toBe(ref === undefined ? null : Number(hillTouchRate(c, ref).toFixed(4)));
    });
  });

  it('every paid channel has a saturation curve and a budget; no other channel has either', () => {
    CHANNELS.forEach((def, c) => {
      const paid = def.kind === 'paid';
      expect(PLANTED[def.id].saturation !== null).toBe(paid);
      expect(PAID_BUDGET_PER_1000[c] !== undefined).toBe(paid);
    });
  });

  it('adstock decay halves a touch after halfLifeDays', () => {
    CHANNEL_IDS.forEach((id, c) => expect(DECAY[c] ** PLANTED[id].halfLifeDays).toBeCloseTo(0.5, 12));
  });
});
