import { TributaryError } from '../errors/index.ts';
import { openStore, type Store } from '../store/index.ts';
import { readServerFile } from '../server/index.ts';

/** A running server's API, reached with the process-local token it wrote into the data dir. */
export interface ServerClient {
  readonly url: string;
  get<T>(path: string): Promise<T>;
}

function client(url: string, token: string): ServerClient {
  return {
    url,
    async get<T>(path: string): Promise<T> {
      const res = await fetch(url + path, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as T & { error?: { code: string; message: string } };
      if (!res.ok) throw new TributaryError('bad_request', body.error?.message ?? `server answered ${res.status}`);
      return body;
    },
  };
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
