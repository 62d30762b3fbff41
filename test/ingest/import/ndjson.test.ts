import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTestDataDir } from '../../helpers/server.ts';
import { initDataDir, queryDataDir, readRejects, runCli, summaryOf, writeInput } from './helpers.ts';

const T = '2024-05-01T12:00:00.000Z';
const line = (m: Record<string, unknown>): string => JSON.stringify(m);

/** Lines 1-9; 2, 4 (invalid JSON), 6, 7 are rejected; 3 is blank; 9 repeats 1's messageId. */
const MIXED = [
  line({ type: 'track', event: 'Order Completed', userId: 'u1', messageId: 'm-1', timestamp: T, properties: { revenue: 42.5, currency: 'EUR' } }),
  line({ type: 'track', userId: 'u2', messageId: 'm-2' }),
  '',
  '{"type": "page", "anonymousId": ',
  line({ type: 'page', anonymousId: 'a1', name: 'Home', timestamp: T, context: { campaign: { source: 'google', medium: 'cpc' } } }),
  line({ type: 'identify', messageId: 'm-6' }),
  line({ type: 'teleport', userId: 'u3' }),
  line({ type: 'identify', userId: 'u4', traits: { email: 'jane@example.com' }, timestamp: T }),
  line({ type: 'track', event: 'Order Completed', userId: 'u1', messageId: 'm-1', timestamp: T }),
].join('\r\n');

let dataDir: string;
let sourceId: string;
beforeAll(async () => {
  ({ dataDir, sourceId } = await initDataDir());
});
afterAll(() => {
  removeTestDataDir(dataDir);
});

