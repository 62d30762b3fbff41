import { raw, sql, type Sql } from './sql.ts';

/**
 * Engine differences as small functions. The base object states the common SQL; each engine
 * spreads it and overrides what differs. A feature an engine lacks throws a clear error.
 */
export interface Dialect {
  readonly name: 'duckdb' | 'clickhouse';
  /** Extract a string field from a JSON column: `json_extract_string(col, '$.a.b')`. */
  jsonString(column: Sql, path: readonly string[]): Sql;
  /** Extract a number from a JSON column. */
  jsonNumber(column: Sql, path: readonly string[]): Sql;
  /** Truncate a timestamp to a unit. */
  dateTrunc(unit: 'hour' | 'day' | 'week' | 'month', column: Sql): Sql;
  /** Epoch milliseconds of a timestamp expression. */
  epochMs(column: Sql): Sql;
  /** A timestamp literal from epoch milliseconds bound as a parameter. */
  timestampFromMs(ms: number): Sql;
  /** LIMIT/OFFSET clause. */
  limit(limit: number, offset?: number): Sql;
  /**
   * A column naming each row of a table within one statement, to read a few rows whole after
   * choosing them on narrow columns (`WHERE <rowId> IN (SELECT …)`).
   */
  rowId(): Sql;
}

function jsonPath(path: readonly string[]): string {
  for (const part of path) {
    if (!/^[A-Za-z0-9_$-]+$/.test(part)) throw new Error(`invalid JSON path segment: ${JSON.stringify(part)}`);
  }
  return '$.' + path.join('.');
}

export const baseDialect: Omit<Dialect, 'name'> = {
  jsonString: (column, path) => sql`json_extract_string(${column}, ${jsonPath(path)})`,
  jsonNumber: (column, path) => sql`TRY_CAST(json_extract_string(${column}, ${jsonPath(path)}) AS DOUBLE)`,
  dateTrunc: (unit, column) => sql`date_trunc(${raw(`'${unit}'`)}, ${column})`,
  epochMs: (column) => sql`epoch_ms(${column})`,
  timestampFromMs: (ms) => sql`make_timestamp(${Math.round(ms) * 1000})`,
  limit: (limit, offset = 0) => sql`LIMIT ${Math.max(0, Math.floor(limit))} OFFSET ${Math.max(0, Math.floor(offset))}`,
  rowId: () => raw('rowid'),
};

export const duckdbDialect: Dialect = { ...baseDialect, name: 'duckdb' };
