import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { TributaryError } from '../../errors/index.ts';
import type { AccessService, Principal } from '../../privacy/index.ts';
import { resolveToken, SESSION_COOKIE } from '../auth.ts';
import { parseQuery } from '../validation.ts';

const loginBody = z.object({ token: z.string().trim().min(1, 'enter an API token') });

/** Session cookie lifetime; the token behind it can be revoked at any time. */
const SESSION_MAX_AGE_S = 12 * 3600;

/**
 * Dashboard sign-in: exchanges an API token for an HttpOnly, SameSite=Strict cookie (Secure when
 * the request came over TLS), so page scripts never hold the token.
 */
export async function sessionRoutes(app: FastifyInstance, opts: { access: AccessService; localTokens: ReadonlyMap<string, Principal> }): Promise<void> {
  app.get('/api/session', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    const principal = token ? await resolveToken(token, opts.access, opts.localTokens) : null;
    return principal ? { authenticated: true, name: principal.name, role: principal.role } : { authenticated: false };
  });

  app.post('/api/session', async (request, reply) => {
    const { token } = parseQuery(loginBody, request.body);
    const principal = await resolveToken(token, opts.access, opts.localTokens);
    if (!principal) throw new TributaryError('unauthorized', 'unknown or revoked token');
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: request.protocol === 'https',
      maxAge: SESSION_MAX_AGE_S,
    });
    return { authenticated: true, name: principal.name, role: principal.role };
  });

  app.delete('/api/session', async (request, reply) => {
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' });
    return { authenticated: false };
  });
}
