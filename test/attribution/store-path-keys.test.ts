/**
 * The path aggregate comes back from the store in blocks of packed keys (label numbers as the
 * digits of one number) or, for paths too long for one, path keys (one character per label
 * number), read back into label names. Checked against the second implementation that joins the
 * names in SQL (`pathAggregateSql`): the same paths, sums and order, over many blocks, with label
 * numbers past the UTF-16 surrogates and past U+FFFF, with path keys holding quotes, backslashes
 * and control characters, with infinite and NaN values, and with labels that write two paths the
 * same way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbStore, raw, sql, type Store } from '../../src/store/index.ts';
import { loadPathAggregates, pathAggregateSql, STEP_SEPARATOR, type JourneyQuery } from '../../src/attribution/index.ts';
import { decodePathKey } from '../../src/attribution/input.ts';

let store: Store;
const CAMPAIGNS = 70_000;

const HOUR = 3_600_000;

/** Touches of person `p` (user u<p>) `ms` after 2025-01-01, as the derive step writes them. */
function touchRows(p: number, steps: ReadonlyArray<{ ms: number; channel: string; campaign?: string }>): string {
  const quote = (v: string | undefined) => (v === undefined ? 'NULL' : `'${v.replaceAll("'", "''")}'`);
  return steps
    .map((s, k) => `('t${p}-${k}', 'user:u${p}', NULL, 'u${p}', TIMESTAMP '2025-01-01' + INTERVAL ${s.ms} MILLISECOND, 'session', NULL, ${quote(s.channel)}, 'src', 'med', ${quote(s.campaign)}, hash('u${p}', NULL::VARCHAR))`)
    .join(', ');
}

/** Touches an hour apart from hour 1, one per label. */
const hourly = (labels: readonly string[], as: 'channel' | 'campaign'): Array<{ ms: number; channel: string; campaign?: string }> =>
  labels.map((label, i) => (as === 'channel' ? { ms: (i + 1) * HOUR, channel: label } : { ms: (i + 1) * HOUR, channel: 'Email', campaign: label }));

/** Campaign c<n> (five digits): its label number is n, its path key character U+0001 + n. */
const c = (n: number) => `c${String(n).padStart(5, '0')}`;

const query = (granularity: JourneyQuery['granularity']): JourneyQuery => ({
  conversionEvent: 'Order Completed',
  valueProperty: 'revenue',
  lookbackDays: 30,
  from: null,
  to: null,
  granularity,
  includeNulls: true,
});

/** The path aggregate joined in SQL: path text → [conversions, value, nulls], in its order. */
async function joinedInSql(q: JourneyQuery): Promise<Array<[string, number[]]>> {
  const c = await store.queryColumns<{ path: string; conversions: number; value: number; nulls: number }>(pathAggregateSql(store.dialect, q));
  return c.path.map((p, i) => [p, [c.conversions[i], c.value[i], c.nulls[i]]]);
}

async function readBack(q: JourneyQuery): Promise<Array<[string, number[]]>> {
  return (await loadPathAggregates(store, q)).map((p) => [p.path.join(STEP_SEPARATOR), [p.conversions, p.value, p.nulls]]);
}

