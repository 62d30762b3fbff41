import type { Migration } from '../migrations.ts';

/**
 * Data keys for personal data at rest (src/privacy/pii-keys.ts): each key is random, stored only
 * wrapped (AES-256-GCM) under a key derived from the deployment secret, and named by an id that
 * every ciphertext carries, so rotation adds a key and old values stay readable.
 */
export const migration011: Migration = {
  version: 11,
  name: 'personal data keys',
  statements: [`CREATE TABLE pii_keys (key_id VARCHAR PRIMARY KEY, created_at TIMESTAMP NOT NULL, wrapped VARCHAR NOT NULL)`],
};
