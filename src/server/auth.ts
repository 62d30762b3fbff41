import type { FastifyRequest } from 'fastify';
import { TributaryError } from '../errors/index.ts';
import type { AccessService, Principal } from '../privacy/index.ts';

/** The dashboard's session cookie: the API token itself, HttpOnly and SameSite=Strict. */
export const SESSION_COOKIE = 'tributary_session';

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

/** A token's principal: process-local tokens (the CLI's for a running server) first, then stored ones. */
export async function resolveToken(token: string, access: AccessService, extraTokens: ReadonlyMap<string, Principal>): Promise<Principal | null> {
  return extraTokens.get(token) ?? (await access.verifyToken(token));
}

/**
 * Authenticates an API request by its Bearer token, or by the dashboard's session cookie when
 * there is no Authorization header.
 */
export async function authenticate(request: FastifyRequest, access: AccessService, extraTokens: ReadonlyMap<string, Principal>): Promise<Principal> {
  const header = request.headers.authorization;
  const token = header === undefined ? (request.cookies?.[SESSION_COOKIE] ?? null) : bearer(header);
  if (!token) throw new TributaryError('unauthorized', 'missing credentials: send "Authorization: Bearer <token>" or sign in to the dashboard');
  const principal = await resolveToken(token, access, extraTokens);
  if (!principal) throw new TributaryError('unauthorized', header === undefined ? 'session expired or token revoked: sign in again' : 'unknown or revoked token');
  return principal;
}
