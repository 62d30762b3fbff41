import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { SERVER_FILE, writeServerFile } from '../../src/server/server-file.ts';
import { parseFunnelDefinition, runFunnel } from '../../src/analytics/index.ts';
import { makeTestDataDir, readJson, removeTestDataDir, send, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { DAY, generateWorld, type World } from './funnels-world.ts';
import { funnelUnits, summarize } from './funnels-truth.ts';

let server: TestServer;
let dataDir: string;
let world: World;
const SHOP = 'Product Viewed,Product Added,Checkout Started,Order Completed';

function cli(...args: string[]) {
  return runCli(...args, '--data', dataDir);
}

const post = (p: string, body: unknown) => server.api(p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  dataDir = makeTestDataDir();
  server = await startTestServer({ dataDir });
  world = generateWorld(60, 5);
  const messages = world.messages.map((m) => m.message);
  for (let i = 0; i < messages.length; i += 400) {
    const res = await send(server, '/v1/batch', { batch: messages.slice(i, i + 400) });
    expect(res.status).toBe(200);
  }
  await server.processNow();
});
afterAll(async () => {
  await server.stop();
  removeTestDataDir(dataDir);
});

describe('funnels over HTTP', () => {
  it('POST with a definition and GET with the query string give the same report, equal to the capability’s', async () => {
    const definition = { steps: SHOP.split(','), window: '7d', by: 'channel' };
    const viaPost = await readJson(await post('/api/funnels', definition));
    const viaGet = await readJson(await server.api(`/api/funnels?${new URLSearchParams({ steps: SHOP, window: '7d', by: 'channel' })}`));
    expect(viaGet).toEqual(viaPost);
    expect(viaPost).toEqual(JSON.parse(JSON.stringify(await runFunnel(server.store, parseFunnelDefinition(definition)))));
    const truth = summarize(funnelUnits(world.messages, { steps: SHOP.split(',').map((e) => (m) => m.type === 'track' && m.event === e), windowMs: 7 * DAY, mode: 'strict', countBy: 'person' }), 4);
    expect(viaPost.steps.map((s: { entered: number }) => s.entered)).toEqual(truth.counts);
    expect(viaPost.definition).toEqual({ steps: SHOP.split(','), window: '7d', mode: 'strict', countBy: 'person', by: 'channel' });
  });

  it('saves, lists, runs (with overrides), replaces and deletes a funnel', async () => {
    const savedRes = await post('/api/funnels/saved', { name: 'checkout', definition: { steps: SHOP, window: '3d' } });
    expect(savedRes.status).toBe(200);
    const saved = await readJson(savedRes);
    expect(saved.definition).toEqual({ steps: SHOP.split(','), window: '3d', mode: 'strict', countBy: 'person' });
    const list = await readJson(await server.api('/api/funnels/saved'));
    expect(list.funnels.map((f: { name: string }) => f.name)).toEqual(['checkout']);
    const byName = await readJson(await server.api('/api/funnels?saved=checkout'));
    const inline = await readJson(await server.api(`/api/funnels?steps=${encodeURIComponent(SHOP)}&window=3d`));
    expect(byName).toEqual(inline);
    const overridden = await readJson(await post('/api/funnels', { saved: 'checkout', countBy: 'session' }));
    expect(overridden.countBy).toBe('session');
    expect(overridden.definition.window).toBe('3d');
    const replaced = await readJson(await post('/api/funnels/saved', { name: 'checkout', definition: { steps: 'Product Viewed,Order Completed' } }));
    expect(replaced.definition.steps).toEqual(['Product Viewed', 'Order Completed']);
    expect(replaced.createdAt).toBe(saved.createdAt);
    expect((await server.api('/api/funnels/saved/checkout', { method: 'DELETE' })).status).toBe(200);
    expect((await server.api('/api/funnels/saved/checkout', { method: 'DELETE' })).status).toBe(404);
    expect((await server.api('/api/funnels?saved=checkout')).status).toBe(404);
  });

  it('pages through the people who dropped after a step', async () => {
    const first = await readJson(await server.api(`/api/funnels/dropped?steps=${encodeURIComponent(SHOP)}&step=1&limit=3`));
    expect(first.people.length).toBe(3);
    expect(first.stepLabel).toBe('Product Viewed');
    const second = await readJson(await post('/api/funnels/dropped', { steps: SHOP, step: 1, limit: 3, cursor: first.nextCursor }));
    expect(second.total).toBe(first.total);
    expect(second.people[0].personId > first.people[2].personId).toBe(true);
  });

  it('answers 400 naming the field for bad definitions', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'steps'],
      [{ steps: 'Product Viewed' }, 'steps'],
      [{ steps: Array.from({ length: 11 }, (_, i) => `E${i}`) }, 'steps'],
      [{ steps: ['Product Viewed', "Order Completed where category = 'x'"] }, 'steps.1'],
      [{ steps: ['Product Viewed', "Order Completed where properties.a;b = 'x'"] }, 'steps.1'],
      [{ steps: ['Product Viewed', { event: 'X', where: [{ property: 'a', op: 'like', value: 'x' }] }] }, 'steps.1.where.0.op'],
      [{ steps: ['Product Viewed', { type: 'page', event: 'X' }] }, 'steps.1.event'],
      [{ steps: SHOP, window: '0d' }, 'window'],
      [{ steps: SHOP, window: 'soon' }, 'window'],
      [{ steps: SHOP, mode: 'random' }, 'mode'],
      [{ steps: SHOP, countBy: 'device' }, 'countBy'],
      [{ steps: SHOP, by: 'colour' }, 'by'],
      [{ steps: SHOP, from: 'yesterday' }, 'from'],
      [{ steps: SHOP, color: 'red' }, 'color'],
      [{ steps: SHOP, saved: 'x' }, 'steps'],
    ];
    for (const [body, field] of cases) {
      const res = await post('/api/funnels', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const message: string = (await readJson(res)).error.message;
      expect(message.startsWith(`${field}:`) || message.includes(`"${field}"`), `${JSON.stringify(body)} → ${message}`).toBe(true);
    }
    const dropped = await server.api(`/api/funnels/dropped?steps=${encodeURIComponent(SHOP)}&step=4`);
    expect(dropped.status).toBe(400);
    expect((await readJson(dropped)).error.message).toMatch(/^step:/);
    const badSave = await post('/api/funnels/saved', { name: '', definition: { steps: SHOP } });
    expect((await readJson(badSave)).error.message).toMatch(/^name:/);
  });
});

