import { randomBytes } from 'node:crypto';
import type { Store } from '../store/index.ts';
import {
  countTokensSql,
  findSourceByHashSql,
  findTokenByHashSql,
  insertSourceSql,
  insertTokenSql,
  listSourcesSql,
  listTokensSql,
  revokeTokenSql,
  findSourceSql,
  revokeSourceSql,
  rotateSourceKeySql,
  type SourceRow,
  type TokenRow,
} from './access.sql.ts';
import { ADMIN_TOKEN_PREFIX, WRITE_KEY_PREFIX, credentialHint, generateSecret, hashCredential } from './credentials.ts';

export interface Source {
  readonly id: string;
  readonly name: string;
  readonly keyHint: string;
  readonly createdAt: string;
  readonly revoked: boolean;
}

export interface Token {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly keyHint: string;
  readonly createdAt: string;
}

/** Who is calling: an API token, a signed-in user, or the CLI's process-local token. */
export interface Principal {
  readonly kind: 'token' | 'user' | 'local';
  readonly id: string;
  readonly name: string;
  readonly role: string;
}

/** What first start created; secrets appear here once and are never stored in the clear. */
export interface Bootstrap {
  readonly sourceId: string;
  readonly writeKey: string | null;
  readonly adminToken: string | null;
}

const newId = (prefix: string): string => prefix + randomBytes(6).toString('hex');

function toSource(row: SourceRow): Source {
  return { id: row.id, name: row.name, keyHint: row.key_hint, createdAt: row.created_at, revoked: row.revoked_at !== null };
}

/**
 * Write keys (sources) and API tokens. Lookups are cached in memory by hash: the ingest hot path
 * checks a key on every request.
 */
export class AccessService {
  private readonly sourcesByHash = new Map<string, Source | null>();
  private readonly principalsByHash = new Map<string, Principal | null>();

  constructor(
    private readonly store: Store,
    private readonly secret: string,
  ) {}

  /** Creates the default source and an admin token when none exist (first start). */
  async bootstrap(seeds: { writeKey?: string; adminToken?: string } = {}): Promise<Bootstrap> {
    const sources = await this.store.query<SourceRow>(listSourcesSql());
    let sourceId = sources[0]?.id;
    let writeKey: string | null = null;
    if (sources.length === 0) {
      writeKey = seeds.writeKey ?? generateSecret(WRITE_KEY_PREFIX);
      sourceId = (await this.createSourceWithKey('default', writeKey)).id;
    }
    let adminToken: string | null = null;
    const [{ n }] = await this.store.query<{ n: number }>(countTokensSql());
    if (n === 0) adminToken = (await this.createToken('admin', 'admin', seeds.adminToken)).token;
    return { sourceId: sourceId!, writeKey, adminToken };
  }

  /** A new API token for `role`; the secret is returned once and stored only as a hash. */
  async createToken(name: string, role = 'admin', given?: string): Promise<{ id: string; token: string }> {
    const token = given ?? generateSecret(ADMIN_TOKEN_PREFIX);
    const id = newId('tok_');
    await this.store.exec(insertTokenSql({ id, name, token_hash: hashCredential(this.secret, token), role, key_hint: credentialHint(token) }, new Date()));
    return { id, token };
  }

  async listTokens(): Promise<Token[]> {
    return (await this.store.query<TokenRow>(listTokensSql())).map((r) => ({
      id: r.id,
      name: r.name,
      role: r.role,
      keyHint: r.key_hint,
      createdAt: new Date(r.created_at).toISOString(),
    }));
  }

  /** Revokes a token at once (cached lookups are dropped); false when there is no such live token. */
  async revokeToken(id: string): Promise<boolean> {
    const live = (await this.listTokens()).some((t) => t.id === id);
    if (!live) return false;
    await this.store.exec(revokeTokenSql(id, new Date()));
    this.principalsByHash.clear();
    return true;
  }

  async findSource(id: string): Promise<Source | null> {
    const [row] = await this.store.query<SourceRow>(findSourceSql(id));
    return row ? toSource(row) : null;
  }

  /** A new write key for a source; the old key stops working at once. The new key is returned once. */
  async rotateSourceKey(id: string): Promise<{ source: Source; writeKey: string } | null> {
    const source = await this.findSource(id);
    if (!source || source.revoked) return null;
    const writeKey = generateSecret(WRITE_KEY_PREFIX);
    await this.store.exec(rotateSourceKeySql(id, hashCredential(this.secret, writeKey), credentialHint(writeKey)));
    this.sourcesByHash.clear();
    return { source: { ...source, keyHint: credentialHint(writeKey) }, writeKey };
  }

  /** Revokes a source's write key: later messages with it are refused; its events stay. */
  async revokeSource(id: string): Promise<Source | null> {
    const source = await this.findSource(id);
    if (!source || source.revoked) return null;
    await this.store.exec(revokeSourceSql(id, new Date()));
    this.sourcesByHash.clear();
    return { ...source, revoked: true };
  }

  async listSources(): Promise<Source[]> {
    return (await this.store.query<SourceRow>(listSourcesSql())).map(toSource);
  }

  /** A new source with a new write key; the key is returned once. */
  async createSource(name: string): Promise<{ source: Source; writeKey: string }> {
    const writeKey = generateSecret(WRITE_KEY_PREFIX);
    return { source: await this.createSourceWithKey(name, writeKey), writeKey };
  }

  private async createSourceWithKey(name: string, writeKey: string): Promise<Source> {
    const row = { id: newId('src_'), name, write_key_hash: hashCredential(this.secret, writeKey), key_hint: credentialHint(writeKey) };
    await this.store.exec(insertSourceSql(row, new Date()));
    this.sourcesByHash.clear();
    return { id: row.id, name, keyHint: row.key_hint, createdAt: new Date().toISOString(), revoked: false };
  }

  /** The active source a write key belongs to, or null. */
  async resolveWriteKey(writeKey: string): Promise<Source | null> {
    const hash = hashCredential(this.secret, writeKey);
    let source = this.sourcesByHash.get(hash);
    if (source === undefined) {
      const [row] = await this.store.query<SourceRow>(findSourceByHashSql(hash));
      source = row ? toSource(row) : null;
      if (this.sourcesByHash.size > 10_000) this.sourcesByHash.clear();
      this.sourcesByHash.set(hash, source);
    }
    return source && !source.revoked ? source : null;
  }

  /** The principal an API token belongs to, or null when unknown or revoked. */
  async verifyToken(token: string): Promise<Principal | null> {
    const hash = hashCredential(this.secret, token);
    let principal = this.principalsByHash.get(hash);
    if (principal === undefined) {
      const [row] = await this.store.query<TokenRow>(findTokenByHashSql(hash));
      principal = row ? { kind: 'token', id: row.id, name: row.name, role: row.role } : null;
      if (this.principalsByHash.size > 10_000) this.principalsByHash.clear();
      this.principalsByHash.set(hash, principal);
    }
    return principal;
  }
}
