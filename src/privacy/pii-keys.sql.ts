import { sql, type Sql } from '../store/index.ts';

export interface PiiKeyRow {
  key_id: string;
  created_ms: number;
  wrapped: string;
}

/** Every data key, oldest first: the newest one seals new values. */
export const listPiiKeysSql = (): Sql => sql`SELECT key_id, epoch_ms(created_at) AS created_ms, wrapped FROM pii_keys ORDER BY created_at, key_id`;

export const insertPiiKeySql = (id: string, at: Date, wrapped: string): Sql =>
  sql`INSERT INTO pii_keys (key_id, created_at, wrapped) VALUES (${id}, ${at}, ${wrapped})`;
