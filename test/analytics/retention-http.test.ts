import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { startServer, type RunningServer } from '../../src/server/index.ts';
import { makeTestDataDir, readJson, removeTestDataDir, send, TEST_ADMIN_TOKEN, TEST_WRITE_KEY } from '../helpers/server.ts';
import { generateWorld } from './kpis-world.ts';
import { runCli } from './kpis-helpers.ts';

const world = generateWorld({ people: 40, seed: 3 });
const dataDir = makeTestDataDir();
let server: RunningServer;
const api = (p: string): Promise<Response> => fetch(server.url + p, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });

beforeAll(async () => {
  // announce (the default) writes server.json, so the CLI finds the server and goes through it.
  server = await startServer(loadConfig({ dataDir, port: 0, logLevel: 'silent', writeKey: TEST_WRITE_KEY, adminToken: TEST_ADMIN_TOKEN }, {}), { processingIntervalMs: 60_000 });
  expect((await send(server, '/v1/batch', { batch: world.messages.map((m) => m.message) })).status).toBe(200);
  await server.processNow();
});
afterAll(async () => {
  await server.close();
  removeTestDataDir(dataDir);
});

describe('GET /api/retention and tributary retention', () => {
  it('the HTTP answer and the CLI --json are the same document', async () => {
    const res = await api('/api/retention?cohort=week&measure=repeat_purchase&by=channel&from=2025-02-17&to=2025-03-30');
    expect(res.status).toBe(200);
    const doc = await readJson(res);
    expect(doc).toMatchObject({ cohort: 'week', anchor: 'first_conversion', measure: 'repeat_purchase', by: 'channel', from: '2025-02-17', to: '2025-03-30' });
    expect(doc.cohorts.length).toBeGreaterThan(3);
    const cli = await runCli('retention', '--data', dataDir, '--cohort', 'week', '--measure', 'repeat_purchase', '--by', 'channel', '--from', '2025-02-17', '--to', '2025-03-30', '--json');
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual(doc);
    const table = await runCli('retention', '--data', dataDir, '--measure', 'revenue');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/cumulative revenue per member/);
  });

  it('rejects bad parameters with 400 naming the field', async () => {
    for (const [query, field] of [['cohort=day', 'cohort'], ['measure=love', 'measure'], ['anchor=birth', 'anchor'], ['by=device', 'by'], ['from=later', 'from']] as const) {
      const res = await api(`/api/retention?${query}`);
      expect(res.status, query).toBe(400);
      expect((await readJson(res)).error.message.startsWith(`${field}:`), query).toBe(true);
    }
  });
});
