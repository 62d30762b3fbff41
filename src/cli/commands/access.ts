import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { loadConfig } from '../../config/index.ts';
import { TributaryError } from '../../errors/index.ts';
import { databasePath } from '../../store/index.ts';
import {
  AccessAdmin,
  AccessService,
  loadOrCreateSecret,
  ROLE_DESCRIPTIONS,
  ROLES,
  UserService,
  type AuditEntry,
  type Source,
  type Token,
  type User,
} from '../../privacy/index.ts';
import { note, printJson, printTable } from '../output.ts';
import { withDataDir, type ServerClient } from '../target.ts';

/** What the access commands do, the same through a running server's API or on the file. */
interface AdminOps {
  listUsers(): Promise<User[]>;
  addUser(input: { email: string; name?: string; role: string; password: string }): Promise<User>;
  removeUser(email: string): Promise<User>;
  listTokens(): Promise<Token[]>;
  createToken(name: string, role: string): Promise<{ id: string; token: string; name: string; role: string }>;
  revokeToken(id: string): Promise<void>;
  listSources(): Promise<Source[]>;
  createSource(name: string): Promise<{ source: Source; writeKey: string }>;
  rotateKey(id: string): Promise<{ source: Source; writeKey: string }>;
  revokeKey(id: string): Promise<Source>;
  audit(q: { limit: number; action?: string; actor?: string }): Promise<AuditEntry[]>;
}

const CLI_ACTOR = { name: 'cli' };
const enc = encodeURIComponent;

function httpOps(api: ServerClient): AdminOps {
  return {
    listUsers: async () => (await api.get<{ users: User[] }>('/api/users')).users,
    addUser: async (input) => (await api.send<{ user: User }>('POST', '/api/users', input)).user,
    removeUser: async (email) => (await api.send<{ removed: User }>('DELETE', `/api/users/${enc(email)}`)).removed,
    listTokens: async () => (await api.get<{ tokens: Token[] }>('/api/tokens')).tokens,
    createToken: (name, role) => api.send('POST', '/api/tokens', { name, role }),
    revokeToken: async (id) => void (await api.send('DELETE', `/api/tokens/${enc(id)}`)),
    listSources: async () => (await api.get<{ sources: Source[] }>('/api/sources')).sources,
    createSource: (name) => api.send('POST', '/api/sources', { name }),
    rotateKey: (id) => api.send('POST', `/api/sources/${enc(id)}/rotate`),
    revokeKey: async (id) => (await api.send<{ source: Source }>('DELETE', `/api/sources/${enc(id)}`)).source,
    audit: async (q) => {
      const params = new URLSearchParams({ limit: String(q.limit) });
      if (q.action) params.set('action', q.action);
      if (q.actor) params.set('actor', q.actor);
      return (await api.get<{ entries: AuditEntry[] }>(`/api/audit?${params}`)).entries;
    },
  };
}

function directOps(admin: AccessAdmin): AdminOps {
  return {
    listUsers: () => admin.listUsers(),
    addUser: (input) => admin.addUser(CLI_ACTOR, input),
    removeUser: (email) => admin.removeUser(CLI_ACTOR, email),
    listTokens: () => admin.listTokens(),
    createToken: (name, role) => admin.createToken(CLI_ACTOR, name, role),
    revokeToken: (id) => admin.revokeToken(CLI_ACTOR, id),
    listSources: () => admin.listSources(),
    createSource: (name) => admin.createSource(CLI_ACTOR, name),
    rotateKey: (id) => admin.rotateSourceKey(CLI_ACTOR, id),
    revokeKey: (id) => admin.revokeSource(CLI_ACTOR, id),
    audit: (q) => admin.audit.list({ limit: q.limit, action: q.action ?? null, actor: q.actor ?? null }),
  };
}

/** Runs `fn` against the running server, or on the data directory's file when none runs. */
async function withAdmin<T>(dataDirOption: string | undefined, fn: (ops: AdminOps) => Promise<T>): Promise<T> {
  const config = loadConfig({ dataDir: dataDirOption });
  return withDataDir(
    config.dataDir,
    (api) => fn(httpOps(api)),
    async (store) => {
      const secret = loadOrCreateSecret(config.dataDir, config.secret);
      return fn(directOps(new AccessAdmin(store, new AccessService(store, secret), new UserService(store, secret))));
    },
  );
}

