import { randomBytes } from 'node:crypto';
import type { Store } from '../store/index.ts';
import { TributaryError } from '../errors/index.ts';
import { hashCredential } from './credentials.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { isRole, ROLES, type Role } from './roles.ts';
import {
  deleteExpiredSessionsSql,
  findSessionSql,
  findUserByEmailSql,
  insertSessionSql,
  insertUserSql,
  listUsersSql,
  recordFailedLoginSql,
  recordLoginSql,
  removeUserSql,
  revokeSessionSql,
  revokeUserSessionsSql,
  setPasswordSql,
  setUserRoleSql,
  type SessionRow,
  type UserRow,
} from './users.sql.ts';

export interface User {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly lastLoginAt: string | null;
  readonly locked: boolean;
}

/** Who a session belongs to: a user or an API token, with the role that decides what it may do. */
export interface SessionPrincipal {
  readonly kind: 'user' | 'token';
  readonly id: string;
  readonly name: string;
  readonly role: string;
}

export interface LoginPolicy {
  /** Failed passwords in a row that lock an account. */
  readonly maxFailures: number;
  readonly lockMinutes: number;
  readonly sessionHours: number;
}

export const DEFAULT_LOGIN_POLICY: LoginPolicy = { maxFailures: 5, lockMinutes: 15, sessionHours: 12 };
const SESSION_PREFIX = 'ses_';
/** A well-formed hash no password matches: checking it costs what a real check costs. */
const DUMMY_HASH = `scrypt$32768$8$1$${'A'.repeat(22)}$${'A'.repeat(43)}`;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

const normalizeEmail = (email: string): string => email.trim().toLowerCase();
const newId = (): string => 'usr_' + randomBytes(6).toString('hex');

function toUser(row: UserRow, now = Date.now()): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    createdAt: new Date(row.created_at).toISOString(),
    lastLoginAt: row.last_login_at ? new Date(row.last_login_at).toISOString() : null,
    locked: row.locked_until !== null && new Date(row.locked_until).getTime() > now,
  };
}

/**
 * Dashboard users (scrypt-hashed passwords, lockout after repeated failures) and sessions. A
 * session's cookie holds a random secret; only its keyed hash is stored, and every request
 * re-checks that the user or token behind it still exists.
 */
export class UserService {
  constructor(
    private readonly store: Store,
    private readonly secret: string,
    private readonly policy: LoginPolicy = DEFAULT_LOGIN_POLICY,
  ) {}

  async list(): Promise<User[]> {
    return (await this.store.query<UserRow>(listUsersSql())).map((r) => toUser(r));
  }

  async find(email: string): Promise<User | null> {
    const [row] = await this.store.query<UserRow>(findUserByEmailSql(normalizeEmail(email)));
    return row ? toUser(row) : null;
  }

  async add(input: { email: string; name?: string; role: string; password: string }): Promise<User> {
    const email = normalizeEmail(input.email);
    if (!EMAIL.test(email)) throw new TributaryError('bad_request', `email: "${input.email}" is not an e-mail address`);
    if (!isRole(input.role)) throw new TributaryError('bad_request', `role: "${input.role}" is not a role (one of ${ROLES.join(', ')})`);
    const problem = passwordProblem(input.password);
    if (problem) throw new TributaryError('bad_request', `password: ${problem}`);
    if (await this.find(email)) throw new TributaryError('conflict', `a user with e-mail ${email} already exists`);
    const row = { id: newId(), email, name: input.name?.trim() || email, role: input.role, password_hash: await hashPassword(input.password) };
    await this.store.exec(insertUserSql(row, new Date()));
    return (await this.find(email))!;
  }

  async remove(email: string): Promise<User> {
    const user = await this.require(email);
    const now = new Date();
    await this.store.transaction(async (tx) => {
      await tx.exec(removeUserSql(user.id, now));
      await tx.exec(revokeUserSessionsSql(user.id, now));
    });
    return user;
  }

