import type { FastifyRequest } from 'fastify';
import { TributaryError } from '../errors/index.ts';
import type { AccessService, Principal } from '../privacy/index.ts';

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

/**
 * Authenticates an API request by its Bearer token. `extraTokens` are process-local tokens
 * (the CLI's token for a running server), never stored.
 */
export async function authenticate(request: FastifyRequest, access: AccessService, extraTokens: ReadonlyMap<string, Principal>): Promise<Principal> {
  const token = bearer(request.headers.authorization);
  if (!token) throw new TributaryError('unauthorized', 'missing credentials: send "Authorization: Bearer <token>"');
  const local = extraTokens.get(token);
  if (local) return local;
  const principal = await access.verifyToken(token);
  if (!principal) throw new TributaryError('unauthorized', 'unknown or revoked token');
  return principal;
}
