import type { Migration } from '../migrations.ts';

/**
 * A copy of the conversion events (track events a conversion definition names) kept by
 * src/channels/derive-service.ts, so journeys read a few thousand conversions instead of
 * scanning every event for them. A cache of `events`: derive fills it on its next run.
 */
export const migration012: Migration = {
  version: 12,
  name: 'conversion events',
  statements: [
    `CREATE TABLE conversion_events (
      source_id VARCHAR NOT NULL,
      message_id VARCHAR NOT NULL,
      event VARCHAR NOT NULL,
      user_id VARCHAR,
      anonymous_id VARCHAR,
      timestamp TIMESTAMP NOT NULL,
      received_at TIMESTAMP NOT NULL,
      revenue DOUBLE,
      properties VARCHAR
    )`,
  ],
};
