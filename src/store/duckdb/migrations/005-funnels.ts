import type { Migration } from '../migrations.ts';

/**
 * Saved funnel definitions (src/analytics): the definition as JSON text in the funnel spec form
 * (steps in the step grammar, window, mode, countBy, optional breakdown and period).
 */
export const migration005: Migration = {
  version: 5,
  name: 'saved funnels',
  statements: [
    `CREATE TABLE saved_funnels (
      name VARCHAR PRIMARY KEY,
      definition VARCHAR NOT NULL,
      created_at TIMESTAMP NOT NULL,
      updated_at TIMESTAMP NOT NULL
    )`,
  ],
};
