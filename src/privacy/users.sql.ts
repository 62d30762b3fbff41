import { sql, type Sql } from '../store/index.ts';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string;
  created_at: string;
  failed_logins: number;
  locked_until: string | null;
  last_login_at: string | null;
  removed_at: string | null;
}

export interface SessionRow {
  id_hash: string;
  user_id: string | null;
  token_id: string | null;
  expires_at: string;
  /** The principal behind the session (a live user or token), null when removed/revoked. */
  name: string | null;
  role: string | null;
}

export const listUsersSql = (): Sql => sql`SELECT * FROM users WHERE removed_at IS NULL ORDER BY created_at, id`;
export const findUserByEmailSql = (email: string): Sql => sql`SELECT * FROM users WHERE email = ${email} AND removed_at IS NULL`;
export const insertUserSql = (u: Pick<UserRow, 'id' | 'email' | 'name' | 'role' | 'password_hash'>, now: Date): Sql =>
  sql`INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES (${u.id}, ${u.email}, ${u.name}, ${u.role}, ${u.password_hash}, ${now})`;
/** A removed user's e-mail is freed (suffixed) so the address can be added again later. */
export const removeUserSql = (id: string, now: Date): Sql =>
  sql`UPDATE users SET removed_at = ${now}, email = email || '#removed-' || id WHERE id = ${id} AND removed_at IS NULL`;
export const setUserRoleSql = (id: string, role: string): Sql => sql`UPDATE users SET role = ${role} WHERE id = ${id} AND removed_at IS NULL`;
export const setPasswordSql = (id: string, hash: string): Sql => sql`UPDATE users SET password_hash = ${hash}, failed_logins = 0, locked_until = NULL WHERE id = ${id}`;
export const recordFailedLoginSql = (id: string, lockedUntil: Date | null): Sql =>
  sql`UPDATE users SET failed_logins = failed_logins + 1, locked_until = ${lockedUntil} WHERE id = ${id}`;
export const recordLoginSql = (id: string, now: Date): Sql => sql`UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ${now} WHERE id = ${id}`;

export const insertSessionSql = (s: { idHash: string; userId: string | null; tokenId: string | null; expiresAt: Date }, now: Date): Sql =>
  sql`INSERT INTO auth_sessions (id_hash, user_id, token_id, created_at, expires_at) VALUES (${s.idHash}, ${s.userId}, ${s.tokenId}, ${now}, ${s.expiresAt})`;
/** A live session with its live principal: a removed user or revoked token ends its sessions at once. */
export const findSessionSql = (idHash: string, now: Date): Sql => sql`
  SELECT s.id_hash, s.user_id, s.token_id, s.expires_at,
         coalesce(u.email, t.name) AS name, coalesce(u.role, t.role) AS role
  FROM auth_sessions s
  LEFT JOIN users u ON u.id = s.user_id AND u.removed_at IS NULL
  LEFT JOIN tokens t ON t.id = s.token_id AND t.revoked_at IS NULL
  WHERE s.id_hash = ${idHash} AND s.revoked_at IS NULL AND s.expires_at > ${now}`;
export const revokeSessionSql = (idHash: string, now: Date): Sql => sql`UPDATE auth_sessions SET revoked_at = ${now} WHERE id_hash = ${idHash} AND revoked_at IS NULL`;
export const revokeUserSessionsSql = (userId: string, now: Date): Sql =>
  sql`UPDATE auth_sessions SET revoked_at = ${now} WHERE user_id = ${userId} AND revoked_at IS NULL`;
export const deleteExpiredSessionsSql = (now: Date): Sql => sql`DELETE FROM auth_sessions WHERE expires_at <= ${now} OR revoked_at IS NOT NULL`;
