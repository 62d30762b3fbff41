/**
 * A path file sent over HTTP (POST /api/attribution/paths) gives the published numbers on
 * PathData, the same as `tributary attribute --paths`; a malformed file is answered with its line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, startTestServer, type TestServer } from '../helpers/server.ts';
import { runCli } from '../helpers/cli.ts';

const PATH_DATA = path.resolve(process.cwd(), '../shared/data/attribution/PathData.csv');
type Channel = { channel: string; conversions: number };
type Result = { model: string; conversionProbability: number | null; totalConversions: number; channels: Channel[] };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const post = (query: string, body: string, type = 'text/csv') =>
  server.api(`/api/attribution/paths${query}`, { method: 'POST', headers: { 'content-type': type }, body });

describe('POST /api/attribution/paths', () => {
  it('answers the exact order-1 Markov and last-touch numbers on PathData, with the comparison', async () => {
    const res = await post('?model=markov,last', fs.readFileSync(PATH_DATA, 'utf8'));
    expect(res.status).toBe(200);
    const body = await readJson(res);
    // 10,000 rows, 5,408 distinct paths (rows of the same path are added up).
    expect(body.paths).toBe(5408);
    expect(body.skipped).toEqual([]);
    const markov = body.results.find((r: Result) => r.model === 'markov') as Result;
    expect(markov.conversionProbability).toBeCloseTo(0.223845, 6);
    expect(markov.totalConversions).toBe(19785);
    const alpha = markov.channels.find((c) => c.channel === 'alpha')!;
    expect(Math.abs(alpha.conversions - 5344.95)).toBeLessThan(0.005 + 1e-6 * 5344.95);
    const last = body.results.find((r: Result) => r.model === 'last') as Result;
    expect(last.channels.find((c) => c.channel === 'eta')!.conversions).toBe(4167);
    expect(body.models).toEqual(['markov', 'last']);
    expect(body.rows.find((r: { channel: string }) => r.channel === 'eta').last).toBe(4167);
  });

  it('gives the same results as the CLI on the same file', async () => {
    const viaHttp = await readJson(await post('?model=all&order=2', fs.readFileSync(PATH_DATA, 'utf8')));
    const cli = await runCli('attribute', '--paths', PATH_DATA, '--model', 'all', '--order', '2', '--json');
    expect(cli.code).toBe(0);
    expect(viaHttp.results).toEqual(JSON.parse(cli.stdout).results);
    expect(viaHttp.skipped).toEqual([{ model: 'time-decay', reason: 'a path file has no touch times' }]);
  });

  it('says what is wrong: the line of a malformed row, options that do not apply, a body that is not text', async () => {
    const bad = await post('', 'path,total_conversions,total_conversion_value,total_null\nalpha > beta,1,10,0\nalpha,x,1,0\n');
    expect(bad.status).toBe(400);
    const error = (await readJson(bad)).error;
    expect(error.message).toMatch(/^path file line 3: /);
    expect(error.details).toEqual({ line: 3 });

    const lookback = await post('?lookback=30d&from=2024-01-01', 'path,total_conversions\nalpha,1\n');
    expect(lookback.status).toBe(400);
    expect((await readJson(lookback)).error.message).toBe('query: lookback, from are not options for a path file (its rows are journeys already)');

    const json = await post('', JSON.stringify({ path: 'alpha' }), 'application/json');
    expect(json.status).toBe(415);
  });
});

describe('tributary attribute --paths with a malformed file', () => {
  it('is a user error (exit code 1) naming the line', async () => {
    const file = path.join(server.dataDir, 'bad-paths.csv');
    fs.writeFileSync(file, 'path,total_conversions\nalpha,1\nbeta,-\n');
    const run = await runCli('attribute', '--paths', file);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error: path file line 3: /);
  });
});