  async setRole(email: string, role: string): Promise<User> {
    if (!isRole(role)) throw new TributaryError('bad_request', `role: "${role}" is not a role (one of ${ROLES.join(', ')})`);
    const user = await this.require(email);
    await this.store.exec(setUserRoleSql(user.id, role));
    return { ...user, role };
  }

  async setPassword(email: string, password: string): Promise<void> {
    const problem = passwordProblem(password);
    if (problem) throw new TributaryError('bad_request', `password: ${problem}`);
    const user = await this.require(email);
    const now = new Date();
    await this.store.transaction(async (tx) => {
      await tx.exec(setPasswordSql(user.id, await hashPassword(password)));
      await tx.exec(revokeUserSessionsSql(user.id, now));
    });
  }

  /**
   * Checks a password. A locked account answers "locked" without checking (so guessing cannot
   * continue); the `maxFailures`-th failure in a row locks it for `lockMinutes`.
   */
  async checkPassword(email: string, password: string, now = new Date()): Promise<{ ok: true; user: User } | { ok: false; reason: 'unknown' | 'wrong' | 'locked'; lockedUntil?: string }> {
    const [row] = await this.store.query<UserRow>(findUserByEmailSql(normalizeEmail(email)));
    if (!row) {
      // Spend the same time as a real check so response timing does not reveal which e-mails exist.
      await verifyPassword(password, DUMMY_HASH);
      return { ok: false, reason: 'unknown' };
    }
    if (row.locked_until && new Date(row.locked_until).getTime() > now.getTime()) {
      return { ok: false, reason: 'locked', lockedUntil: new Date(row.locked_until).toISOString() };
    }
    if (!(await verifyPassword(password, row.password_hash))) {
      const failures = row.failed_logins + 1;
      const lockedUntil = failures >= this.policy.maxFailures ? new Date(now.getTime() + this.policy.lockMinutes * 60_000) : null;
      await this.store.exec(recordFailedLoginSql(row.id, lockedUntil));
      return lockedUntil ? { ok: false, reason: 'locked', lockedUntil: lockedUntil.toISOString() } : { ok: false, reason: 'wrong' };
    }
    await this.store.exec(recordLoginSql(row.id, now));
    return { ok: true, user: toUser(row, now.getTime()) };
  }

  /** A new session for a user or a token; the secret goes into the cookie and is never stored. */
  async createSession(owner: { userId: string } | { tokenId: string }, now = new Date()): Promise<{ secret: string; expiresAt: Date }> {
    const secret = SESSION_PREFIX + randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.policy.sessionHours * 3_600_000);
    await this.store.exec(
      insertSessionSql(
        { idHash: hashCredential(this.secret, secret), userId: 'userId' in owner ? owner.userId : null, tokenId: 'tokenId' in owner ? owner.tokenId : null, expiresAt },
        now,
      ),
    );
    return { secret, expiresAt };
  }

  /** The principal behind a session cookie, or null (unknown, expired, signed out, user removed, token revoked). */
  async resolveSession(secret: string, now = new Date()): Promise<SessionPrincipal | null> {
    if (!secret.startsWith(SESSION_PREFIX)) return null;
    const [row] = await this.store.query<SessionRow>(findSessionSql(hashCredential(this.secret, secret), now));
    if (!row || row.role === null || row.name === null) return null;
    return row.user_id ? { kind: 'user', id: row.user_id, name: row.name, role: row.role } : { kind: 'token', id: row.token_id!, name: row.name, role: row.role };
  }

  async endSession(secret: string): Promise<void> {
    await this.store.exec(revokeSessionSql(hashCredential(this.secret, secret), new Date()));
  }

  async pruneSessions(now = new Date()): Promise<void> {
    await this.store.exec(deleteExpiredSessionsSql(now));
  }

  private async require(email: string): Promise<User> {
    const user = await this.find(email);
    if (!user) throw new TributaryError('not_found', `no user with e-mail ${normalizeEmail(email)}`);
    return user;
  }
}