describe('journeys over HTTP', () => {
  it('serves top paths, timing and flows; rejects bad parameters with the field named', async () => {
    const top = await readJson(await server.api('/api/journeys/top?limit=3'));
    expect(top.converting.length).toBeGreaterThan(0);
    expect(top.converting[0].path).toContain(top.converting[0].steps[0]);
    const timing = await readJson(await server.api('/api/journeys/timing'));
    expect(timing.journeys).toBeGreaterThan(0);
    const flows = await readJson(await server.api('/api/journeys/flows?depth=3'));
    expect(flows.journeys).toBe(flows.conversions + flows.drops);
    for (const [q, field] of [['depth=0', 'depth'], ['limit=1000', 'limit'], ['lookback=0d', 'lookback'], ['by=device', 'by']]) {
      const res = await server.api(`/api/journeys/flows?${q}`);
      expect(res.status, q).toBe(400);
      expect((await readJson(res)).error.message, q).toMatch(new RegExp(`^${field}:`));
    }
  });
});

describe('the CLI prints the same documents', () => {
  it('through the running server and from the file', async () => {
    const funnel = await readJson(await server.api(`/api/funnels?steps=${encodeURIComponent(SHOP)}&by=properties.category&mode=any`));
    const top = await readJson(await server.api('/api/journeys/top?limit=4&lookback=14d'));
    const flows = await readJson(await server.api('/api/journeys/flows?depth=2'));
    const timing = await readJson(await server.api('/api/journeys/timing'));
    const dropped = await readJson(await server.api(`/api/funnels/dropped?steps=${encodeURIComponent(SHOP)}&step=2&limit=4`));
    const args = {
      funnel: ['funnel', '--steps', SHOP, '--by', 'properties.category', '--mode', 'any', '--json'],
      top: ['journeys', 'top', '--limit', '4', '--lookback', '14d', '--json'],
      flows: ['journeys', 'flows', '--depth', '2', '--json'],
      timing: ['journeys', 'timing', '--json'],
      dropped: ['funnel', '--steps', SHOP, '--dropped', '2', '--limit', '4', '--json'],
    };
    const expected = { funnel, top, flows, timing, dropped };

    // Through the server: the CLI finds it by server.json in the data directory.
    writeServerFile(dataDir, { url: server.url, pid: process.pid, token: TEST_ADMIN_TOKEN });
    try {
      for (const [name, a] of Object.entries(args)) {
        const run = await cli(...a);
        expect(run.code, `${name}: ${run.stderr}`).toBe(0);
        expect(JSON.parse(run.stdout), name).toEqual(expected[name as keyof typeof expected]);
      }
      const save = await cli('funnel', '--save', 'cli-funnel', '--steps', SHOP, '--window', '2d', '--json');
      expect(save.code, save.stderr).toBe(0);
      expect(JSON.parse(save.stdout).definition.window).toBe('2d');
      const bad = await cli('funnel', '--steps', 'Only One', '--json');
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('steps:');
    } finally {
      fs.rmSync(path.join(dataDir, SERVER_FILE), { force: true });
    }

    // From the file, once the server has let it go.
    await server.close();
    for (const [name, a] of Object.entries(args)) {
      const run = await cli(...a);
      expect(run.code, `${name}: ${run.stderr}`).toBe(0);
      expect(JSON.parse(run.stdout), name).toEqual(expected[name as keyof typeof expected]);
    }
    const list = await cli('funnel', '--list', '--json');
    expect(JSON.parse(list.stdout).funnels.map((f: { name: string }) => f.name)).toEqual(['cli-funnel']);
    const table = await cli('funnel', '--saved', 'cli-funnel');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/Product Viewed/);
    const del = await cli('funnel', '--delete', 'cli-funnel');
    expect(del.code).toBe(0);
    expect((await cli('funnel', '--delete', 'cli-funnel')).code).toBe(1);
    const human = await cli('journeys', 'top');
    expect(human.stdout).toMatch(/top paths to conversion/);
  });
});
