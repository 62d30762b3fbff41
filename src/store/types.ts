import type { Dialect } from './dialect.ts';
import type { Sql } from './sql.ts';
import type { Receipts } from './receipts.ts';
import type { AppendRow, TableSpec } from './tables.ts';

/**
 * Query results have one shape whatever the engine: plain objects whose numbers are JS numbers
 * (BIGINTs beyond 2^53 stay strings), timestamps ISO-8601 strings in UTC, lists arrays, JSON
 * columns strings.
 */
export type Row = Record<string, unknown>;

/** A result read column by column: one array per column, in the row shape's value types. */
export type Columns<T> = { [K in keyof T]: T[K][] };

export interface Executor {
  query<T = Row>(q: Sql): Promise<T[]>;
  exec(q: Sql): Promise<void>;
}

/**
 * The storage boundary. Capabilities build engine-neutral `Sql` with the dialect and ask the store
 * to run it; they never hold an engine connection themselves.
 */
export interface Store extends Executor {
  readonly engine: Dialect['name'];
  readonly dialect: Dialect;
  /** Where the data lives (file path or ':memory:'), for messages. */
  readonly location: string;
  /**
   * Receive times of event writes under way in this process: writers of events take their
   * `received_at` here, and derived-data steps read events only up to `receipts.settled()`.
   */
  readonly receipts: Receipts;
  /**
   * The same values as `query`, column by column: for large aggregates (a million unique paths)
   * building one object per row costs more than the query.
   */
  queryColumns<T = Row>(q: Sql): Promise<Columns<T>>;
  /** Bulk append (the hot path): one commit for all rows. */
  append(table: TableSpec, rows: readonly AppendRow[]): Promise<void>;
  /** Bulk append into several tables in one commit: all rows are stored, or none. */
  appendAll(parts: ReadonlyArray<{ readonly table: TableSpec; readonly rows: readonly AppendRow[] }>): Promise<void>;
  /** Runs `fn` in one write transaction; rolls back if it throws. */
  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
