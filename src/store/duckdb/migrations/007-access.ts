import type { Migration } from '../migrations.ts';

/**
 * Users (scrypt password hashes, login throttling), dashboard sessions (stored as keyed hashes
 * of the cookie's secret) and the append-only audit log.
 */
export const migration007: Migration = {
  version: 7,
  name: 'users, sessions, audit log',
  statements: [
    `CREATE TABLE users (
      id VARCHAR PRIMARY KEY,
      email VARCHAR NOT NULL UNIQUE,
      name VARCHAR NOT NULL,
      role VARCHAR NOT NULL,
      password_hash VARCHAR NOT NULL,
      created_at TIMESTAMP NOT NULL,
      failed_logins INTEGER NOT NULL DEFAULT 0,
      locked_until TIMESTAMP,
      last_login_at TIMESTAMP,
      removed_at TIMESTAMP
    )`,
    `CREATE TABLE auth_sessions (
      id_hash VARCHAR PRIMARY KEY,
      user_id VARCHAR,
      token_id VARCHAR,
      created_at TIMESTAMP NOT NULL,
      expires_at TIMESTAMP NOT NULL,
      revoked_at TIMESTAMP
    )`,
    `CREATE TABLE audit_log (
      seq BIGINT NOT NULL,
      occurred_at TIMESTAMP NOT NULL,
      actor VARCHAR NOT NULL,
      action VARCHAR NOT NULL,
      target VARCHAR,
      outcome VARCHAR NOT NULL,
      ip VARCHAR,
      details VARCHAR
    )`,
    `CREATE SEQUENCE audit_seq START 1`,
  ],
};
