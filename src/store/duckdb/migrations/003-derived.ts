import type { Migration } from '../migrations.ts';

/**
 * Derived tables kept current as events arrive (src/channels/derive-service.ts): the channel of
 * each distinct traffic key, sessions per visitor, and touches; plus conversion definitions.
 */
export const migration003: Migration = {
  version: 3,
  name: 'traffic channels, sessions, touches, conversion definitions',
  statements: [
    `CREATE TABLE traffic_channels (
      traffic_key VARCHAR PRIMARY KEY,
      channel VARCHAR NOT NULL,
      source VARCHAR NOT NULL,
      medium VARCHAR NOT NULL,
      campaign VARCHAR,
      rule VARCHAR NOT NULL
    )`,
    `CREATE TABLE sessions (
      session_id VARCHAR NOT NULL,
      visitor_key VARCHAR NOT NULL,
      anonymous_id VARCHAR,
      user_id VARCHAR,
      started_at TIMESTAMP NOT NULL,
      ended_at TIMESTAMP NOT NULL,
      hits INTEGER NOT NULL,
      traffic_key VARCHAR NOT NULL,
      channel VARCHAR NOT NULL,
      source VARCHAR NOT NULL,
      medium VARCHAR NOT NULL,
      campaign VARCHAR,
      landing_url VARCHAR,
      referrer VARCHAR,
      device VARCHAR,
      country VARCHAR
    )`,
    `CREATE TABLE touches (
      touch_id VARCHAR NOT NULL,
      visitor_key VARCHAR NOT NULL,
      anonymous_id VARCHAR,
      user_id VARCHAR,
      occurred_at TIMESTAMP NOT NULL,
      kind VARCHAR NOT NULL,
      event VARCHAR,
      channel VARCHAR NOT NULL,
      source VARCHAR NOT NULL,
      medium VARCHAR NOT NULL,
      campaign VARCHAR
    )`,
    `CREATE TABLE derive_state (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`,
    `CREATE TABLE conversion_definitions (
      name VARCHAR PRIMARY KEY,
      event VARCHAR NOT NULL,
      value_property VARCHAR NOT NULL DEFAULT 'revenue',
      currency_property VARCHAR NOT NULL DEFAULT 'currency',
      is_default BOOLEAN NOT NULL DEFAULT FALSE,
      created_at TIMESTAMP NOT NULL
    )`,
    `INSERT INTO conversion_definitions VALUES ('Order Completed', 'Order Completed', 'revenue', 'currency', TRUE, now()::TIMESTAMP)`,
  ],
};
