import type { FastifyRequest } from 'fastify';
import { TributaryError } from '../errors/index.ts';
import type { AccessService, Principal, UserService } from '../privacy/index.ts';

/** The dashboard's session cookie: a random session secret (only its keyed hash is stored). */
export const SESSION_COOKIE = 'tributary_session';

export interface AuthContext {
  readonly access: AccessService;
  readonly users: UserService;
  /** Process-local tokens (the CLI's for a running server), never stored. */
  readonly localTokens: ReadonlyMap<string, Principal>;
}

/** The user name of an HTTP Basic Authorization header (write keys travel there), or null. */
export function basicUser(header: string | undefined): string | null {
  if (!header || !/^basic /i.test(header)) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon === -1 ? decoded : decoded.slice(0, colon);
  return user === '' ? null : user;
}

function bearer(header: string | undefined): string | null {
  if (!header || !/^bearer /i.test(header)) return null;
  const token = header.slice(7).trim();
  return token === '' ? null : token;
}

/** A token's principal: process-local tokens first, then stored ones. */
export async function resolveToken(token: string, ctx: AuthContext): Promise<Principal | null> {
  return ctx.localTokens.get(token) ?? (await ctx.access.verifyToken(token));
}

/** The principal of the request's session cookie, or null. */
export async function sessionPrincipal(request: FastifyRequest, ctx: AuthContext): Promise<Principal | null> {
  const secret = request.cookies?.[SESSION_COOKIE];
  return secret ? ctx.users.resolveSession(secret) : null;
}

/**
 * Authenticates an API request by its Bearer token (programs), or by the dashboard's session
 * cookie when there is no Authorization header.
 */
export async function authenticate(request: FastifyRequest, ctx: AuthContext): Promise<Principal> {
  const header = request.headers.authorization;
  if (header === undefined) {
    const principal = await sessionPrincipal(request, ctx);
    if (principal) return principal;
    throw new TributaryError(
      'unauthorized',
      request.cookies?.[SESSION_COOKIE] ? 'session expired or ended: sign in again' : 'missing credentials: send "Authorization: Bearer <token>" or sign in to the dashboard',
    );
  }
  const token = bearer(header);
  if (!token) throw new TributaryError('unauthorized', 'missing credentials: send "Authorization: Bearer <token>"');
  const principal = await resolveToken(token, ctx);
  if (!principal) throw new TributaryError('unauthorized', 'unknown or revoked token');
  return principal;
}
