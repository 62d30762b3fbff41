/**
 * Fix and replay: rejected messages come out of the quarantine as NDJSON (personal data opened
 * for a reader allowed to see it), go back in through the import once fixed, and the quarantine
 * is cleared. Over HTTP on a running server, and with the CLI on the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDataDir, readJson, removeTestDataDir, send, startTestServer, type TestServer } from '../helpers/server.ts';
import { runCli } from '../helpers/cli.ts';
import { loadConfig } from '../../src/config/index.ts';
import { startServer } from '../../src/server/index.ts';

const BAD_TIME = { type: 'identify', userId: 'replay_u1', messageId: 'replay-1', timestamp: 'last tuesday', traits: { email: 'replay@example.com', plan: 'pro' } };
const NO_EVENT = { type: 'track', userId: 'replay_u2', messageId: 'replay-2', event: '', properties: { revenue: 12 } };
const GOOD = { type: 'track', userId: 'replay_u3', messageId: 'replay-3', event: 'Signed Up' };

describe('the quarantine over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    expect((await send(server, '/v1/batch', { batch: [BAD_TIME, GOOD, NO_EVENT] })).status).toBe(400);
    // A body that is not JSON is kept whole, and cannot be imported again.
    expect((await send(server, '/v1/track', 'event=x&userId=y')).status).toBe(400);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('exports the rejected messages as NDJSON, oldest first, personal data opened', async () => {
    const res = await server.api('/api/quarantine/export.ndjson');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = (await res.text()).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([BAD_TIME, NO_EVENT]);
  });

  it('takes the fixed messages back through the import, then clears the quarantine (both audited)', async () => {
    const exported = await (await server.api('/api/quarantine/export.ndjson')).text();
    const fixed = exported.replace('"last tuesday"', '"2024-05-07T10:00:00.000Z"').replace('"event":""', '"event":"Order Completed"');
    const imported = await server.api('/api/import/events?file=fixed.ndjson', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: fixed });
    expect(imported.status).toBe(200);
    expect(await readJson(imported)).toMatchObject({ stored: 2, rejected: 0 });
    const events = await readJson(await server.api('/api/events?userId=replay_u1'));
    expect(events.events).toHaveLength(1);
    expect(events.events[0]).toMatchObject({ messageId: 'replay-1', timestamp: '2024-05-07T10:00:00.000Z', traits: { email: 'replay@example.com', plan: 'pro' } });

    // Only those received before a time, then the rest.
    const none = await readJson(await server.api('/api/quarantine?before=2000-01-01', { method: 'DELETE' }));
    expect(none).toEqual({ deleted: 0 });
    const cleared = await readJson(await server.api('/api/quarantine', { method: 'DELETE' }));
    expect(cleared).toEqual({ deleted: 3 });
    expect((await readJson(await server.api('/api/quarantine'))).total).toBe(0);

    const audit = await readJson(await server.api('/api/audit?action=quarantine'));
    expect(audit.entries.map((e: { target: string; details: unknown }) => [e.target, e.details])).toEqual([
      ['all', { deleted: 3 }],
      ['2000-01-01', { deleted: 0 }],
    ]);
    // Each export is audited with what it held, the body that was not JSON counted as left out.
    const exports = await readJson(await server.api('/api/audit?action=export.quarantine'));
    expect(exports.entries.map((e: { details: unknown }) => e.details)).toEqual([
      { messages: 2, skipped: 1 },
      { messages: 2, skipped: 1 },
    ]);
  });

  it('says what is wrong with a bad date, and refuses roles without data access', async () => {
    const bad = await server.api('/api/quarantine/export.ndjson?before=soon');
    expect(bad.status).toBe(400);
    expect((await readJson(bad)).error.message).toMatch(/^before: must be a date/);
    const viewer = (await server.access.createToken('viewer', 'viewer')).token;
    const asViewer = await fetch(`${server.url}/api/quarantine/export.ndjson`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(asViewer.status).toBe(403);
    const analyst = (await server.access.createToken('analyst', 'analyst')).token;
    const clearAsAnalyst = await fetch(`${server.url}/api/quarantine`, { method: 'DELETE', headers: { authorization: `Bearer ${analyst}` } });
    expect(clearAsAnalyst.status).toBe(403);
  });
});

describe('tributary quarantine on the file', () => {
  const dataDir = makeTestDataDir();
  const source = path.join(dataDir, 'events.ndjson');
  const fixedFile = path.join(dataDir, 'fixed.ndjson');
  afterAll(() => removeTestDataDir(dataDir));

  it('lists rejected lines with the reason, exports them, imports them fixed and clears the quarantine', async () => {
    expect((await runCli('init', '--data', dataDir)).code).toBe(0);
    fs.writeFileSync(source, [GOOD, BAD_TIME, NO_EVENT].map((m) => JSON.stringify(m)).join('\n') + '\n');
    const first = await runCli('import', 'events', source, '--data', dataDir);
    expect(first.code).toBe(0);

    const list = await runCli('quarantine', 'list', '--data', dataDir, '--json');
    expect(list.code).toBe(0);
    const listed = JSON.parse(list.stdout);
    expect(listed.total).toBe(2);
    expect(listed.messages.map((m: { index: number; reason: string }) => [m.index, m.reason.split(':')[0]]).sort()).toEqual([
      [2, 'timestamp'],
      [3, 'event'],
    ]);
    const table = await runCli('quarantine', 'list', '--data', dataDir);
    expect(table.stdout).toContain('line 2');
    expect(table.stderr).toContain('2 of 2 rejected messages');

    const exported = await runCli('quarantine', 'export', '--data', dataDir, '--out', fixedFile);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toMatch(/^2 messages written to .*fixed\.ndjson\. Fix them, then: tributary import events <file>/);
    const text = fs.readFileSync(fixedFile, 'utf8');
    // Sealed in the store, opened in the export: the file is what was sent.
    expect(text.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual([BAD_TIME, NO_EVENT]);
    fs.writeFileSync(fixedFile, text.replace('"last tuesday"', '"2024-05-07T10:00:00.000Z"').replace('"event":""', '"event":"Order Completed"'));
    const second = await runCli('import', 'events', fixedFile, '--data', dataDir, '--json');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ stored: 2, rejected: 0 });

    const refused = await runCli('quarantine', 'clear', '--data', dataDir);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('add --yes');
    const bad = await runCli('quarantine', 'clear', '--data', dataDir, '--before', 'soon', '--yes');
    expect(bad.stderr).toContain('--before: "soon" is not a date');
    const cleared = await runCli('quarantine', 'clear', '--data', dataDir, '--yes', '--json');
    expect(JSON.parse(cleared.stdout)).toEqual({ deleted: 2 });
    expect(JSON.parse((await runCli('quarantine', 'list', '--data', dataDir, '--json')).stdout).total).toBe(0);
  });

  it('streams an export larger than a page, in the order the lines were read', async () => {
    const many = path.join(dataDir, 'many.ndjson');
    const bad = Array.from({ length: 2500 }, (_, i) => JSON.stringify({ type: 'track', event: 'No Id', messageId: `many-${i}`, properties: { n: i } }));
    fs.writeFileSync(many, bad.join('\n') + '\n');
    expect((await runCli('import', 'events', many, '--data', dataDir)).code).toBe(0);
    const out = path.join(dataDir, 'many-rejected.ndjson');
    const exported = await runCli('quarantine', 'export', '--data', dataDir, '--out', out);
    expect(exported.stderr).toMatch(/^2500 messages written/);
    const ids = fs.readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l).messageId);
    expect(ids).toEqual(bad.map((_, i) => `many-${i}`));

    // With a server holding the data directory, the CLI streams the same export from it.
    const server = await startServer(loadConfig({ dataDir, port: 0, logLevel: 'silent' }, {}), { processingIntervalMs: 60_000 });
    try {
      const viaServer = path.join(dataDir, 'many-via-server.ndjson');
      const run = await runCli('quarantine', 'export', '--data', dataDir, '--out', viaServer);
      expect(run.stderr).toMatch(/^2500 messages written/);
      expect(fs.readFileSync(viaServer, 'utf8')).toBe(fs.readFileSync(out, 'utf8'));
    } finally {
      await server.close();
    }
  });
});
