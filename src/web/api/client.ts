/** The server's error envelope, kept whole so pages can show its message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called whenever the API answers 401 (session expired, token revoked): the app shows the login page. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export type Params = Record<string, string | number | boolean | null | undefined>;

/** `/api/x?y=z` from a path and params; null/undefined/'' params are left out. */
export function apiUrl(path: string, params: Params = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') continue;
    query.set(key, String(value));
  }
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}

/**
 * A body sent as it is under its own content type instead of as JSON, e.g. a chosen file (the
 * browser sends a File itself, without the page reading it into a string first).
 */
export interface RawBody {
  readonly type: string;
  readonly data: Blob | string;
}

/**
 * Fetches JSON from the API with the session cookie. Errors carry the server's message
 * (`{"error": {"code", "message"}}`), or say plainly that the server could not be reached.
 */
export async function apiFetch<T>(path: string, init: { method?: string; params?: Params; body?: unknown; raw?: RawBody; signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let sent: Blob | string | undefined;
  if (init.raw) {
    headers['content-type'] = init.raw.type;
    sent = init.raw.data;
  } else if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
    sent = JSON.stringify(init.body);
  }
  let response: Response;
  try {
    response = await fetch(apiUrl(path, init.params), {
      method: init.method ?? (sent === undefined ? 'GET' : 'POST'),
      credentials: 'same-origin',
      headers,
      body: sent,
      signal: init.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'unreachable', 'The Tributary server could not be reached. Is `tributary serve` running?');
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
    const apiError = new ApiError(response.status, error?.code ?? 'error', error?.message ?? `${response.status} ${response.statusText}`);
    if (response.status === 401 && path !== '/api/session') for (const l of unauthorizedListeners) l();
    throw apiError;
  }
  return body as T;
}
