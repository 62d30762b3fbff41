import type { Migration } from '../migrations.ts';

/** Events (append-only), sources (write keys), API tokens and the quarantine of rejected messages. */
export const migration001: Migration = {
    version: 1,
    name: 'events, sources, tokens, quarantine',
    statements: [
      `CREATE TABLE events (
        message_id VARCHAR NOT NULL,
        source_id VARCHAR NOT NULL,
        type VARCHAR NOT NULL,
        event VARCHAR,
        name VARCHAR,
        anonymous_id VARCHAR,
        user_id VARCHAR,
        group_id VARCHAR,
        previous_id VARCHAR,
        timestamp TIMESTAMP NOT NULL,
        original_timestamp TIMESTAMP,
        sent_at TIMESTAMP,
        received_at TIMESTAMP NOT NULL,
        campaign_source VARCHAR,
        campaign_medium VARCHAR,
        campaign_name VARCHAR,
        campaign_term VARCHAR,
        campaign_content VARCHAR,
        page_url VARCHAR,
        page_path VARCHAR,
        page_referrer VARCHAR,
        channel VARCHAR,
        revenue DOUBLE,
        currency VARCHAR,
        properties VARCHAR,
        traits VARCHAR,
        context VARCHAR,
        integrations VARCHAR
      )`,
      `CREATE TABLE sources (
        id VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        write_key_hash VARCHAR NOT NULL UNIQUE,
        key_hint VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        revoked_at TIMESTAMP
      )`,
      `CREATE TABLE tokens (
        id VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        token_hash VARCHAR NOT NULL UNIQUE,
        role VARCHAR NOT NULL,
        key_hint VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        revoked_at TIMESTAMP
      )`,
      `CREATE TABLE quarantine (
        id VARCHAR NOT NULL,
        source_id VARCHAR,
        received_at TIMESTAMP NOT NULL,
        origin VARCHAR NOT NULL,
        message_index INTEGER,
        message_id VARCHAR,
        reason VARCHAR NOT NULL,
        details VARCHAR,
        payload VARCHAR
      )`,
    ],
  };
