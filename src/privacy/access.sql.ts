import { sql, type Sql } from '../store/index.ts';

export interface SourceRow {
  id: string;
  name: string;
  write_key_hash: string;
  key_hint: string;
  created_at: string;
  revoked_at: string | null;
}

export interface TokenRow {
  id: string;
  name: string;
  token_hash: string;
  role: string;
  key_hint: string;
  created_at: string;
  revoked_at: string | null;
}

export const listSourcesSql = (): Sql => sql`SELECT * FROM sources ORDER BY created_at, id`;
export const findSourceByHashSql = (hash: string): Sql => sql`SELECT * FROM sources WHERE write_key_hash = ${hash}`;
export const insertSourceSql = (s: Omit<SourceRow, 'created_at' | 'revoked_at'>, createdAt: Date): Sql =>
  sql`INSERT INTO sources (id, name, write_key_hash, key_hint, created_at) VALUES (${s.id}, ${s.name}, ${s.write_key_hash}, ${s.key_hint}, ${createdAt})`;

export const countTokensSql = (): Sql => sql`SELECT count(*) AS n FROM tokens WHERE revoked_at IS NULL`;
export const findTokenByHashSql = (hash: string): Sql => sql`SELECT * FROM tokens WHERE token_hash = ${hash} AND revoked_at IS NULL`;
export const insertTokenSql = (t: Omit<TokenRow, 'created_at' | 'revoked_at'>, createdAt: Date): Sql =>
  sql`INSERT INTO tokens (id, name, token_hash, role, key_hint, created_at) VALUES (${t.id}, ${t.name}, ${t.token_hash}, ${t.role}, ${t.key_hint}, ${createdAt})`;
export const listTokensSql = (): Sql => sql`SELECT * FROM tokens WHERE revoked_at IS NULL ORDER BY created_at, id`;
export const revokeTokenSql = (id: string, now: Date): Sql => sql`UPDATE tokens SET revoked_at = ${now} WHERE id = ${id} AND revoked_at IS NULL`;
export const findSourceSql = (id: string): Sql => sql`SELECT * FROM sources WHERE id = ${id}`;
export const revokeSourceSql = (id: string, now: Date): Sql => sql`UPDATE sources SET revoked_at = ${now} WHERE id = ${id} AND revoked_at IS NULL`;
/** A rotated key replaces the hash in place: the source (and its events) stay the same. */
export const rotateSourceKeySql = (id: string, hash: string, hint: string): Sql =>
  sql`UPDATE sources SET write_key_hash = ${hash}, key_hint = ${hint} WHERE id = ${id} AND revoked_at IS NULL`;
