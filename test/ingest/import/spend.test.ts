import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapSpendHeader, parseSpendRow } from '../../../src/ingest/index.ts';
import { removeTestDataDir } from '../../helpers/server.ts';
import { initDataDir, queryDataDir, readRejects, runCli, summaryOf, writeInput } from './helpers.ts';

describe('spend rows (pure)', () => {
  it('reads headers case-insensitively with aliases, and validates each field', () => {
    const columns = mapSpendHeader(['Date', 'Platform', 'Campaign Name', 'Cost', 'Impr', 'Clicks', 'Currency']);
    const row = (values: string[]) => parseSpendRow(columns, { line: 2, raw: '', values });
    expect(row(['2024-05-01', 'google', 'brand', '1,234.50', '10,000', '300', 'usd'])).toEqual({
      ok: true,
      value: { date: '2024-05-01', channel: 'google', campaign: 'brand', spend: 1234.5, impressions: 10000, clicks: 300, currency: 'USD' },
    });
    expect(row(['2024-05-01', 'email', '', '0', '', '', ''])).toEqual({
      ok: true,
      value: { date: '2024-05-01', channel: 'email', campaign: '', spend: 0, impressions: null, clicks: null, currency: null },
    });
    expect(row(['2024-05-01', 'google', 'x', '-1', '', '', ''])).toEqual({ ok: false, reason: 'spend: must not be negative' });
    expect(row(['05/01/2024', 'google', 'x', '1', '', '', ''])).toEqual({ ok: false, reason: 'date: must be a date YYYY-MM-DD' });
    expect(row(['2023-02-29', 'google', 'x', '1', '', '', ''])).toEqual({ ok: false, reason: 'date: is not a valid calendar date' });
    expect(row(['2024-05-01', '', 'x', 'abc', '1.5', '', 'dollars'])).toEqual({
      ok: false,
      reason: 'channel: is required; spend: must be a number, e.g. 1234.50; impressions: must be a whole number',
    });
    expect(() => mapSpendHeader(['day', 'campaign', 'clicks'])).toThrow(/channel, spend columns are required/);
  });
});

let dataDir: string;
beforeAll(async () => {
  ({ dataDir } = await initDataDir());
});
afterAll(() => {
  removeTestDataDir(dataDir);
});

const SPEND = [
  'date,channel,campaign,spend,impressions,clicks,currency',
  '2024-05-01,google,brand,120.50,10000,300,USD',
  '2024-05-01,facebook,,80,5000,120,USD',
  '2024-05-02,google,brand,-3,1,1,USD',
  '2024-02-30,google,brand,3,1,1,USD',
  '2024-05-01,google,brand,120.50,10000,300,USD',
  '2024-05-01,google,brand,99,10000,300,USD',
  '2024-05-02,google,brand,130,11000,310,USD',
].join('\n');

describe('tributary import spend', () => {
  it('stores valid rows, rejects bad ones with line numbers, counts repeats as duplicates', async () => {
    const file = writeInput(dataDir, 'spend.csv', SPEND + '\n');
    const run = summaryOf(await runCli('import', 'spend', file, '--data', dataDir, '--json'));
    expect(run).toEqual({ read: 7, stored: 3, duplicates: 1, rejected: 3, suppressed: 0, rejectsFile: `${file}.rejects.ndjson` });
    expect(readRejects(`${file}.rejects.ndjson`)).toEqual([
      { line: 4, reason: 'spend: must not be negative', raw: '2024-05-02,google,brand,-3,1,1,USD' },
      { line: 5, reason: 'date: is not a valid calendar date', raw: '2024-02-30,google,brand,3,1,1,USD' },
      { line: 7, reason: 'conflicts with line 2: same date, channel and campaign with other values', raw: '2024-05-01,google,brand,99,10000,300,USD' },
    ]);
    expect(await queryDataDir(dataDir, 'SELECT date::VARCHAR AS date, channel, campaign, spend, impressions, clicks, currency FROM spend ORDER BY date, channel')).toEqual([
      { date: '2024-05-01', channel: 'facebook', campaign: '', spend: 80, impressions: 5000, clicks: 120, currency: 'USD' },
      { date: '2024-05-01', channel: 'google', campaign: 'brand', spend: 120.5, impressions: 10000, clicks: 300, currency: 'USD' },
      { date: '2024-05-02', channel: 'google', campaign: 'brand', spend: 130, impressions: 11000, clicks: 310, currency: 'USD' },
    ]);
  });

  it('stores nothing twice on re-import, and a changed row replaces the stored one', async () => {
    const file = `${dataDir}/spend.csv`;
    expect(summaryOf(await runCli('import', 'spend', file, '--data', dataDir, '--json'))).toMatchObject({ read: 7, stored: 0, duplicates: 4, rejected: 3 });

    fs.writeFileSync(file, SPEND.replace('2024-05-01,facebook,,80,5000,120,USD', '2024-05-01,facebook,,85.25,5100,121,USD') + '\n');
    const run = await runCli('import', 'spend', file, '--data', dataDir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/spend\.csv\s+7\s+1\s+3\s+3/);
    expect(await queryDataDir(dataDir, `SELECT spend, impressions, clicks FROM spend WHERE channel = 'facebook'`)).toEqual([{ spend: 85.25, impressions: 5100, clicks: 121 }]);
    expect(await queryDataDir(dataDir, 'SELECT count(*) AS n FROM spend')).toEqual([{ n: 3 }]);
    const history = await queryDataDir<{ kind: string; stored_count: number; duplicate_count: number }>(
      dataDir,
      `SELECT kind, stored_count, duplicate_count FROM imports ORDER BY started_at`,
    );
    expect(history).toEqual([
      { kind: 'spend', stored_count: 3, duplicate_count: 1 },
      { kind: 'spend', stored_count: 0, duplicate_count: 4 },
      { kind: 'spend', stored_count: 1, duplicate_count: 3 },
    ]);
  });

  it('exits 1 when the header lacks a required column', async () => {
    const file = writeInput(dataDir, 'no-spend.csv', 'date,channel\n2024-05-01,google\n');
    const run = await runCli('import', 'spend', file, '--data', dataDir, '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stderr).error.message).toBe('header: spend column is required (found: date, channel)');
  });
});