describe('tributary import events (NDJSON, no server)', () => {
  it('stores valid lines, lists rejects with line numbers and reasons, and quarantines them', async () => {
    const file = writeInput(dataDir, 'mixed.ndjson', MIXED);
    const run = await runCli('import', 'events', file, '--data', dataDir, '--json');
    expect(summaryOf(run)).toEqual({ read: 8, stored: 3, duplicates: 1, rejected: 4, suppressed: 0, rejectsFile: `${file}.rejects.ndjson` });

    expect(readRejects(`${file}.rejects.ndjson`)).toEqual([
      { line: 2, reason: 'event: is required', raw: line({ type: 'track', userId: 'u2', messageId: 'm-2' }) },
      { line: 4, reason: expect.stringMatching(/^line: is not valid JSON \(/), raw: '{"type": "page", "anonymousId": ' },
      { line: 6, reason: 'userId or anonymousId: one of them is required', raw: line({ type: 'identify', messageId: 'm-6' }) },
      { line: 7, reason: expect.stringMatching(/^type: unknown message type "teleport"/), raw: line({ type: 'teleport', userId: 'u3' }) },
    ]);

    const quarantine = await queryDataDir<{ origin: string; message_index: number; message_id: string | null; reason: string; source_id: string }>(
      dataDir,
      `SELECT origin, message_index, message_id, reason, source_id FROM quarantine ORDER BY message_index`,
    );
    expect(quarantine.map((q) => [q.origin, q.message_index, q.message_id, q.source_id])).toEqual([
      ['import:mixed.ndjson', 2, 'm-2', sourceId],
      ['import:mixed.ndjson', 4, null, sourceId],
      ['import:mixed.ndjson', 6, 'm-6', sourceId],
      ['import:mixed.ndjson', 7, expect.stringMatching(/^imp-[0-9a-f]{32}$/), sourceId],
    ]);
    expect(quarantine[0].reason).toBe('event: is required');

    const events = await queryDataDir<{ message_id: string; type: string; timestamp: string; revenue: number | null; campaign_source: string | null }>(
      dataDir,
      `SELECT message_id, type, timestamp, revenue, campaign_source FROM events ORDER BY type, message_id`,
    );
    expect(events).toEqual([
      { message_id: expect.stringMatching(/^imp-[0-9a-f]{32}$/), type: 'identify', timestamp: T, revenue: null, campaign_source: null },
      { message_id: expect.stringMatching(/^imp-[0-9a-f]{32}$/), type: 'page', timestamp: T, revenue: null, campaign_source: 'google' },
      { message_id: 'm-1', type: 'track', timestamp: T, revenue: 42.5, campaign_source: null },
    ]);
  });

  it('stores nothing twice when the same file is imported again', async () => {
    const file = path.join(dataDir, 'mixed.ndjson');
    const first = await queryDataDir<{ n: number }>(dataDir, 'SELECT count(*) AS n FROM events');
    const again = summaryOf(await runCli('import', 'events', file, '--data', dataDir, '--json'));
    // Every accepted line is now a duplicate: the 3 stored before and the repeated m-1.
    expect(again).toMatchObject({ read: 8, stored: 0, duplicates: 4, rejected: 4 });
    expect(await queryDataDir(dataDir, 'SELECT count(*) AS n FROM events')).toEqual(first);
    expect(await queryDataDir(dataDir, 'SELECT count(*) AS n FROM quarantine')).toEqual([{ n: 4 }]);
    expect(readRejects(`${file}.rejects.ndjson`).map((r) => r.line)).toEqual([2, 4, 6, 7]);
  });

  it('applies --type to messages without one, and derives ids from the line', async () => {
    const file = writeInput(dataDir, 'typed.ndjson', `${line({ event: 'Signed Up', userId: 'u9', timestamp: T })}\n${line({ name: 'Pricing', anonymousId: 'a9' })}\n`);
    const run = summaryOf(await runCli('import', 'events', file, '--data', dataDir, '--type', 'track', '--source', sourceId, '--json'));
    expect(run).toEqual({ read: 2, stored: 1, duplicates: 0, rejected: 1, suppressed: 0, rejectsFile: `${file}.rejects.ndjson` });
    expect(readRejects(`${file}.rejects.ndjson`)).toEqual([{ line: 2, reason: 'event: is required', raw: line({ name: 'Pricing', anonymousId: 'a9' }) }]);
    const [stored] = await queryDataDir<{ type: string; event: string }>(dataDir, `SELECT type, event FROM events WHERE user_id = 'u9'`);
    expect(stored).toEqual({ type: 'track', event: 'Signed Up' });
  });

  it('removes a stale rejects file when a run has nothing to reject, and prints a table without --json', async () => {
    const file = writeInput(dataDir, 'clean.ndjson', line({ type: 'track', event: 'A', userId: 'u10', messageId: 'clean-1' }) + '\n');
    fs.writeFileSync(`${file}.rejects.ndjson`, '{"line":1}\n');
    const run = await runCli('import', 'events', file, '--data', dataDir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^file\s+read\s+stored\s+duplicates\s+rejected\s+suppressed\n/);
    expect(run.stdout).toMatch(/clean\.ndjson\s+1\s+1\s+0\s+0\s+0\n$/);
    expect(fs.existsSync(`${file}.rejects.ndjson`)).toBe(false);
  });

  it('exits 1 with a clear message when the file is missing or the data directory is not initialised', async () => {
    const missing = await runCli('import', 'events', path.join(dataDir, 'nope.ndjson'), '--data', dataDir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`cannot read ${path.join(dataDir, 'nope.ndjson')}: no such file`);
    const empty = path.join(dataDir, 'not-a-data-dir');
    const notInit = await runCli('import', 'events', path.join(dataDir, 'clean.ndjson'), '--data', empty, '--json');
    expect(notInit.code).toBe(1);
    expect(JSON.parse(notInit.stderr).error.message).toContain('is not a Tributary data directory');
    expect(fs.existsSync(empty)).toBe(false);
    const unknownSource = await runCli('import', 'events', path.join(dataDir, 'clean.ndjson'), '--data', dataDir, '--source', 'src_nope');
    expect(unknownSource.code).toBe(1);
    expect(unknownSource.stderr).toContain('source src_nope: no such source');
  });

  it('parses large files on worker threads with the same results (line numbers across chunks)', async () => {
    // ~6 MB: two 4 MB chunks, parsed by the pool; a reject in each chunk.
    const lines: string[] = [];
    const pad = 'x'.repeat(700);
    for (let i = 1; i <= 8000; i++) {
      lines.push(i % 3001 === 0 ? line({ type: 'track', userId: `big-${i}` }) : line({ type: 'track', event: 'Viewed', userId: `big-${i}`, properties: { pad }, timestamp: T }));
    }
    const file = writeInput(dataDir, 'big.ndjson', lines.join('\n') + '\n');
    expect(fs.statSync(file).size).toBeGreaterThan(5 * 1024 * 1024);
    const run = summaryOf(await runCli('import', 'events', file, '--data', dataDir, '--json'));
    expect(run).toMatchObject({ read: 8000, stored: 7998, duplicates: 0, rejected: 2 });
    expect(readRejects(`${file}.rejects.ndjson`).map((r) => [r.line, r.reason])).toEqual([
      [3001, 'event: is required'],
      [6002, 'event: is required'],
    ]);
    expect(await queryDataDir(dataDir, `SELECT count(*) AS n FROM events WHERE user_id LIKE 'big-%'`)).toEqual([{ n: 7998 }]);
  });

  it('records each run in the import history', async () => {
    const rows = await queryDataDir<{ kind: string; file: string; read_count: number; stored_count: number; duplicate_count: number; rejected_count: number }>(
      dataDir,
      `SELECT kind, file, read_count, stored_count, duplicate_count, rejected_count FROM imports WHERE file = 'mixed.ndjson' ORDER BY started_at`,
    );
    expect(rows).toEqual([
      { kind: 'events', file: 'mixed.ndjson', read_count: 8, stored_count: 3, duplicate_count: 1, rejected_count: 4 },
      { kind: 'events', file: 'mixed.ndjson', read_count: 8, stored_count: 0, duplicate_count: 4, rejected_count: 4 },
    ]);
  });

  it('works end to end as a child process (bin/tributary.js)', async () => {
    const file = writeInput(dataDir, 'child.ndjson', line({ type: 'track', event: 'Child', userId: 'c1', messageId: 'child-1' }) + '\nnot json\n');
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['bin/tributary.js', 'import', 'events', file, '--data', dataDir, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.on('error', reject);
      child.on('exit', (code) => resolve({ code, stdout }));
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ read: 2, stored: 1, duplicates: 0, rejected: 1, suppressed: 0, rejectsFile: `${file}.rejects.ndjson` });
  });
});
