import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { startServer, type RunningServer } from '../../src/server/index.ts';
import { makeTestDataDir, readJson, removeTestDataDir, send, TEST_ADMIN_TOKEN, TEST_WRITE_KEY } from '../helpers/server.ts';
import { generateWorld, DAY, T0 } from './kpis-world.ts';
import { truthTotals } from './kpis-truth.ts';
import { diffMetrics, insertSpend, runCli } from './kpis-helpers.ts';

const world = generateWorld({ people: 30, seed: 11 });
const dataDir = makeTestDataDir();
let server: RunningServer | null = null;
const api = (p: string): Promise<Response> => fetch(server!.url + p, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
// announce (the default) writes server.json, so the CLI finds the server and goes through it.
const start = (): Promise<RunningServer> =>
  startServer(loadConfig({ dataDir, port: 0, logLevel: 'silent', writeKey: TEST_WRITE_KEY, adminToken: TEST_ADMIN_TOKEN }, {}), { processingIntervalMs: 60_000 });
const QUERY = 'from=2025-03-17&to=2025-03-30&granularity=week&by=channel';
const ARGS = ['kpis', '--data', dataDir, '--from', '2025-03-17', '--to', '2025-03-30', '--granularity', 'week', '--by', 'channel', '--json'];
let viaHttp: Record<string, unknown>;

beforeAll(async () => {
  const store = await openStore(dataDir);
  await insertSpend(store, world.spend);
  await store.close();
  server = await start();
  const res = await send(server, '/v1/batch', { batch: world.messages.map((m) => m.message) });
  expect(res.status).toBe(200);
  await server.processNow();
  const answer = await api(`/api/kpis?${QUERY}`);
  expect(answer.status).toBe(200);
  viaHttp = await readJson(answer);
});
afterAll(async () => {
  await server?.close();
  removeTestDataDir(dataDir);
});

describe('GET /api/kpis and tributary kpis', () => {
  it('answers the documented shape with the totals of the ingested world', () => {
    expect(Object.keys(viaHttp)).toEqual(['from', 'to', 'granularity', 'by', 'conversion', 'metrics', 'totals', 'previous', 'change', 'series', 'breakdown', 'reconciliation']);
    expect(viaHttp).toMatchObject({ from: '2025-03-17', to: '2025-03-30', granularity: 'week', by: 'channel', conversion: 'Order Completed' });
    const truth = truthTotals(world, { from: T0 + 14 * DAY, to: T0 + 28 * DAY });
    expect(diffMetrics(viaHttp.totals as Record<string, unknown>, truth, 'totals')).toEqual([]);
    const keys = (o: unknown): string[] => Object.keys(o as object).filter((k) => k !== 'period' && k !== 'key');
    const series = viaHttp.series as unknown[];
    const breakdown = viaHttp.breakdown as unknown[];
    expect(keys(series[0])).toEqual(Object.keys(viaHttp.totals as object));
    expect(keys(breakdown[0])).toEqual(Object.keys(viaHttp.totals as object));
  });

  it('the CLI --json prints the same document through the server and from the file', async () => {
    const through = await runCli(...ARGS);
    expect(through.code, through.stderr).toBe(0);
    expect(JSON.parse(through.stdout)).toEqual(viaHttp);
    await server!.close();
    server = null;
    const direct = await runCli(...ARGS);
    expect(direct.code, direct.stderr).toBe(0);
    expect(JSON.parse(direct.stdout)).toEqual(viaHttp);
    const table = await runCli(...ARGS.filter((a) => a !== '--json'));
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/Paid Search/);
    // Restart for the remaining tests.
    server = await start();
  });

  it('rejects bad parameters with 400 naming the field (and exit code 1 in the CLI)', async () => {
    const cases: Array<[string, string]> = [
      ['granularity=year', 'granularity'],
      ['from=yesterday', 'from'],
      ['from=2025-03-17T10:30:00Z', 'from'],
      ['to=2025-13-40', 'to'],
      ['from=2025-03-20&to=2025-03-10', 'to'],
      ['by=planet', 'by'],
      ['by=trait:a b', 'by'],
      ['metrics=people,happiness', 'metrics'],
      ['from=2020-01-01&to=2025-01-01&granularity=hour', 'granularity'],
    ];
    for (const [query, field] of cases) {
      const res = await api(`/api/kpis?${query}`);
      expect(res.status, query).toBe(400);
      const body = await readJson(res);
      expect(body.error.code, query).toBe('bad_request');
      expect(body.error.message.startsWith(`${field}:`), `${query} → ${body.error.message}`).toBe(true);
    }
    const unknown = await api('/api/kpis?conversion=Nope');
    expect(unknown.status).toBe(400);
    expect((await readJson(unknown)).error.message).toMatch(/^conversion: .*Order Completed/);
    const cli = await runCli('kpis', '--data', dataDir, '--granularity', 'year', '--json');
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/granularity/);
  });
});
