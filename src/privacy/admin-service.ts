import { TributaryError } from '../errors/index.ts';
import type { Store } from '../store/index.ts';
import { AuditLog } from './audit-service.ts';
import { AccessService, type Source, type Token } from './service.ts';
import { UserService, type User } from './users-service.ts';
import { isRole, ROLES } from './roles.ts';

/** Who made a change and from where, for the audit log. */
export interface Actor {
  readonly name: string;
  readonly ip?: string | null;
}

/**
 * Administration of users, API tokens and write keys. The HTTP API and the CLI both go through
 * here, so every change lands in the audit log the same way.
 */
export class AccessAdmin {
  readonly audit: AuditLog;

  constructor(
    store: Store,
    readonly access: AccessService,
    readonly users: UserService,
  ) {
    this.audit = new AuditLog(store);
  }

  private record(actor: Actor, action: string, target: string | null, details?: Record<string, unknown>): Promise<void> {
    return this.audit.record({ actor: actor.name, ip: actor.ip ?? null, action, target, details: details ?? null });
  }

  listUsers(): Promise<User[]> {
    return this.users.list();
  }

  async addUser(actor: Actor, input: { email: string; name?: string; role: string; password: string }): Promise<User> {
    const user = await this.users.add(input);
    await this.record(actor, 'user.add', user.email, { role: user.role });
    return user;
  }

  async removeUser(actor: Actor, email: string): Promise<User> {
    const user = await this.users.remove(email);
    await this.record(actor, 'user.remove', user.email);
    return user;
  }

  async setUserRole(actor: Actor, email: string, role: string): Promise<User> {
    const user = await this.users.setRole(email, role);
    await this.record(actor, 'user.role', user.email, { role });
    return user;
  }

  async setUserPassword(actor: Actor, email: string, password: string): Promise<void> {
    await this.users.setPassword(email, password);
    await this.record(actor, 'user.password', email.trim().toLowerCase());
  }

  listTokens(): Promise<Token[]> {
    return this.access.listTokens();
  }

  /** A new token; its secret is in the answer once. */
  async createToken(actor: Actor, name: string, role: string): Promise<{ id: string; token: string; name: string; role: string }> {
    if (!isRole(role)) throw new TributaryError('bad_request', `role: "${role}" is not a role (one of ${ROLES.join(', ')})`);
    if (name.trim() === '') throw new TributaryError('bad_request', 'name: give the token a name (what uses it)');
    const created = await this.access.createToken(name.trim(), role);
    await this.record(actor, 'token.create', created.id, { name: name.trim(), role });
    return { ...created, name: name.trim(), role };
  }

  async revokeToken(actor: Actor, id: string): Promise<void> {
    if (!(await this.access.revokeToken(id))) throw new TributaryError('not_found', `no live token with id ${id}`);
    await this.record(actor, 'token.revoke', id);
  }

  listSources(): Promise<Source[]> {
    return this.access.listSources();
  }

  async createSource(actor: Actor, name: string): Promise<{ source: Source; writeKey: string }> {
    if (name.trim() === '') throw new TributaryError('bad_request', 'name: give the source a name (e.g. "web", "ios app")');
    const created = await this.access.createSource(name.trim());
    await this.record(actor, 'key.create', created.source.id, { name: created.source.name });
    return created;
  }

  async rotateSourceKey(actor: Actor, id: string): Promise<{ source: Source; writeKey: string }> {
    const rotated = await this.access.rotateSourceKey(id);
    if (!rotated) throw new TributaryError('not_found', `no active source with id ${id}`);
    await this.record(actor, 'key.rotate', id);
    return rotated;
  }

  async revokeSource(actor: Actor, id: string): Promise<Source> {
    const revoked = await this.access.revokeSource(id);
    if (!revoked) throw new TributaryError('not_found', `no active source with id ${id}`);
    await this.record(actor, 'key.revoke', id);
    return revoked;
  }
}
