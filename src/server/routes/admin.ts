import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AccessAdmin, Actor, PiiKeyring } from '../../privacy/index.ts';
import { parseQuery } from '../validation.ts';
import { TributaryError } from '../../errors/index.ts';

const userBody = z.object({
  email: z.string().min(1),
  name: z.string().optional(),
  role: z.string().min(1),
  password: z.string().min(1, 'give a password'),
});
const userPatch = z.object({ role: z.string().min(1).optional(), password: z.string().min(1).optional() }).refine((b) => b.role || b.password, 'give role or password');
const tokenBody = z.object({ name: z.string().min(1), role: z.string().min(1).default('viewer') });
const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.coerce.number().int().positive().optional(),
  action: z.string().min(1).optional(),
  actor: z.string().min(1).optional(),
});

export function actorOf(request: FastifyRequest): Actor {
  return { name: request.principal?.name ?? 'unknown', ip: request.ip };
}

/** Users, API tokens, write-key rotation and revocation, and the audit log (admin only). */
export async function adminRoutes(app: FastifyInstance, opts: { admin: AccessAdmin; keyring?: PiiKeyring }): Promise<void> {
  const { admin } = opts;
  app.get('/api/users', { config: { docs: { summary: 'List users and their roles' } } }, async () => ({ users: await admin.listUsers() }));
  app.post('/api/users', { config: { docs: { summary: 'Add a user', body: userBody } } }, async (request, reply) => {
    const body = parseQuery(userBody, request.body);
    reply.status(201);
    return { user: await admin.addUser(actorOf(request), body) };
  });
  app.patch<{ Params: { email: string } }>('/api/users/:email', { config: { docs: { summary: 'Change a user’s role or password', body: userPatch, params: { email: 'the user’s e-mail' } } } }, async (request) => {
    const body = parseQuery(userPatch, request.body);
    let user = null;
    if (body.role) user = await admin.setUserRole(actorOf(request), request.params.email, body.role);
    if (body.password) await admin.setUserPassword(actorOf(request), request.params.email, body.password);
    return { user: user ?? (await admin.users.find(request.params.email)) };
  });
  app.delete<{ Params: { email: string } }>('/api/users/:email', { config: { docs: { summary: 'Remove a user (their sessions end)', params: { email: 'the user’s e-mail' } } } }, async (request) => ({ removed: await admin.removeUser(actorOf(request), request.params.email) }));

  app.get('/api/tokens', { config: { docs: { summary: 'List API tokens (never their secrets)' } } }, async () => ({ tokens: await admin.listTokens() }));
  app.post('/api/tokens', { config: { docs: { summary: 'Create an API token', description: 'The answer holds the secret; it is shown this once and stored only as a hash.', body: tokenBody } } }, async (request, reply) => {
    const body = parseQuery(tokenBody, request.body);
    reply.status(201);
    return await admin.createToken(actorOf(request), body.name, body.role);
  });
  app.delete<{ Params: { id: string } }>('/api/tokens/:id', { config: { docs: { summary: 'Revoke an API token', params: { id: 'the token’s id' } } } }, async (request) => {
    await admin.revokeToken(actorOf(request), request.params.id);
    return { revoked: request.params.id };
  });

  app.post<{ Params: { id: string } }>('/api/sources/:id/rotate', { config: { docs: { summary: 'Give a source a new write key', description: 'The new key is shown once; the old one stops working.', params: { id: 'the source’s id' } } } }, async (request) => admin.rotateSourceKey(actorOf(request), request.params.id));
  app.delete<{ Params: { id: string } }>('/api/sources/:id', { config: { docs: { summary: 'Revoke a source’s write key', params: { id: 'the source’s id' } } } }, async (request) => ({ source: await admin.revokeSource(actorOf(request), request.params.id) }));

  // Keys that encrypt personal data: listed without their bytes; rotation adds one, old ones stay to read.
  app.get('/api/privacy/keys', { config: { docs: { summary: 'List the keys that seal personal data (ids and dates, no key bytes)' } } }, async () => ({ keys: opts.keyring?.list() ?? [] }));
  app.post('/api/privacy/keys/rotate', { config: { docs: { summary: 'Seal new personal data with a new key', description: 'Older keys stay to open what they sealed.' } } }, async (request, reply) => {
    if (!opts.keyring) throw new TributaryError('bad_request', 'personal data is not encrypted on this server');
    const previous = opts.keyring.current.id;
    const id = await opts.keyring.rotate();
    await admin.audit.record({ actor: actorOf(request).name, ip: request.ip, action: 'pii_key.rotate', target: id, details: { previous } });
    reply.status(201);
    return { current: id, previous, keys: opts.keyring.list() };
  });

  app.get('/api/audit', { config: { docs: { summary: 'Read the audit log, newest first', query: auditQuery } } }, async (request) => {
    const q = parseQuery(auditQuery, request.query);
    return { entries: await admin.audit.list({ limit: q.limit, before: q.before ?? null, action: q.action ?? null, actor: q.actor ?? null }) };
  });
}
