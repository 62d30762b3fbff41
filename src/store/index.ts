import path from 'node:path';
import { DuckDbStore } from './duckdb/store.ts';
import type { Store } from './types.ts';

export { sql, ident, raw, join, empty, isSql, changedRows, type Sql, type SqlValue } from './sql.ts';
export { duckdbDialect, baseDialect, type Dialect } from './dialect.ts';
export { EVENTS_TABLE, QUARANTINE_TABLE, EVENT_COLUMN_INDEX, type TableSpec, type AppendRow, type ColumnType } from './tables.ts';
export type { Store, Executor, Row, Columns } from './types.ts';
export { DuckDbStore } from './duckdb/store.ts';
export { Receipts, type Receipt } from './receipts.ts';

export const DATABASE_FILE = 'tributary.duckdb';

/** The database file of a data directory. */
export function databasePath(dataDir: string): string {
  return path.join(dataDir, DATABASE_FILE);
}

/** Opens the default (embedded DuckDB) store of a data directory. */
export function openStore(dataDir: string): Promise<Store> {
  return DuckDbStore.open({ path: databasePath(dataDir) });
}
