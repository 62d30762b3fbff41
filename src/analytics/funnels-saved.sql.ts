import { sql, type Sql } from '../store/index.ts';

/** Saved funnel definitions (table `saved_funnels`, migration 005): one row per name. */

export const listSavedFunnelsSql = (): Sql => sql`SELECT name, definition, created_at, updated_at FROM saved_funnels ORDER BY name`;

export const getSavedFunnelSql = (name: string): Sql => sql`SELECT name, definition, created_at, updated_at FROM saved_funnels WHERE name = ${name}`;

/** Inserts or replaces a definition, keeping the first creation time. */
export const upsertSavedFunnelSql = (name: string, definition: string, at: Date): Sql =>
  sql`INSERT INTO saved_funnels VALUES (${name}, ${definition}, ${at}, ${at})
    ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at`;

export const deleteSavedFunnelSql = (name: string): Sql => sql`DELETE FROM saved_funnels WHERE name = ${name} RETURNING name`;
