import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRecord, mapEventHeader } from '../../../src/ingest/index.ts';
import { removeTestDataDir } from '../../helpers/server.ts';
import { initDataDir, queryDataDir, readRejects, runCli, summaryOf, writeInput } from './helpers.ts';

describe('CSV events mapping (pure)', () => {
  it('maps dotted header paths to message fields, numbers in properties, and leaves empty cells out', () => {
    const paths = mapEventHeader(['type', 'event', 'user_id', 'anonymousId', 'timestamp', 'properties.revenue', 'properties.sku', 'context.campaign.source']);
    const record = eventRecord(paths, { line: 2, raw: 'r', values: ['track', 'Order Completed', 'u1', '', '2024-05-01T10:00:00Z', '42.50', '007', 'google'] }, null);
    expect(record.error).toBeNull();
    expect(record.messages).toEqual([
      {
        type: 'track',
        event: 'Order Completed',
        userId: 'u1',
        timestamp: '2024-05-01T10:00:00Z',
        properties: { revenue: 42.5, sku: '007' },
        context: { campaign: { source: 'google' } },
        messageId: expect.stringMatching(/^imp-[0-9a-f]{32}$/),
      },
    ]);
    // Same content → same id (re-import safe); different content → different id.
    const again = eventRecord(paths, { line: 9, raw: 'x', values: ['track', 'Order Completed', 'u1', '', '2024-05-01T10:00:00Z', '42.50', '007', 'google'] }, null);
    expect(again.messages![0].messageId).toBe(record.messages![0].messageId);
  });

  it('takes the default type, a JSON object column, and refuses unsafe or clashing headers', () => {
    const paths = mapEventHeader(['event', 'userId', 'properties']);
    const record = eventRecord(paths, { line: 3, raw: '', values: ['Signed Up', 'u2', '{"plan": "pro", "seats": 3}'] }, 'track');
    expect(record.messages![0]).toMatchObject({ type: 'track', event: 'Signed Up', properties: { plan: 'pro', seats: 3 } });
    expect(eventRecord(paths, { line: 4, raw: '', values: ['A', 'u', '{nope'] }, 'track').error).toMatch(/^properties: is not valid JSON/);
    expect(eventRecord(paths, { line: 5, raw: '', values: ['A', 'u'] }, 'track').error).toBe('row: has 2 fields, the header has 3');
    expect(() => mapEventHeader(['properties.__proto__.x'])).toThrow(/is not a field path/);
    expect(() => mapEventHeader(['properties', 'properties.revenue'])).toThrow(/both set properties/);
    expect(() => mapEventHeader(['userId', 'user_id'])).toThrow(/both set userId/);
    expect(() => mapEventHeader(['event', ' '])).toThrow(/column 2 has no name/);
  });
});

let dataDir: string;
beforeAll(async () => {
  ({ dataDir } = await initDataDir());
});
afterAll(() => {
  removeTestDataDir(dataDir);
});

const CSV = [
  'type,event,userId,anonymousId,timestamp,properties.revenue,properties.currency,context.campaign.source,context.campaign.medium',
  'track,Order Completed,u1,,2024-05-01T10:00:00Z,42.50,EUR,google,cpc',
  'page,,,a1,2024-05-01T10:01:00Z,,,newsletter,email',
  'track,,u2,,2024-05-01T10:02:00Z,,,,',
  'identify,,u3,,2024-13-01,,,,',
  'track,"Quoted, with ""comma""\nand a line break",u4,,2024-05-01T10:03:00Z,1e3,,,',
  'track,Short row',
  'track,Order Completed,u1,,2024-05-01T10:00:00Z,42.50,EUR,google,cpc',
].join('\n');

describe('tributary import events (CSV)', () => {
  it('imports rows mapped by the header, with CSV line numbers in the rejects', async () => {
    const file = writeInput(dataDir, 'events.csv', CSV + '\n');
    const run = summaryOf(await runCli('import', 'events', file, '--data', dataDir, '--json'));
    expect(run).toEqual({ read: 7, stored: 3, duplicates: 1, rejected: 3, suppressed: 0, rejectsFile: `${file}.rejects.ndjson` });
    expect(readRejects(`${file}.rejects.ndjson`)).toEqual([
      { line: 4, reason: 'event: is required', raw: 'track,,u2,,2024-05-01T10:02:00Z,,,,' },
      { line: 5, reason: 'timestamp: is not a valid calendar date-time', raw: 'identify,,u3,,2024-13-01,,,,' },
      { line: 8, reason: 'row: has 2 fields, the header has 9', raw: 'track,Short row' },
    ]);
    const events = await queryDataDir<Record<string, unknown>>(
      dataDir,
      `SELECT type, event, user_id, anonymous_id, revenue, currency, campaign_source, campaign_medium, properties FROM events ORDER BY timestamp`,
    );
    expect(events).toEqual([
      { type: 'track', event: 'Order Completed', user_id: 'u1', anonymous_id: null, revenue: 42.5, currency: 'EUR', campaign_source: 'google', campaign_medium: 'cpc', properties: '{"revenue":42.5,"currency":"EUR"}' },
      { type: 'page', event: null, user_id: null, anonymous_id: 'a1', revenue: null, currency: null, campaign_source: 'newsletter', campaign_medium: 'email', properties: null },
      { type: 'track', event: 'Quoted, with "comma"\nand a line break', user_id: 'u4', anonymous_id: null, revenue: 1000, currency: null, campaign_source: null, campaign_medium: null, properties: '{"revenue":1000}' },
    ]);
    const again = summaryOf(await runCli('import', 'events', file, '--data', dataDir, '--json'));
    expect(again).toMatchObject({ read: 7, stored: 0, duplicates: 4, rejected: 3 });
  });

  it('uses --type for rows without a type column, and --format csv for other extensions', async () => {
    const file = writeInput(dataDir, 'signups.txt', 'event,userId,timestamp\nSigned Up,u7,2024-05-02T08:00:00Z\n');
    const run = summaryOf(await runCli('import', 'events', file, '--data', dataDir, '--format', 'csv', '--type', 'track', '--json'));
    expect(run).toEqual({ read: 1, stored: 1, duplicates: 0, rejected: 0, suppressed: 0, rejectsFile: null });
    expect(await queryDataDir(dataDir, `SELECT type, event FROM events WHERE user_id = 'u7'`)).toEqual([{ type: 'track', event: 'Signed Up' }]);
  });

  it('exits 1 for a header that cannot be mapped, an unknown --type or --format', async () => {
    const file = writeInput(dataDir, 'bad-header.csv', 'event,properties,properties.revenue\nA,,1\n');
    const bad = await runCli('import', 'events', file, '--data', dataDir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('header: columns "properties" and "properties.revenue" both set properties');
    expect((await runCli('import', 'events', file, '--data', dataDir, '--type', 'nope')).stderr).toContain('--type: must be one of track');
    expect((await runCli('import', 'events', file, '--data', dataDir, '--format', 'xml')).code).toBe(1);
  });
});
