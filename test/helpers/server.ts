import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type ConfigOverrides } from '../../src/config/index.ts';
import { startServer, type RunningServer } from '../../src/server/index.ts';

export const TEST_WRITE_KEY = 'wk_test_key_0001';
export const TEST_ADMIN_TOKEN = 'trb_test_admin_token_0001';

/** A fresh data directory whose name says it is a test's (destructive helpers check this). */
export function makeTestDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-test-'));
}

export function removeTestDataDir(dir: string): void {
  if (!path.basename(dir).startsWith('tributary-test-')) throw new Error(`refusing to delete ${dir}: not a test directory`);
  fs.rmSync(dir, { recursive: true, force: true });
}

export interface TestServer extends RunningServer {
  readonly dataDir: string;
  /** fetch against the server with the admin token. */
  api(pathAndQuery: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

/** A real server on an ephemeral loopback port over a real DuckDB file in a temp directory. */
export async function startTestServer(overrides: ConfigOverrides = {}): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? makeTestDataDir();
  const config = loadConfig(
    { port: 0, logLevel: 'silent', writeKey: TEST_WRITE_KEY, adminToken: TEST_ADMIN_TOKEN, ...overrides, dataDir },
    {},
  );
  const server = await startServer(config, { announce: false });
  return {
    ...server,
    dataDir,
    api: (p, init) =>
      fetch(server.url + p, { ...init, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...(init?.headers ?? {}) } }),
    stop: async () => {
      await server.close();
      if (!overrides.dataDir) removeTestDataDir(dataDir);
    },
  };
}

export function basicAuth(writeKey: string): string {
  return 'Basic ' + Buffer.from(`${writeKey}:`).toString('base64');
}

/** POSTs JSON to an ingestion endpoint with the test write key. */
export function send(server: { url: string }, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basicAuth(TEST_WRITE_KEY), ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? (body as string) : JSON.stringify(body),
  });
}

/** Response JSON for assertions (tests inspect arbitrary documents). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function readJson(res: Response): Promise<any> {
  return res.json();
}
