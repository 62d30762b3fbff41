import fs from 'node:fs';
import path from 'node:path';
import {
  DuckDBInstance,
  DuckDBTimestampValue,
  type DuckDBAppender,
  type DuckDBConnection,
} from '@duckdb/node-api';
import { TributaryError } from '../../errors/index.ts';
import { duckdbDialect } from '../dialect.ts';
import type { Sql } from '../sql.ts';
import type { AppendRow, ColumnType, TableSpec } from '../tables.ts';
import type { Executor, Row, Store } from '../types.ts';
import { convertRow, toDuckValue } from './convert.ts';
import { DUCKDB_MIGRATIONS, type Migration } from './migrations.ts';

/** Serialises work on one connection: DuckDB runs one statement at a time per connection. */
class Lane {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

async function runQuery<T>(conn: DuckDBConnection, q: Sql): Promise<T[]> {
  const reader = await conn.runAndReadAll(q.text, q.params.map(toDuckValue));
  return reader.getRowObjectsJS().map((r) => convertRow(r) as T);
}

function appendValue(appender: DuckDBAppender, type: ColumnType, value: string | number | null): void {
  if (value === null || value === undefined) {
    appender.appendNull();
    return;
  }
  switch (type) {
    case 'string':
    case 'json':
      appender.appendVarchar(String(value));
      return;
    case 'double':
      appender.appendDouble(Number(value));
      return;
    case 'integer':
      appender.appendInteger(Number(value));
      return;
    case 'timestamp':
      appender.appendTimestamp(new DuckDBTimestampValue(BigInt(Math.round(Number(value))) * 1000n));
      return;
  }
}

export interface DuckDbStoreOptions {
  /** Database file, or ':memory:'. */
  readonly path: string;
  /** Connections for concurrent reads besides the write connection. */
  readonly readConnections?: number;
}

/** The embedded engine: one DuckDB file, one write connection (appends, DDL) and a read pool. */
export class DuckDbStore implements Store {
  readonly engine = 'duckdb' as const;
  readonly dialect = duckdbDialect;
  readonly location: string;
  private readonly writeLane = new Lane();
  private readLanes: Lane[] = [];
  private nextRead = 0;
  private closed = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly readers: DuckDBConnection[],
    location: string,
  ) {
    this.location = location;
    this.readLanes = readers.map(() => new Lane());
  }

  static async open(options: DuckDbStoreOptions): Promise<DuckDbStore> {
    if (options.path !== ':memory:') fs.mkdirSync(path.dirname(options.path), { recursive: true });
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(options.path);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (/lock/i.test(message)) {
        throw new TributaryError('unavailable', `the database ${options.path} is in use by another process (is \`tributary serve\` running?)`, undefined, { cause: err });
      }
      throw err;
    }
    const writer = await instance.connect();
    const readers: DuckDBConnection[] = [];
    for (let i = 0; i < (options.readConnections ?? 2); i++) readers.push(await instance.connect());
    const store = new DuckDbStore(instance, writer, readers, options.path);
    await store.migrate(DUCKDB_MIGRATIONS);
    return store;
  }

  /** Applies every migration newer than the recorded version, each in its own transaction. */
  async migrate(migrations: readonly Migration[]): Promise<number> {
    return this.writeLane.run(async () => {
      await this.writer.run(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)',
      );
      const done = await runQuery<{ version: number }>(this.writer, { text: 'SELECT version FROM schema_migrations', params: [] });
      const applied = new Set(done.map((r) => r.version));
      let count = 0;
      for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
        if (applied.has(m.version)) continue;
        await this.writer.run('BEGIN TRANSACTION');
        try {
          for (const statement of m.statements) await this.writer.run(statement);
          await this.writer.run('INSERT INTO schema_migrations VALUES (?, ?, now()::TIMESTAMP)', [m.version, m.name]);
          await this.writer.run('COMMIT');
        } catch (err) {
          await this.writer.run('ROLLBACK');
          throw new Error(`migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, { cause: err });
        }
        count++;
      }
      return count;
    });
  }

  query<T = Row>(q: Sql): Promise<T[]> {
    this.assertOpen();
    const i = this.nextRead++ % this.readLanes.length;
    return this.readLanes[i].run(() => runQuery<T>(this.readers[i], q));
  }

  exec(q: Sql): Promise<void> {
    this.assertOpen();
    return this.writeLane.run(async () => {
      await this.writer.run(q.text, q.params.map(toDuckValue));
    });
  }

  append(table: TableSpec, rows: readonly AppendRow[]): Promise<void> {
    this.assertOpen();
    if (rows.length === 0) return Promise.resolve();
    return this.writeLane.run(async () => {
      const appender = await this.writer.createAppender(table.name);
      try {
        const columns = table.columns;
        for (const row of rows) {
          for (let c = 0; c < columns.length; c++) appendValue(appender, columns[c][1], row[c]);
          appender.endRow();
        }
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
    });
  }

  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T> {
    this.assertOpen();
    return this.writeLane.run(async () => {
      const tx: Executor = {
        query: <R = Row>(q: Sql) => runQuery<R>(this.writer, q),
        exec: async (q: Sql) => {
          await this.writer.run(q.text, q.params.map(toDuckValue));
        },
      };
      await this.writer.run('BEGIN TRANSACTION');
      try {
        const result = await fn(tx);
        await this.writer.run('COMMIT');
        return result;
      } catch (err) {
        await this.writer.run('ROLLBACK');
        throw err;
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writeLane.run(async () => undefined);
    await Promise.all(this.readLanes.map((l) => l.run(async () => undefined)));
    for (const c of [this.writer, ...this.readers]) c.closeSync();
    this.instance.closeSync();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the store is closed');
  }
}
