import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.ts';
import { SERVER_FILE, startServer, type RunningServer } from '../../../src/server/index.ts';
import { makeTestDataDir, readJson, removeTestDataDir, TEST_ADMIN_TOKEN, TEST_WRITE_KEY } from '../../helpers/server.ts';
import { readRejects, runCli, summaryOf, writeInput } from './helpers.ts';

const T = '2024-05-01T12:00:00.000Z';
let dataDir: string;
let server: RunningServer;
const api = (p: string, init?: RequestInit) => fetch(server.url + p, { ...init, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...(init?.headers ?? {}) } });

beforeAll(async () => {
  dataDir = makeTestDataDir();
  // announce (the default) writes server.json: the CLI finds the server and goes through it.
  const config = loadConfig({ dataDir, port: 0, logLevel: 'silent', writeKey: TEST_WRITE_KEY, adminToken: TEST_ADMIN_TOKEN }, {});
  server = await startServer(config, { processingIntervalMs: 60_000 });
});
afterAll(async () => {
  await server.close();
  removeTestDataDir(dataDir);
});

describe('import through a running server', () => {
  it('sends NDJSON in chunks to the server, which stores the events and answers the rejects', async () => {
    expect(fs.existsSync(path.join(dataDir, SERVER_FILE))).toBe(true);
    // ~6 MB: two requests; the second chunk's line numbers continue the first's.
    const pad = 'x'.repeat(700);
    const lines: string[] = [];
    for (let i = 1; i <= 8000; i++) {
      lines.push(JSON.stringify(i === 7000 ? { type: 'track', userId: `s-${i}` } : { type: 'track', event: 'Viewed', userId: `s-${i}`, properties: { pad }, timestamp: T }));
    }
    lines.push('{broken');
    const file = writeInput(dataDir, 'through.ndjson', lines.join('\n') + '\n');
    const run = summaryOf(await runCli('import', 'events', file, '--data', dataDir, '--json'));
    expect(run).toEqual({ read: 8001, stored: 7999, duplicates: 0, rejected: 2, suppressed: 0, rejectsFile: `${file}.rejects.ndjson` });
    expect(readRejects(`${file}.rejects.ndjson`)).toEqual([
      { line: 7000, reason: 'event: is required', raw: JSON.stringify({ type: 'track', userId: 's-7000' }) },
      { line: 8001, reason: expect.stringMatching(/^line: is not valid JSON \(/), raw: '{broken' },
    ]);

    const page = await readJson(await api('/api/events?userId=s-1'));
    expect(page.total).toBe(1);
    expect(page.events[0]).toMatchObject({ type: 'track', event: 'Viewed', timestamp: T });
    const quarantine = await readJson(await api('/api/quarantine?limit=10'));
    expect(quarantine.messages.map((m: { origin: string; index: number }) => [m.origin, m.index]).sort()).toEqual([
      ['import:through.ndjson', 7000],
      ['import:through.ndjson', 8001],
    ]);

    const again = summaryOf(await runCli('import', 'events', file, '--data', dataDir, '--json'));
    expect(again).toMatchObject({ read: 8001, stored: 0, duplicates: 7999, rejected: 2 });
  });

  it('imports CSV events, spend and customers through the server, and lists the history', async () => {
    const events = writeInput(dataDir, 'through.csv', 'type,event,userId,timestamp,properties.revenue\ntrack,Order Completed,csv-1,2024-05-01T10:00:00Z,10\ntrack,,csv-2,2024-05-01T10:00:00Z,\n');
    expect(summaryOf(await runCli('import', 'events', events, '--data', dataDir, '--json'))).toMatchObject({ read: 2, stored: 1, rejected: 1 });
    expect(readRejects(`${events}.rejects.ndjson`)).toEqual([{ line: 3, reason: 'event: is required', raw: 'track,,csv-2,2024-05-01T10:00:00Z,' }]);

    const spend = writeInput(dataDir, 'spend.csv', 'date,channel,campaign,cost\n2024-05-01,google,brand,10\n2024-05-01,bing,,-1\n');
    expect(summaryOf(await runCli('import', 'spend', spend, '--data', dataDir, '--json'))).toMatchObject({ read: 2, stored: 1, rejected: 1 });
    expect(readRejects(`${spend}.rejects.ndjson`)).toEqual([{ line: 3, reason: 'spend: must not be negative', raw: '2024-05-01,bing,,-1' }]);

    const customers = writeInput(dataDir, 'crm.csv', 'external_id,email,order_id,order_date,revenue\nc9,c9@example.com,o-9,2024-05-04,20\n');
    expect(summaryOf(await runCli('import', 'customers', customers, '--data', dataDir, '--json'))).toMatchObject({ read: 1, stored: 2, rejected: 0 });
    const crm = await readJson(await api('/api/events?anonymousId=crm:c9'));
    expect(crm.events.map((e: { type: string }) => e.type).sort()).toEqual(['identify', 'track']);

    const history = await readJson(await api('/api/imports'));
    expect(history.imports.map((i: { kind: string; file: string; read: number; stored: number }) => [i.kind, i.file, i.read, i.stored])).toEqual([
      ['customers', 'crm.csv', 1, 2],
      ['spend', 'spend.csv', 2, 1],
      ['events', 'through.csv', 2, 1],
      ['events', 'through.ndjson', 8001, 0],
      ['events', 'through.ndjson', 8001, 7999],
    ]);
  });

  it('requires the admin token and answers 400 for a bad request', async () => {
    const unauthenticated = await fetch(server.url + '/api/import/events', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: '{}\n' });
    expect(unauthenticated.status).toBe(401);
    expect((await fetch(server.url + '/api/imports')).status).toBe(401);
    const badHeader = await api('/api/import/customers', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ file: 'x.csv', header: ['email'], rows: [] }),
    });
    expect(badHeader.status).toBe(400);
    expect((await readJson(badHeader)).error.message).toMatch(/an external_id column is required/);
    const badQuery = await api('/api/import/events?firstLine=0', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: '{}\n' });
    expect(badQuery.status).toBe(400);
  });
});
