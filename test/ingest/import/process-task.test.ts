import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTask } from '../../../src/ingest/import/process-task.ts';
import type { ImportTask, TaskContext } from '../../../src/ingest/import/types.ts';
import { readCsvRows, splitAtLines } from '../../../src/ingest/index.ts';
import { makeTestDataDir, removeTestDataDir } from '../../helpers/server.ts';

let dir: string;
let ctx: TaskContext;
beforeAll(() => {
  dir = makeTestDataDir();
  ctx = { dir, sourceId: 'src_1', receivedAt: Date.UTC(2024, 4, 1), origin: 'import:t.ndjson', defaultType: null, suppression: null, sealing: null };
});
afterAll(() => {
  removeTestDataDir(dir);
});

const ndjson = (seq: number, parts: Array<string | Buffer>): ImportTask => ({
  ...ctx,
  kind: 'ndjson',
  seq,
  bytes: new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)))),
});

describe('runTask (the per-chunk work of a worker)', () => {
  it('numbers lines within the chunk, skips blank ones, reads CRLF and a BOM, and rejects invalid UTF-8', () => {
    const track = JSON.stringify({ type: 'track', event: 'A', userId: 'u1', messageId: 'm1' });
    const result = runTask(ndjson(0, ['\uFEFF' + track + '\r\n', '\n', '  \n', Buffer.from([0x7b, 0xff, 0x7d, 0x0a]), '[1]\n', JSON.stringify({ type: 'track', event: 'B', userId: 'u2' })]));
    expect(result).toMatchObject({ seq: 0, lines: 6, read: 4, accepted: 2 });
    expect(result.rejects.map((r) => [r.line, r.reason])).toEqual([
      [4, 'line: is not valid UTF-8'],
      [5, 'message: must be a JSON object, got an array'],
    ]);
    const staged = fs.readFileSync(result.eventsFile!, 'utf8');
    expect(staged.split('\n').filter((l) => l !== '')).toHaveLength(2);
    expect(staged.startsWith('16,\u0001m1\u0001,\u0001src_1\u0001,')).toBe(true);
    expect(fs.readFileSync(result.quarantineFile!, 'utf8')).toContain('\u0001import:t.ndjson\u0001,4,');
  });

  it('applies the API limit of 32 KB per message', () => {
    const big = JSON.stringify({ type: 'track', event: 'Big', userId: 'u', properties: { blob: 'x'.repeat(40_000) } });
    const result = runTask(ndjson(1, [big + '\n']));
    expect(result.accepted).toBe(0);
    expect(result.rejects[0].reason).toMatch(/^message: about \d+ bytes exceeds the limit of 32768 bytes$/);
    expect(result.rejects[0].raw.length).toBe(big.length);
  });

  it('stores all messages of a record or none, naming the message a reason is about', () => {
    const result = runTask({
      ...ctx,
      kind: 'records',
      seq: 2,
      records: [
        { line: 7, raw: 'row 7', messages: [{ type: 'identify', anonymousId: 'crm:1', messageId: 'i1' }, { type: 'track', event: 'Order Completed', anonymousId: 'crm:1', timestamp: 'soon', messageId: 'o1' }], error: null },
        { line: 8, raw: 'row 8', messages: null, error: 'external_id: is required' },
        { line: 9, raw: 'row 9', messages: [{ type: 'identify', anonymousId: 'crm:2', messageId: 'i2' }], error: null },
      ],
    });
    expect(result).toMatchObject({ lines: 0, read: 3, accepted: 1 });
    expect(result.rejects).toEqual([
      { line: 7, reason: expect.stringMatching(/^Order Completed: timestamp: must be an ISO-8601 date-time/), raw: 'row 7' },
      { line: 8, reason: 'external_id: is required', raw: 'row 8' },
    ]);
    expect(fs.readFileSync(result.eventsFile!, 'utf8').startsWith(`${9 * 16},\u0001i2\u0001`)).toBe(true);
  });
});

describe('input readers', () => {
  it('splits NDJSON at line boundaries', () => {
    const text = 'a'.repeat(10) + '\n' + 'b'.repeat(10) + '\n' + 'c'.repeat(30) + '\nd';
    const pieces = splitAtLines(Buffer.from(text), 15).map((p) => Buffer.from(p).toString());
    expect(pieces).toEqual(['a'.repeat(10) + '\n', 'b'.repeat(10) + '\n', 'c'.repeat(30) + '\n', 'd']);
  });

  it('numbers CSV rows by the line they start on and keeps unreadable ones', async () => {
    const file = path.join(dir, 'rows.csv');
    fs.writeFileSync(file, '\uFEFFa,b\r\n1,2\r\n\r\n3,"multi\r\nline"\r\n5,"never closed\r\n6,7\r\n');
    const batches = [];
    for await (const batch of readCsvRows(file)) batches.push(batch);
    expect(batches).toHaveLength(1);
    expect(batches[0].header).toEqual(['a', 'b']);
    expect(batches[0].rows.map((r) => [r.line, r.values, r.error ?? null])).toEqual([
      [2, ['1', '2'], null],
      [4, ['3', 'multi\r\nline'], null],
      [6, [], expect.stringMatching(/^row: Quote Not Closed/)],
    ]);
  });
});
