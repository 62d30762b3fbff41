/**
 * The path aggregate as one statement returns it to Node: the unique paths of
 * `windowed_journeys` in blocks of JSON text (`path-blocks.ts` reads them back). Node pays for
 * every value of a result: for the 1M paths of 10M touches, rows of five values took 0.5 s to
 * read, more than the engine's grouping; the blocks take 0.2 s to write, on the engine's
 * threads, and about 0.1 s to parse (JSON.parse).
 */
import { empty, raw, sql, type Dialect, type Sql } from '../store/index.ts';
import { journeyCtesSql, stepLabelNo, timeDecayOf, type JourneyQuery } from './journeys.sql.ts';
import { PATH_KEY_RANGES } from './input.ts';
import { PACKED_KEY_BITS, PATH_BLOCK_SIZE } from './path-blocks.ts';

/**
 * A path as a string of one character per step, the code point of its label number
 * (PATH_KEY_RANGES); in key order, paths are ordered step by step in label order. Only the paths
 * too long for a packed key travel so.
 */
function pathKeyOf(steps: Sql): Sql {
  const no = stepLabelNo(raw('x'));
  const [low, middle, high] = PATH_KEY_RANGES;
  const codePoint = sql`CASE WHEN ${no} < ${raw(String(middle.fromLabel))} THEN ${no} + ${raw(String(low.add))}
    WHEN ${no} < ${raw(String(high.fromLabel))} THEN ${no} + ${raw(String(middle.add))} ELSE ${no} + ${raw(String(high.add))} END`;
  return sql`array_to_string(list_transform(${steps}, x -> chr(CAST(${codePoint} AS INTEGER))), '')`;
}

/**
 * The packed key of a path's first `key_steps` steps (path-blocks.ts): digits of `key_bits`
 * bits, label number + 1 each, left-aligned so that packed keys sort as their paths do, step
 * by step in label order, a path before its extensions; 0 without steps. Grouping and sorting
 * one integer costs less than the path key string, and Node reads a number without building a
 * string.
 */
function packedKeyOf(steps: Sql): Sql {
  const prefix = sql`CASE WHEN len(${steps}) <= key_steps THEN ${steps} ELSE ${steps}[1:key_steps] END`;
  return sql`(list_reduce(${prefix}, (a, x) -> (a << key_bits) | (${stepLabelNo(raw('x'))} + 1), 0::BIGINT)
    << (key_bits * (key_steps - least(len(${steps}), key_steps))))`;
}

/** The kinds of row of `pathBlocksSql`. */
export const PATH_ROW = { label: 0, keyBits: 1, block: 2, timeDecay: 3 } as const;

/**
 * One path of a block as JSON values (BLOCK_ENTRY_LENGTH): its position in the block, its packed
 * key or, for a longer path, its path key as a JSON string, conversions, value (a JSON string
 * for infinities and NaN), nulls. Doubles print as the shortest text that reads back exactly.
 */
function blockEntryOf(): Sql {
  const value = sql`CASE WHEN isfinite(value) THEN value::VARCHAR ELSE '"' || value::VARCHAR || '"' END`;
  const key = sql`CASE WHEN long_key IS NULL THEN key::VARCHAR ELSE to_json(long_key)::VARCHAR END`;
  return sql`concat_ws(',', rn % ${raw(String(PATH_BLOCK_SIZE))}, ${key}, conversions::BIGINT, ${value}, (journeys - conversions)::BIGINT)`;
}

/**
 * The path aggregate in blocks, with the label names and the key bits to read them and, given a
 * half-life, the time-decay credit, from one computation of the journeys (it is most of the cost
 * of each). Rows by `part` (PATH_ROW), then `n`, then `path`:
 * - label: `path` = a label, `n` = its number;
 * - key bits: `n` = the bits per step of the packed keys (the bit length of the label count);
 * - block: `path` = '[' entries ']' (`blockEntryOf`) of the paths at positions `n` … `n` + 2,047
 *   of the aggregate ordered by path, label by label;
 * - time decay: `path` = a label, its credited `conversions` and `value`.
 */
export function pathBlocksSql(dialect: Dialect, q: JourneyQuery, options: { timeDecayHalfLifeDays?: number } = {}): Sql {
  const halfLife = options.timeDecayHalfLifeDays;
  const block = raw(String(PATH_BLOCK_SIZE));
  const timeDecay = halfLife === undefined
    ? empty
    : sql`UNION ALL SELECT ${raw(String(PATH_ROW.timeDecay))}, channel, NULL, conversions, value FROM (${timeDecayOf(halfLife)})`;
  return sql`WITH ${journeyCtesSql(dialect, q)},
    journey_key_bits AS (
      SELECT length(bin(count(*)))::INTEGER AS key_bits, (${raw(String(PACKED_KEY_BITS))} // length(bin(count(*))))::INTEGER AS key_steps
      FROM journey_labels
    ),
    journey_paths AS (
      SELECT key, long_key, sum(conversions::DOUBLE) AS conversions, sum(value) AS value, count(*) AS journeys
      FROM (
        SELECT ${packedKeyOf(raw('steps'))} AS key, CASE WHEN len(steps) > key_steps THEN ${pathKeyOf(raw('steps'))} END AS long_key, conversions, value
        FROM windowed_journeys, journey_key_bits
      )
      GROUP BY key, long_key
    )
    SELECT ${raw(String(PATH_ROW.label))} AS part, label AS path, no::DOUBLE AS n, NULL::DOUBLE AS conversions, NULL::DOUBLE AS value FROM journey_labels
    UNION ALL
    SELECT ${raw(String(PATH_ROW.keyBits))}, NULL, key_bits, NULL, NULL FROM journey_key_bits
    UNION ALL
    SELECT ${raw(String(PATH_ROW.block))}, '[' || string_agg(${blockEntryOf()}, ',') || ']', (rn // ${block} * ${block})::DOUBLE, NULL, NULL
    FROM (SELECT *, row_number() OVER (ORDER BY key, long_key NULLS FIRST) - 1 AS rn FROM journey_paths)
    GROUP BY rn // ${block}
    ${timeDecay}
    ORDER BY part, n, path`;
}
