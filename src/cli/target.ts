import { Readable } from 'node:stream';
import { TributaryError, type ErrorCode } from '../errors/index.ts';
import { openStore, type Store } from '../store/index.ts';
import { readServerFile } from '../server/index.ts';

/** A running server's API, reached with the process-local token it wrote into the data dir. */
export interface ServerClient {
  readonly url: string;
  get<T>(path: string): Promise<T>;
  /** A GET whose answer is not JSON (CSV, NDJSON): its body and headers. */
  getText(path: string): Promise<{ text: string; headers: Headers }>;
  /** A GET whose answer may be large: its body as it arrives. */
  getStream(path: string): Promise<Readable>;
  send<T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

/** The server's error envelope as a TributaryError (a body that is not one: the status). */
function errorOf(status: number, text: string): TributaryError {
  let error: { code?: ErrorCode; message?: string } = {};
  try {
    error = (JSON.parse(text) as { error?: typeof error }).error ?? {};
  } catch {
    // not a JSON error envelope
  }
  return new TributaryError(error.code ?? 'bad_request', error.message ?? `server answered ${status}`);
}

function client(url: string, token: string): ServerClient {
  /** A GET that answered 2xx (any other answer: its error). */
  const fetchOk = async (path: string): Promise<Response> => {
    const res = await fetch(url + path, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw errorOf(res.status, await res.text());
    return res;
  };
  const getText = async (path: string) => {
    const res = await fetchOk(path);
    return { text: await res.text(), headers: res.headers };
  };
  const getStream = async (path: string) => {
    const res = await fetchOk(path);
    return res.body === null ? Readable.from([]) : Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
  };
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const answer = (await res.json()) as T & { error?: { code: ErrorCode; message: string } };
    if (!res.ok) throw new TributaryError(answer.error?.code ?? 'bad_request', answer.error?.message ?? `server answered ${res.status}`);
    return answer;
  };
  return { url, get: (path) => call('GET', path), getText, getStream, send: (method, path, body) => call(method, path, body) };
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
