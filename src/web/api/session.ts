import { useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from './client.ts';

export interface SessionInfo {
  readonly authenticated: boolean;
  readonly kind?: 'user' | 'token';
  readonly name?: string;
  readonly role?: string;
  /** What the role may do (e.g. `people:read`): pages hide what it cannot use. */
  readonly permissions?: readonly string[];
}

export type Credentials = { readonly email: string; readonly password: string } | { readonly token: string };

/** GET /api/session: who is signed in (the cookie is HttpOnly, so only the server can tell). */
export function useSession() {
  return useQuery({ queryKey: ['session'], queryFn: ({ signal }) => apiFetch<SessionInfo>('/api/session', { signal }), staleTime: Infinity });
}

/** POST /api/session and DELETE /api/session, refreshing everything the session decides. */
export function useSessionActions() {
  const client = useQueryClient();
  // Everything but the session itself belongs to the previous sign-in (the session query stays
  // observed by the shell, so it is updated in place rather than removed).
  const forgetData = () => client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
  return {
    async login(credentials: Credentials): Promise<SessionInfo> {
      const info = await apiFetch<SessionInfo>('/api/session', { method: 'POST', body: credentials });
      forgetData();
      client.setQueryData(['session'], info);
      return info;
    },
    async logout(): Promise<void> {
      await apiFetch('/api/session', { method: 'DELETE' });
      forgetData();
      client.setQueryData(['session'], { authenticated: false });
    },
  };
}

/** Whether the signed-in role holds a permission (the server enforces it either way). */
export function usePermission(permission: string): boolean {
  const session = useSession();
  return session.data?.permissions?.includes(permission) ?? false;
}
