import type { Migration } from '../migrations.ts';

/**
 * Consent: every change of a visitor's (userId or anonymousId) category preferences, with the
 * message that made it, and each visitor's current preferences. People get their consent at
 * query time through the identity graph, like their events.
 */
export const migration009: Migration = {
  version: 9,
  name: 'consent',
  statements: [
    `CREATE TABLE consent_changes (
      kind VARCHAR NOT NULL,
      visitor_id VARCHAR NOT NULL,
      changed_at TIMESTAMP NOT NULL,
      message_id VARCHAR NOT NULL,
      origin VARCHAR NOT NULL,
      preferences VARCHAR NOT NULL
    )`,
    `CREATE TABLE consent_current (
      kind VARCHAR NOT NULL,
      visitor_id VARCHAR NOT NULL,
      changed_at TIMESTAMP NOT NULL,
      preferences VARCHAR NOT NULL,
      PRIMARY KEY (kind, visitor_id)
    )`,
    `CREATE TABLE consent_state (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`,
  ],
};
