import type { Migration } from '../migrations.ts';

/**
 * Bulk imports (src/ingest/import): daily ad spend, one row per (date, channel, campaign) — a
 * re-imported changed row replaces the old one — and the history of every import run.
 */
export const migration004: Migration = {
  version: 4,
  name: 'spend, import history',
  statements: [
    `CREATE TABLE spend (
      date DATE NOT NULL,
      channel VARCHAR NOT NULL,
      campaign VARCHAR NOT NULL,
      spend DOUBLE NOT NULL,
      impressions BIGINT,
      clicks BIGINT,
      currency VARCHAR,
      imported_at TIMESTAMP NOT NULL,
      PRIMARY KEY (date, channel, campaign)
    )`,
    // One row per import run; an import through the server adds each chunk's counts to its row.
    `CREATE TABLE imports (
      id VARCHAR PRIMARY KEY,
      kind VARCHAR NOT NULL,
      file VARCHAR NOT NULL,
      source_id VARCHAR,
      started_at TIMESTAMP NOT NULL,
      finished_at TIMESTAMP NOT NULL,
      read_count BIGINT NOT NULL,
      stored_count BIGINT NOT NULL,
      duplicate_count BIGINT NOT NULL,
      rejected_count BIGINT NOT NULL
    )`,
  ],
};
