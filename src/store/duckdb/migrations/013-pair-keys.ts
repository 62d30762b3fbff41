import type { Migration } from '../migrations.ts';

/**
 * Sessions and touches carry `vk` = hash(user_id, anonymous_id), the visitor pair key the
 * analytics rollups map to a person (src/analytics/kpis-people-map.sql.ts). Queries then join a
 * session or touch to its person on one integer read from the row, instead of reading both id
 * strings and hashing them for every row. The derive step writes it with each row.
 */
export const migration013: Migration = {
  version: 13,
  name: 'visitor pair keys on sessions and touches',
  statements: [
    `ALTER TABLE sessions ADD COLUMN vk UBIGINT`,
    `UPDATE sessions SET vk = hash(user_id, anonymous_id)`,
    `ALTER TABLE touches ADD COLUMN vk UBIGINT`,
    `UPDATE touches SET vk = hash(user_id, anonymous_id)`,
  ],
};
