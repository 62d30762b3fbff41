import type { Migration } from '../migrations.ts';

/**
 * Erasure: the suppression list (keyed hashes of an erased person's identifiers, so later
 * messages for them are dropped on ingest) and the count of messages dropped that way.
 */
export const migration008: Migration = {
  version: 8,
  name: 'suppression list',
  statements: [
    `CREATE TABLE suppressions (
      kind VARCHAR NOT NULL,
      hash VARCHAR NOT NULL,
      created_at TIMESTAMP NOT NULL,
      reason VARCHAR NOT NULL,
      PRIMARY KEY (kind, hash)
    )`,
    `CREATE TABLE suppressed_messages (day DATE NOT NULL, origin VARCHAR NOT NULL, messages BIGINT NOT NULL, PRIMARY KEY (day, origin))`,
  ],
};