beforeAll(async () => {
  store = await DuckDbStore.open({ path: ':memory:' });
  // People 0 … CAMPAIGNS−1 each touch two campaigns (c<p>, then c<p+1>, 5-digit names so that text
  // order is number order); every third orders an hour after. The campaigns number past U+D7FF,
  // U+FEFF (a byte-order mark to a text decoder) and U+FFFF in the keys.
  await store.exec(
    raw(`INSERT INTO touches
      SELECT 't' || p || '-' || k, 'user:u' || p, NULL, 'u' || p, TIMESTAMP '2025-01-01' + to_hours(p % 500 + k), 'session', NULL,
        'Email', 'src', 'med', 'c' || lpad(((p + k) % ${CAMPAIGNS})::VARCHAR, 5, '0'), hash('u' || p, NULL::VARCHAR)
      FROM range(${CAMPAIGNS}) r(p), range(2) s(k)`),
  );
  await store.exec(
    raw(`INSERT INTO events (message_id, source_id, type, event, user_id, timestamp, received_at, revenue)
      SELECT 'o' || p, 'src_test', 'track', 'Order Completed', 'u' || p, TIMESTAMP '2025-01-01' + to_hours(p % 500 + 2), TIMESTAMP '2025-02-01', 10 + p % 7
      FROM range(0, ${CAMPAIGNS}, 3) r(p)`),
  );
  // Channel labels that write two paths the same way: '' (one nameless touch reads as no touch)
  // and a name holding the separator (A␟B reads as A then B).
  // Person 100,007 has a touch at the very instant of their order (it leads to the order) and one
  // a millisecond later (a null journey).
  const people: Array<[number, Array<{ ms: number; channel: string; campaign?: string }>]> = [
    [100_001, [{ ms: HOUR, channel: '' }]],
    [100_002, [{ ms: HOUR, channel: `A${STEP_SEPARATOR}B` }]],
    [100_003, [{ ms: HOUR, channel: 'A' }, { ms: 2 * HOUR, channel: 'B' }]],
    [100_004, [{ ms: HOUR, channel: '' }, { ms: 2 * HOUR, channel: 'X' }]],
    [100_005, [{ ms: HOUR, channel: 'X' }]],
    [100_007, [{ ms: 5 * HOUR, channel: 'Tie' }, { ms: 5 * HOUR + 1, channel: 'Later' }]],
    // Longer than a packed key of 70,000 campaigns holds (3 steps): path keys with '"' (c00033),
    // '\' (c00091) and control characters, next to the 3-step path they extend, which sorts first.
    [100_010, hourly([c(0), c(33), c(91), c(9)], 'campaign')],
    [100_011, hourly([c(0), c(33), c(91)], 'campaign')],
    [100_012, hourly([c(0), c(33), c(91), c(1), c(2)], 'campaign')],
    [100_013, hourly([c(0), c(33), c(91), c(9)], 'campaign')],
    // 13 steps fill a packed key of the channels (4 bits a step); 20 steps do not (stored last
    // first, as 100,019's few below are out of order).
    [100_014, hourly(Array.from({ length: 13 }, (_, i) => ['A', 'B', 'X'][i % 3]), 'channel')],
    [100_015, hourly(Array.from({ length: 20 }, (_, i) => ['A', 'B', 'X'][i % 3]), 'channel').reverse()],
    [100_016, hourly(['Inf'], 'channel')],
    [100_017, hourly(['NaN'], 'channel')],
    [100_018, hourly(['Frac'], 'channel')],
    // Stored out of time order: the path is in time order.
    [100_019, [{ ms: 3 * HOUR, channel: 'B' }, { ms: HOUR, channel: 'A' }, { ms: 2 * HOUR, channel: 'X' }]],
  ];
  await store.exec(raw(`INSERT INTO touches VALUES ${people.map(([p, steps]) => touchRows(p, steps)).join(', ')}`));
  await store.exec(
    sql`INSERT INTO events (message_id, source_id, type, event, user_id, timestamp, received_at, revenue)
      SELECT 'o' || p, 'src_test', 'track', 'Order Completed', 'u' || p, TIMESTAMP '2025-01-01' + INTERVAL 5 HOUR, TIMESTAMP '2025-02-01', 7
      FROM unnest(${[100_001, 100_003, 100_006, 100_007, 100_010]}::INTEGER[]) AS r(p)`,
  );
  await store.exec(
    raw(`INSERT INTO events (message_id, source_id, type, event, user_id, timestamp, received_at, revenue)
      VALUES ('o100016', 'src_test', 'track', 'Order Completed', 'u100016', TIMESTAMP '2025-01-01' + INTERVAL 5 HOUR, TIMESTAMP '2025-02-01', 'inf'::DOUBLE),
        ('o100017', 'src_test', 'track', 'Order Completed', 'u100017', TIMESTAMP '2025-01-01' + INTERVAL 5 HOUR, TIMESTAMP '2025-02-01', 'nan'::DOUBLE),
        ('o100018', 'src_test', 'track', 'Order Completed', 'u100018', TIMESTAMP '2025-01-01' + INTERVAL 5 HOUR, TIMESTAMP '2025-02-01', 0.1::DOUBLE + 0.2::DOUBLE)`),
  );
});
afterAll(async () => {
  await store.close();
});

