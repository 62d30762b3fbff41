import type { Migration } from '../migrations.ts';

/**
 * Roll-ups that keep KPI queries fast (src/analytics/kpis-activity.sql.ts): hourly activity of
 * each (userId, anonymousId) pair, the pairs with their first event, a copy of conversion events,
 * and each pair's person, kept current as events arrive.
 */
export const migration006: Migration = {
  version: 6,
  name: 'analytics roll-ups',
  statements: [
    `CREATE TABLE analytics_activity (hour TIMESTAMP NOT NULL, vk UBIGINT NOT NULL)`,
    `CREATE TABLE analytics_visitors (vk UBIGINT NOT NULL, user_id VARCHAR, anonymous_id VARCHAR, first_at TIMESTAMP NOT NULL, uk UBIGINT, ak UBIGINT)`,
    `CREATE TABLE analytics_conversions (source_id VARCHAR NOT NULL, message_id VARCHAR NOT NULL, event VARCHAR NOT NULL,
      user_id VARCHAR, anonymous_id VARCHAR, timestamp TIMESTAMP NOT NULL, revenue DOUBLE, properties VARCHAR)`,
    `CREATE TABLE analytics_people (vk UBIGINT NOT NULL, pk UBIGINT NOT NULL)`,
    `CREATE TABLE analytics_identity_snapshot (kind VARCHAR NOT NULL, value VARCHAR NOT NULL, person_id VARCHAR NOT NULL)`,
    `CREATE TABLE analytics_state (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`,
  ],
};
