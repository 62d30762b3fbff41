import { TributaryError, type ErrorCode } from '../errors/index.ts';
import { openStore, type Store } from '../store/index.ts';
import { readServerFile } from '../server/index.ts';

/** A running server's API, reached with the process-local token it wrote into the data dir. */
export interface ServerClient {
  readonly url: string;
  get<T>(path: string): Promise<T>;
  send<T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

function client(url: string, token: string): ServerClient {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const answer = (await res.json()) as T & { error?: { code: ErrorCode; message: string } };
    if (!res.ok) throw new TributaryError(answer.error?.code ?? 'bad_request', answer.error?.message ?? `server answered ${res.status}`);
    return answer;
  };
  return { url, get: (path) => call('GET', path), send: (method, path, body) => call(method, path, body) };
}

/**
 * Runs a read either through the server that holds the data directory (DuckDB lets one process
 * own the file) or, when none runs, directly on the file.
 */
export async function withDataDir<T>(
  dataDir: string,
  viaServer: (api: ServerClient) => Promise<T>,
  viaStore: (store: Store) => Promise<T>,
): Promise<T> {
  const running = readServerFile(dataDir);
  if (running) return viaServer(client(running.url, running.token));
  const store = await openStore(dataDir);
  try {
    return await viaStore(store);
  } finally {
    await store.close();
  }
}