function requireInitialised(dataDirOption: string | undefined): void {
  const { dataDir } = loadConfig({ dataDir: dataDirOption });
  if (!fs.existsSync(databasePath(dataDir))) throw new TributaryError('bad_request', `${dataDir} is not initialised: run "tributary init --data ${dataDir}" first`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

const ROLE_HELP = `role: ${ROLES.map((r) => `${r} (${ROLE_DESCRIPTIONS[r]})`).join('; ')}`;
type Common = { data?: string; json?: boolean };

function registerUsers(program: Command): void {
  const users = program.command('users').description('dashboard users and their roles');
  users
    .command('list')
    .description('list users')
    .option('--data <dir>', 'data directory (env TRIBUTARY_DATA_DIR, default ./data)')
    .option('--json', 'print {"users": [...]} as JSON')
    .action(async (opts: Common) => {
      requireInitialised(opts.data);
      const list = await withAdmin(opts.data, (ops) => ops.listUsers());
      if (opts.json) printJson({ users: list });
      else printTable(list.map((u) => ({ email: u.email, name: u.name, role: u.role, created: u.createdAt, lastLogin: u.lastLoginAt ?? '', locked: u.locked ? 'yes' : '' })));
    });
  users
    .command('add')
    .description('add a user; without --password-stdin a strong password is generated and shown once')
    .requiredOption('--email <email>', 'sign-in e-mail')
    .requiredOption('--role <role>', ROLE_HELP)
    .option('--name <name>', 'display name')
    .option('--password-stdin', 'read the password from standard input')
    .option('--data <dir>', 'data directory (env TRIBUTARY_DATA_DIR, default ./data)')
    .option('--json', 'print {"user", "password"} as JSON (password only when generated)')
    .action(async (opts: Common & { email: string; role: string; name?: string; passwordStdin?: boolean }) => {
      requireInitialised(opts.data);
      const generated = opts.passwordStdin ? null : randomBytes(15).toString('base64url');
      const password = generated ?? (await readStdin());
      const user = await withAdmin(opts.data, (ops) => ops.addUser({ email: opts.email, name: opts.name, role: opts.role, password }));
      if (opts.json) printJson({ user, password: generated });
      else {
        note(`added ${user.email} (${user.role})`);
        if (generated) note(`password: ${generated}   (shown once; stored only as a scrypt hash)`);
      }
    });
  users
    .command('remove')
    .description('remove a user (their sessions end at once)')
    .requiredOption('--email <email>', 'the user to remove')
    .option('--data <dir>', 'data directory (env TRIBUTARY_DATA_DIR, default ./data)')
    .option('--json', 'print {"removed"} as JSON')
    .action(async (opts: Common & { email: string }) => {
      requireInitialised(opts.data);
      const removed = await withAdmin(opts.data, (ops) => ops.removeUser(opts.email));
      if (opts.json) printJson({ removed });
      else note(`removed ${removed.email}`);
    });
}

function registerTokens(program: Command): void {
  const tokens = program.command('tokens').description('API tokens for programs (Authorization: Bearer)');
  tokens
    .command('list')
    .description('list live tokens (secrets are never shown again)')
    .option('--data <dir>', 'data directory (env TRIBUTARY_DATA_DIR, default ./data)')
    .option('--json', 'print {"tokens": [...]} as JSON')
    .action(async (opts: Common) => {
      requireInitialised(opts.data);
      const list = await withAdmin(opts.data, (ops) => ops.listTokens());
      if (opts.json) printJson({ tokens: list });
      else printTable(list.map((t) => ({ id: t.id, name: t.name, role: t.role, key: t.keyHint, created: t.createdAt })));
    });
  tokens
    .command('create')
    .description('create a token; the secret is shown once')
    .requiredOption('--name <name>', 'what uses it (e.g. "bi export")')
    .option('--role <role>', ROLE_HELP, 'viewer')
    .option('--data <dir>', 'data directory (env TRIBUTARY_DATA_DIR, default ./data)')
    .option('--json', 'print {"id", "token", "name", "role"} as JSON')
    .action(async (opts: Common & { name: string; role: string }) => {
      requireInitialised(opts.data);
      const created = await withAdmin(opts.data, (ops) => ops.createToken(opts.name, opts.role));
      if (opts.json) printJson(created);
      else {
        note(`token ${created.id} (${created.role}): ${created.token}`);
        note('Shown once and stored only as a hash: keep it now.');
      }
    });
  tokens
    .command('revoke')
    .description('revoke a token at once')
    .argument('<id>', 'token id (tributary tokens list)')
    .option('--data <dir>', 'data directory (env TRIBUTARY_DATA_DIR, default ./data)')
    .option('--json', 'print {"revoked"} as JSON')
    .action(async (id: string, opts: Common) => {
      requireInitialised(opts.data);
      await withAdmin(opts.data, (ops) => ops.revokeToken(id));
      if (opts.json) printJson({ revoked: id });
      else note(`revoked ${id}`);
    });
}

function registerKeys(program: Command): void {
  const keys = program.command('keys').description('sources and their write keys (ingestion)');
  const printKey = (json: boolean | undefined, verb: string, r: { source: Source; writeKey: string }) => {
    if (json) printJson(r);
    else {
      note(`${verb} source ${r.source.id} (${r.source.name}): write key ${r.writeKey}`);
      note('Shown once and stored only as a hash: keep it now.');
    }
  };
  keys
    .command('list')
    .description('list sources and key hints')
    .option('--data <dir>', 'data directory (env TRIBUTARY_DATA_DIR, default ./data)')
    .option('--json', 'print {"sources": [...]} as JSON')
    .action(async (opts: Common) => {
      requireInitialised(opts.data);
      const list = await withAdmin(opts.data, (ops) => ops.listSources());
      if (opts.json) printJson({ sources: list });
      else printTable(list.map((s) => ({ id: s.id, name: s.name, key: s.keyHint, created: s.createdAt, revoked: s.revoked ? 'yes' : '' })));
    });
  keys
    .command('create')
    .description('create a source with a new write key (shown once)')
    .requiredOption('--name <name>', 'source name (e.g. "web", "ios app")')
    .option('--data <dir>', 'data directory (env TRIBUTARY_DATA_DIR, default ./data)')
    .option('--json', 'print {"source", "writeKey"} as JSON')
    .action(async (opts: Common & { name: string }) => {
      requireInitialised(opts.data);
      printKey(opts.json, 'created', await withAdmin(opts.data, (ops) => ops.createSource(opts.name)));
    });
  keys
    .command('rotate')
    .description('give a source a new write key; the old key stops working at once')
    .argument('<sourceId>', 'source id (tributary keys list)')
    .option('--data <dir>', 'data directory (env TRIBUTARY_DATA_DIR, default ./data)')
    .option('--json', 'print {"source", "writeKey"} as JSON')
    .action(async (id: string, opts: Common) => {
      requireInitialised(opts.data);
      printKey(opts.json, 'rotated', await withAdmin(opts.data, (ops) => ops.rotateKey(id)));
    });
  keys
    .command('revoke')
    .description("revoke a source's write key (its events stay)")
    .argument('<sourceId>', 'source id (tributary keys list)')
    .option('--data <dir>', 'data directory (env TRIBUTARY_DATA_DIR, default ./data)')
    .option('--json', 'print {"source"} as JSON')
    .action(async (id: string, opts: Common) => {
      requireInitialised(opts.data);
      const source = await withAdmin(opts.data, (ops) => ops.revokeKey(id));
      if (opts.json) printJson({ source });
      else note(`revoked the write key of ${source.id} (${source.name})`);
    });
}

function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('the audit log, newest first: logins, user/token/key changes, exports, erasures')
    .option('--limit <n>', 'how many entries', '50')
    .option('--action <action>', 'only this action or family (e.g. login, user, key.rotate)')
    .option('--actor <name>', 'only this actor')
    .option('--data <dir>', 'data directory (env TRIBUTARY_DATA_DIR, default ./data)')
    .option('--json', 'print {"entries": [...]} as JSON')
    .action(async (opts: Common & { limit: string; action?: string; actor?: string }) => {
      requireInitialised(opts.data);
      const limit = Math.max(1, Math.min(1000, Number.parseInt(opts.limit, 10) || 50));
      const entries = await withAdmin(opts.data, (ops) => ops.audit({ limit, action: opts.action, actor: opts.actor }));
      if (opts.json) printJson({ entries });
      else printTable(entries.map((e) => ({ time: e.occurredAt, actor: e.actor, action: e.action, target: e.target ?? '', outcome: e.outcome, ip: e.ip ?? '' })));
    });
}

export function registerAccess(program: Command): void {
  registerUsers(program);
  registerTokens(program);
  registerKeys(program);
  registerAudit(program);
}
