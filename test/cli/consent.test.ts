import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { startServer, type RunningServer } from '../../src/server/index.ts';
import { runCli } from '../helpers/cli.ts';
import { makeTestDataDir, readJson, removeTestDataDir, send, TEST_ADMIN_TOKEN, TEST_WRITE_KEY } from '../helpers/server.ts';

const dataDir = makeTestDataDir();
let server: RunningServer | null = null;
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 2, 3, 10);
const REFUSED = { categoryPreferences: { Analytics: false, Advertising: false } };

/** Three shoppers from a campaign, each buying once; the third refused analytics and advertising. */
function messages(): unknown[] {
  const out: unknown[] = [];
  ['a', 'b', 'c'].forEach((who, i) => {
    const at = (d: number) => new Date(T0 + i * DAY + d).toISOString();
    const consent = who === 'c' ? { consent: REFUSED } : {};
    out.push({ type: 'page', anonymousId: who, name: 'Home', timestamp: at(0), context: { campaign: { source: 'google', medium: 'cpc', name: 'spring' }, page: { url: 'https://shop.example/' }, ...consent } });
    out.push({ type: 'track', anonymousId: who, event: 'Product Added', timestamp: at(60_000), context: consent });
    out.push({ type: 'track', anonymousId: who, event: 'Order Completed', timestamp: at(120_000), properties: { revenue: 10 * (i + 1) }, context: consent });
  });
  return out;
}

const COMMANDS: Array<{ args: string[]; path: string }> = [
  { args: ['kpis', '--from', '2025-03-01', '--to', '2025-03-10', '--by', 'channel'], path: '/api/kpis?from=2025-03-01&to=2025-03-10&by=channel' },
  { args: ['retention', '--from', '2025-03-01', '--to', '2025-03-10'], path: '/api/retention?from=2025-03-01&to=2025-03-10' },
  { args: ['attribute', '--model', 'last', '--from', '2025-03-01', '--to', '2025-03-10'], path: '/api/attribution?model=last&from=2025-03-01&to=2025-03-10' },
  { args: ['journeys', 'top', '--from', '2025-03-01', '--to', '2025-03-10'], path: '/api/journeys/top?from=2025-03-01&to=2025-03-10' },
  { args: ['funnel', '--steps', 'Product Added,Order Completed'], path: '/api/funnels?steps=Product%20Added%2COrder%20Completed' },
];
const viaHttp: unknown[] = [];

beforeAll(async () => {
  server = await startServer(loadConfig({ dataDir, port: 0, logLevel: 'silent', writeKey: TEST_WRITE_KEY, adminToken: TEST_ADMIN_TOKEN }, {}), { processingIntervalMs: 60_000 });
  expect((await send(server, '/v1/batch', { batch: messages() })).status).toBe(200);
  await server.processNow();
  for (const c of COMMANDS) {
    const res = await fetch(server.url + c.path, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    expect(res.status, c.path).toBe(200);
    viaHttp.push(await readJson(res));
  }
  await server.close();
  server = null;
}, 60_000);
afterAll(async () => {
  await server?.close();
  removeTestDataDir(dataDir);
});

describe('commands that read the data directory themselves apply consent like the server', () => {
  it('the server leaves the shopper who refused out', () => {
    const [kpis, , attribution, , funnel] = viaHttp as Array<Record<string, any>>;
    expect(kpis.totals).toMatchObject({ people: 2, conversions: 2, revenue: 30 });
    expect(attribution.results[0]).toMatchObject({ totalConversions: 2, totalValue: 30 });
    expect(funnel.steps.map((s: { entered: number }) => s.entered)).toEqual([2, 2]);
  });

  it.each(COMMANDS.map((c, i) => [c.args.slice(0, 2).join(' '), i] as const))('tributary %s --json on the file equals the API', async (_name, i) => {
    const run = await runCli(...COMMANDS[i].args, '--data', dataDir, '--json');
    expect(run.code, run.stderr).toBe(0);
    // The attribution command prints the API's results (without the conversion name).
    const expected = COMMANDS[i].args[0] === 'attribute' ? { results: (viaHttp[i] as { results: unknown }).results } : viaHttp[i];
    expect(JSON.parse(run.stdout)).toEqual(expected);
  });
});
