import type { Migration } from '../migrations.ts';

/**
 * The event catalog (src/analytics/events-catalog.sql.ts): counts of events and of their
 * property keys per receipt hour, day, type and name. A cache of `events`: emptying it only costs
 * a recount.
 */
export const migration010: Migration = {
  version: 10,
  name: 'event catalog',
  statements: [
    `CREATE TABLE analytics_event_catalog (received_hour TIMESTAMP NOT NULL, day DATE NOT NULL, type VARCHAR NOT NULL, name VARCHAR, key VARCHAR, n BIGINT NOT NULL)`,
  ],
};