describe('path keys', () => {
  it('read back every path of 70,000 campaigns as the names joined in SQL, in the same order', async () => {
    const keys = await readBack(query('campaign'));
    const joined = await joinedInSql(query('campaign'));
    expect(keys.length).toBeGreaterThan(CAMPAIGNS);
    expect(keys).toEqual(joined);
    // Person 69,999 touches the last campaign, then wraps around to the first.
    expect(keys.find(([p]) => p.startsWith('c69999'))?.[0]).toBe(`c69999${STEP_SEPARATOR}c00000`);
    // The paths through c00000, c00033, c00091: the 3-step one (a packed key) first, then the
    // longer ones (path keys) step by step; person 100,010 orders, 100,013 does not.
    const through = keys.filter(([p]) => p.startsWith([c(0), c(33), c(91)].join(STEP_SEPARATOR)));
    expect(through).toEqual([
      [[c(0), c(33), c(91)].join(STEP_SEPARATOR), [0, 0, 1]],
      [[c(0), c(33), c(91), c(1), c(2)].join(STEP_SEPARATOR), [0, 0, 1]],
      [[c(0), c(33), c(91), c(9)].join(STEP_SEPARATOR), [1, 7, 1]],
    ]);
  });

  it('merge the paths that labels write the same way, as the joined names do; a touch at the instant of an order leads to it', async () => {
    const keys = await readBack(query('channel'));
    const joined = await joinedInSql(query('channel'));
    const byPath = (rows: Array<[string, number[]]>) => Object.fromEntries(rows.filter(([p]) => !p.startsWith('Email')));
    expect(byPath(keys)).toEqual(byPath(joined));
    const abx = (n: number) => Array.from({ length: n }, (_, i) => ['A', 'B', 'X'][i % 3]).join(STEP_SEPARATOR);
    expect(byPath(keys)).toEqual({
      // Person 100,001's nameless touch and person 100,006's order without touches.
      '': [2, 14, 0],
      [`A${STEP_SEPARATOR}B`]: [1, 7, 1],
      [`${STEP_SEPARATOR}X`]: [0, 0, 1],
      X: [0, 0, 1],
      Tie: [1, 7, 0],
      Later: [0, 0, 1],
      [abx(13)]: [0, 0, 1],
      [abx(20)]: [0, 0, 1],
      Inf: [1, Infinity, 0],
      NaN: [1, NaN, 0],
      Frac: [1, 0.1 + 0.2, 0],
      [['A', 'X', 'B'].join(STEP_SEPARATOR)]: [0, 0, 1],
    });
    const paths = await loadPathAggregates(store, query('channel'));
    expect(paths.find((p) => p.path.join(STEP_SEPARATOR) === '')?.path).toEqual([]);
  });

  it('decode code points on both sides of the surrogates and past U+FFFF', () => {
    const names = Array.from({ length: 70_000 }, (_, i) => `n${i}`);
    expect(decodePathKey('\u0001\ud7ff', names)).toEqual(['n0', 'n55294']);
    expect(decodePathKey('\ue000\ufefe\uff00\uffff', names)).toEqual(['n55295', 'n63229', 'n63230', 'n63485']);
    expect(decodePathKey(String.fromCodePoint(0x10000, 0x10000 + 1000), names)).toEqual(['n63486', 'n64486']);
    expect(decodePathKey('', names)).toEqual([]);
  });
});
