import type { Migration } from '../migrations.ts';

/**
 * The identity graph (src/identity). E-mail and phone identifiers are stored only as keyed
 * hashes: `identities.value` never holds a raw address or number. Events are not rewritten: they
 * map to people at query time through `identities` (see `eventsWithPersonSql`).
 */
export const migration002: Migration = {
  version: 2,
  name: 'identity graph',
  statements: [
    // One row per identifier; link_count = how many people it has been linked to.
    `CREATE TABLE identities (
      kind VARCHAR NOT NULL,
      value VARCHAR NOT NULL,
      person_id VARCHAR NOT NULL,
      first_seen TIMESTAMP NOT NULL,
      message_id VARCHAR NOT NULL,
      link_count INTEGER NOT NULL DEFAULT 1,
      PRIMARY KEY (kind, value)
    )`,
    // People the graph knows (anonymous-only visitors have no row). first_seen/last_seen span
    // the identifying messages; traits are the merged identify/import traits as JSON text.
    `CREATE TABLE people (
      person_id VARCHAR PRIMARY KEY,
      created_at TIMESTAMP NOT NULL,
      first_seen TIMESTAMP NOT NULL,
      last_seen TIMESTAMP NOT NULL,
      traits VARCHAR
    )`,
    `CREATE TABLE identity_merges (
      merged_at TIMESTAMP NOT NULL,
      into_person VARCHAR NOT NULL,
      from_person VARCHAR NOT NULL,
      reason VARCHAR NOT NULL,
      via_kind VARCHAR NOT NULL,
      via_value VARCHAR NOT NULL,
      message_id VARCHAR NOT NULL,
      identifiers VARCHAR NOT NULL
    )`,
    `CREATE TABLE identity_flags (
      kind VARCHAR NOT NULL,
      value VARCHAR NOT NULL,
      person_id VARCHAR NOT NULL,
      reason VARCHAR NOT NULL,
      link_count INTEGER NOT NULL,
      flagged_at TIMESTAMP NOT NULL,
      message_id VARCHAR NOT NULL,
      PRIMARY KEY (kind, value)
    )`,
    `CREATE TABLE identity_conflicts (
      kind VARCHAR NOT NULL,
      value VARCHAR NOT NULL,
      person_id VARCHAR NOT NULL,
      other_person VARCHAR NOT NULL,
      reason VARCHAR NOT NULL,
      conflicted_at TIMESTAMP NOT NULL,
      message_id VARCHAR NOT NULL
    )`,
    // Customer records linked by an import (CRM, POS), kept so a rebuild can replay them.
    // identifiers: JSON [[kind, value], ...] with e-mail and phone already hashed.
    `CREATE TABLE identity_imports (
      message_id VARCHAR PRIMARY KEY,
      known_at TIMESTAMP NOT NULL,
      external_id VARCHAR,
      identifiers VARCHAR NOT NULL,
      traits VARCHAR
    )`,
    `CREATE TABLE identity_state (
      key VARCHAR PRIMARY KEY,
      value VARCHAR NOT NULL
    )`,
  ],
};
