import { DuckDBTimestampValue, listValue, type DuckDBValue } from '@duckdb/node-api';
import type { SqlValue } from '../sql.ts';
import type { Row } from '../types.ts';

/** JS parameter → DuckDB value. Dates become TIMESTAMP (UTC), arrays LISTs. */
export function toDuckValue(value: SqlValue): DuckDBValue {
  if (value instanceof Date) return new DuckDBTimestampValue(BigInt(value.getTime()) * 1000n);
  if (Array.isArray(value)) return listValue(value as DuckDBValue[]);
  return value as DuckDBValue;
}

/** DuckDB JS value → the documented row shape (numbers, ISO strings, arrays, objects). */
export function fromDuckValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map(fromDuckValue);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = fromDuckValue(v);
    return out;
  }
  return value;
}

export function convertRow(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const key in row) out[key] = fromDuckValue(row[key]);
  return out;
}

/** A column of DuckDB JS values → the documented value types; numbers and strings pass as they are. */
export function convertColumn(values: readonly unknown[]): unknown[] {
  const out = new Array<unknown>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = typeof v === 'number' || typeof v === 'string' ? v : fromDuckValue(v);
  }
  return out;
}
