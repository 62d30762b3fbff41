import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, raw, type Store } from '../../src/store/index.ts';
import { AccessService } from '../../src/privacy/index.ts';
import { UserService } from '../../src/privacy/users-service.ts';
import { AuditLog } from '../../src/privacy/audit-service.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../../src/privacy/passwords.ts';
import { can, permissionsOf, ROLES } from '../../src/privacy/roles.ts';
import { makeTestDataDir, removeTestDataDir } from '../helpers/server.ts';

const SECRET = 'test-secret-for-users';
let dir: string;
let store: Store;
let users: UserService;

beforeAll(async () => {
  dir = makeTestDataDir();
  store = await openStore(dir);
  users = new UserService(store, SECRET, { maxFailures: 3, lockMinutes: 15, sessionHours: 12 });
});
afterAll(async () => {
  await store.close();
  removeTestDataDir(dir);
});

describe('passwords', () => {
  it('hashes with scrypt and a salt, verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('x', 'plain')).toBe(false);
  });

  it('refuses short and trivial passwords with the reason', () => {
    expect(passwordProblem('short')).toContain('at least 10');
    expect(passwordProblem('aaaaaaaaaaaa')).toContain('repeated');
    expect(passwordProblem('a sound passphrase')).toBeNull();
  });
});

describe('roles', () => {
  it('grants each role what the access model says and nothing to unknown roles', () => {
    expect(ROLES).toEqual(['admin', 'analyst', 'marketer', 'viewer']);
    expect(permissionsOf('admin')).toContain('users:manage');
    expect(can('analyst', 'pii:read')).toBe(true);
    expect(can('analyst', 'users:manage')).toBe(false);
    expect(can('analyst', 'definitions:write')).toBe(true);
    expect(can('marketer', 'people:read')).toBe(true);
    expect(can('marketer', 'pii:read')).toBe(false);
    expect(can('viewer', 'aggregates:read')).toBe(true);
    expect(can('viewer', 'people:read')).toBe(false);
    expect(can('root', 'aggregates:read')).toBe(false);
  });
});

describe('users and sessions', () => {
  it('adds a user, stores only a scrypt hash, and lists it', async () => {
    const user = await users.add({ email: ' Ana@Example.com ', name: 'Ana', role: 'analyst', password: 'a sound passphrase' });
    expect(user).toMatchObject({ email: 'ana@example.com', name: 'Ana', role: 'analyst', locked: false });
    const [row] = await store.query<{ password_hash: string }>(raw(`SELECT password_hash FROM users WHERE email = 'ana@example.com'`));
    expect(row.password_hash.startsWith('scrypt$')).toBe(true);
    expect(row.password_hash).not.toContain('passphrase');
    expect((await users.list()).map((u) => u.email)).toContain('ana@example.com');
  });

  it('says what is wrong with a bad user', async () => {
    await expect(users.add({ email: 'nope', role: 'analyst', password: 'a sound passphrase' })).rejects.toThrow('email: "nope" is not an e-mail address');
    await expect(users.add({ email: 'b@example.com', role: 'owner', password: 'a sound passphrase' })).rejects.toThrow('role: "owner" is not a role');
    await expect(users.add({ email: 'b@example.com', role: 'viewer', password: 'short' })).rejects.toThrow('password: must be at least 10');
    await expect(users.add({ email: 'ana@example.com', role: 'viewer', password: 'a sound passphrase' })).rejects.toThrow('already exists');
  });

  it('locks an account after repeated wrong passwords, even against the right one, until the lock ends', async () => {
    await users.add({ email: 'lock@example.com', role: 'viewer', password: 'the right passphrase' });
    const t0 = new Date('2030-01-01T00:00:00Z');
    expect(await users.checkPassword('lock@example.com', 'wrong one!!', t0)).toEqual({ ok: false, reason: 'wrong' });
    expect(await users.checkPassword('lock@example.com', 'wrong two!!', t0)).toEqual({ ok: false, reason: 'wrong' });
    const third = await users.checkPassword('lock@example.com', 'wrong three', t0);
    expect(third).toMatchObject({ ok: false, reason: 'locked', lockedUntil: '2030-01-01T00:15:00.000Z' });
    expect(await users.checkPassword('lock@example.com', 'the right passphrase', new Date('2030-01-01T00:10:00Z'))).toMatchObject({ reason: 'locked' });
    const later = await users.checkPassword('lock@example.com', 'the right passphrase', new Date('2030-01-01T00:16:00Z'));
    expect(later.ok).toBe(true);
    expect(await users.checkPassword('nobody@example.com', 'whatever at all')).toEqual({ ok: false, reason: 'unknown' });
  });

  it('resolves a session to its user until sign-out, removal or expiry', async () => {
    const ana = (await users.find('ana@example.com'))!;
    const now = new Date();
    const s = await users.createSession({ userId: ana.id }, now);
    expect(s.secret).toMatch(/^ses_/);
    const stored = await store.query<{ id_hash: string }>(raw('SELECT id_hash FROM auth_sessions'));
    expect(stored.some((r) => r.id_hash === s.secret)).toBe(false);
    expect(await users.resolveSession(s.secret)).toEqual({ kind: 'user', id: ana.id, name: 'ana@example.com', role: 'analyst' });
    expect(await users.resolveSession(s.secret, new Date(now.getTime() + 13 * 3_600_000))).toBeNull();
    await users.endSession(s.secret);
    expect(await users.resolveSession(s.secret)).toBeNull();

    const again = await users.createSession({ userId: ana.id });
    await users.setRole('ana@example.com', 'marketer');
    expect((await users.resolveSession(again.secret))?.role).toBe('marketer');
    await users.remove('ana@example.com');
    expect(await users.resolveSession(again.secret)).toBeNull();
    expect(await users.find('ana@example.com')).toBeNull();
    // The address can be used again after removal.
    await users.add({ email: 'ana@example.com', role: 'viewer', password: 'another passphrase' });
  });

  it('ends a token session when the token is revoked', async () => {
    const access = new AccessService(store, SECRET);
    const { id } = await access.createToken('robot', 'viewer');
    const s = await users.createSession({ tokenId: id });
    expect(await users.resolveSession(s.secret)).toEqual({ kind: 'token', id, name: 'robot', role: 'viewer' });
    await store.exec(raw(`UPDATE tokens SET revoked_at = now() WHERE id = '${id}'`));
    expect(await users.resolveSession(s.secret)).toBeNull();
    expect(await users.resolveSession('not-a-session')).toBeNull();
  });
});

describe('audit log', () => {
  it('appends entries and lists them newest first, filtered by action family and paged', async () => {
    const audit = new AuditLog(store);
    await audit.record({ actor: 'admin', action: 'user.add', target: 'x@example.com', details: { role: 'viewer' } });
    await audit.record({ actor: 'x@example.com', action: 'login', outcome: 'failed', ip: '127.0.0.1' });
    await audit.record({ actor: 'admin', action: 'user.remove', target: 'x@example.com' });
    const all = await audit.list();
    expect(all.map((e) => e.action)).toEqual(['user.remove', 'login', 'user.add']);
    expect(all[2].details).toEqual({ role: 'viewer' });
    expect((await audit.list({ action: 'user' })).map((e) => e.action)).toEqual(['user.remove', 'user.add']);
    expect((await audit.list({ action: 'login' }))[0]).toMatchObject({ outcome: 'failed', ip: '127.0.0.1', actor: 'x@example.com' });
    expect((await audit.list({ before: all[0].seq, limit: 1 })).map((e) => e.action)).toEqual(['login']);
  });
});
