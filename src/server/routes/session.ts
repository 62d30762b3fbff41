import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { TributaryError } from '../../errors/index.ts';
import { permissionsOf, type AuditLog, type Principal } from '../../privacy/index.ts';
import { RateLimiter } from '../../ingest/index.ts';
import { resolveToken, SESSION_COOKIE, sessionPrincipal, type AuthContext } from '../auth.ts';
import { parseQuery } from '../validation.ts';

const loginBody = z.union([
  z.object({ email: z.string().trim().min(1, 'enter your e-mail'), password: z.string().min(1, 'enter your password') }),
  z.object({ token: z.string().trim().min(1, 'enter an API token') }),
]);

export interface SessionOptions extends AuthContext {
  readonly audit: AuditLog;
  readonly loginAttemptsPerMinute: number;
}

const describe = (p: Principal) => ({ authenticated: true, kind: p.kind, name: p.name, role: p.role, permissions: permissionsOf(p.role) });

/**
 * Dashboard sign-in with e-mail and password (users) or an API token (automation, first start).
 * The answer sets an HttpOnly, SameSite=Strict cookie (Secure over TLS) holding a session secret;
 * scripts in the page never see a credential. Failed sign-ins are throttled per address and
 * lock the account after repeated failures; every sign-in is audited.
 */
export async function sessionRoutes(app: FastifyInstance, opts: SessionOptions): Promise<void> {
  const attempts = new RateLimiter(opts.loginAttemptsPerMinute / 60, opts.loginAttemptsPerMinute);

  const setCookie = (request: FastifyRequest, reply: FastifyReply, secret: string, expiresAt: Date) =>
    reply.setCookie(SESSION_COOKIE, secret, { path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', expires: expiresAt });

  app.get('/api/session', { config: { docs: { summary: 'Who is signed in (the session cookie)' } } }, async (request) => {
    const principal = await sessionPrincipal(request, opts);
    return principal ? describe(principal) : { authenticated: false };
  });

  app.post('/api/session', { config: { docs: { summary: 'Sign in with e-mail and password, or an API token', description: 'Sets an HttpOnly session cookie. Repeated failures lock the account for a while.', body: loginBody } } }, async (request, reply) => {
    const wait = attempts.take(request.ip, Date.now());
    if (wait > 0) throw new TributaryError('rate_limited', `too many sign-in attempts from this address: try again in ${wait} s`, undefined, { retryAfter: wait });
    const body = parseQuery(loginBody, request.body);
    if ('token' in body) {
      const principal = await resolveToken(body.token, opts);
      if (!principal || principal.kind !== 'token') {
        await opts.audit.record({ actor: 'unknown token', action: 'login', outcome: 'failed', ip: request.ip, details: { method: 'token' } });
        throw new TributaryError('unauthorized', 'unknown or revoked token');
      }
      const session = await opts.users.createSession({ tokenId: principal.id });
      setCookie(request, reply, session.secret, session.expiresAt);
      await opts.audit.record({ actor: principal.name, action: 'login', ip: request.ip, details: { method: 'token', tokenId: principal.id } });
      return describe(principal);
    }
    const check = await opts.users.checkPassword(body.email, body.password);
    if (!check.ok) {
      await opts.audit.record({ actor: body.email.trim().toLowerCase(), action: 'login', outcome: 'failed', ip: request.ip, details: { method: 'password', reason: check.reason } });
      if (check.reason === 'locked') {
        throw new TributaryError('locked', `too many failed sign-ins: this account is locked until ${check.lockedUntil}`);
      }
      throw new TributaryError('unauthorized', 'wrong e-mail or password');
    }
    const session = await opts.users.createSession({ userId: check.user.id });
    setCookie(request, reply, session.secret, session.expiresAt);
    await opts.audit.record({ actor: check.user.email, action: 'login', ip: request.ip, details: { method: 'password' } });
    return describe({ kind: 'user', id: check.user.id, name: check.user.email, role: check.user.role });
  });

  app.delete('/api/session', { config: { docs: { summary: 'Sign out' } } }, async (request, reply) => {
    const secret = request.cookies[SESSION_COOKIE];
    if (secret) {
      const principal = await opts.users.resolveSession(secret);
      await opts.users.endSession(secret);
      if (principal) await opts.audit.record({ actor: principal.name, action: 'logout', ip: request.ip });
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' });
    return { authenticated: false };
  });
}
