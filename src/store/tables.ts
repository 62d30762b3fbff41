/**
 * Tables that receive bulk appends, described once for every engine: column order and logical
 * type. The DuckDB store maps them to Appender calls; a ClickHouse store to a JSONEachRow insert.
 */
export type ColumnType = 'string' | 'json' | 'double' | 'integer' | 'timestamp';

export interface TableSpec {
  readonly name: string;
  readonly columns: ReadonlyArray<readonly [name: string, type: ColumnType]>;
}

/** A row for an appendable table: values in the spec's column order; timestamps as epoch ms. */
export type AppendRow = ReadonlyArray<string | number | null>;

export const EVENTS_TABLE: TableSpec = {
  name: 'events',
  columns: [
    ['message_id', 'string'],
    ['source_id', 'string'],
    ['type', 'string'],
    ['event', 'string'],
    ['name', 'string'],
    ['anonymous_id', 'string'],
    ['user_id', 'string'],
    ['group_id', 'string'],
    ['previous_id', 'string'],
    ['timestamp', 'timestamp'],
    ['original_timestamp', 'timestamp'],
    ['sent_at', 'timestamp'],
    ['received_at', 'timestamp'],
    ['campaign_source', 'string'],
    ['campaign_medium', 'string'],
    ['campaign_name', 'string'],
    ['campaign_term', 'string'],
    ['campaign_content', 'string'],
    ['page_url', 'string'],
    ['page_path', 'string'],
    ['page_referrer', 'string'],
    ['channel', 'string'],
    ['revenue', 'double'],
    ['currency', 'string'],
    ['properties', 'json'],
    ['traits', 'json'],
    ['context', 'json'],
    ['integrations', 'json'],
  ],
};

export const QUARANTINE_TABLE: TableSpec = {
  name: 'quarantine',
  columns: [
    ['id', 'string'],
    ['source_id', 'string'],
    ['received_at', 'timestamp'],
    ['origin', 'string'],
    ['message_index', 'integer'],
    ['message_id', 'string'],
    ['reason', 'string'],
    ['details', 'json'],
    ['payload', 'string'],
  ],
};

export const EVENT_COLUMN_INDEX: Readonly<Record<string, number>> = Object.fromEntries(
  EVENTS_TABLE.columns.map(([name], i) => [name, i]),
);
