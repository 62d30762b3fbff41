import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { makeTestDataDir, removeTestDataDir } from '../helpers/server.ts';

const PATH_DATA = path.resolve(process.cwd(), '../shared/data/attribution/PathData.csv');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) removeTestDataDir(d);
});

describe('tributary attribute --paths', () => {
  it('prints the documented JSON with the exact order-1 Markov numbers on PathData', async () => {
    const run = await runCli('attribute', '--paths', PATH_DATA, '--model', 'markov,last', '--json');
    expect(run.code).toBe(0);
    const { results } = JSON.parse(run.stdout);
    const markov = results.find((r: { model: string }) => r.model === 'markov');
    expect(markov.conversionProbability).toBeCloseTo(0.223845, 6);
    expect(markov.totalConversions).toBe(19785);
    const alpha = markov.channels.find((c: { channel: string }) => c.channel === 'alpha');
    expect(Object.keys(alpha).sort()).toEqual(['channel', 'conversions', 'costPerConversion', 'removalEffect', 'roas', 'spend', 'value']);
    expect(Math.abs(alpha.conversions - 5344.95)).toBeLessThan(0.005 + 1e-6 * 5344.95);
    expect(alpha.spend).toBeNull();
    const last = results.find((r: { model: string }) => r.model === 'last');
    expect(last.channels.find((c: { channel: string }) => c.channel === 'eta').conversions).toBe(4167);
  });

  it('says clearly what is wrong with bad input', async () => {
    const missing = await runCli('attribute', '--paths', '/nonexistent/paths.csv');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such file');
    const order = await runCli('attribute', '--paths', PATH_DATA, '--order', '7');
    expect(order.code).toBe(1);
    expect(order.stderr).toContain('order');
    const lookback = await runCli('attribute', '--paths', PATH_DATA, '--lookback', '0d');
    expect(lookback.code).toBe(1);
    expect(lookback.stderr).toContain('lookback');
  });
});

describe('tributary demo --no-serve', () => {
  it('loads a small world once, then reuses it, and the store answers attribution with spend', async () => {
    const dataDir = path.join(makeTestDataDir(), 'demo');
    dirs.push(path.dirname(dataDir));
    const first = await runCli('demo', '--people', '400', '--days', '30', '--seed', '3', '--end-date', '2025-03-31', '--data', dataDir, '--no-serve', '--json');
    expect(first.code, first.stderr).toBe(0);
    const loaded = JSON.parse(first.stdout);
    expect(loaded.writeKey).toMatch(/^wk_/);
    const again = await runCli('demo', '--people', '400', '--days', '30', '--seed', '3', '--end-date', '2025-03-31', '--data', dataDir, '--no-serve', '--json');
    expect(JSON.parse(again.stdout).writeKey).toBe(loaded.writeKey);

    const events = JSON.parse((await runCli('events', '--data', dataDir, '--limit', '1', '--json')).stdout);
    expect(events.total).toBeGreaterThan(1000);
    const report = JSON.parse((await runCli('attribute', '--data', dataDir, '--model', 'last,markov', '--json')).stdout);
    const last = report.results.find((r: { model: string }) => r.model === 'last');
    expect(last.totalConversions).toBeGreaterThan(0);
    const credited = last.channels.reduce((s: number, c: { conversions: number }) => s + c.conversions, 0) + last.unattributed.conversions;
    expect(credited).toBeCloseTo(last.totalConversions, 9);
    expect(last.channels.some((c: { spend: number | null }) => (c.spend ?? 0) > 0)).toBe(true);
    const channels = new Set(last.channels.map((c: { channel: string }) => c.channel));
    for (const expected of ['Paid Search', 'Direct', 'Organic Search']) expect(channels.has(expected)).toBe(true);
  });
});
