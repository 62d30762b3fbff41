import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerRecord, mapCustomerHeader } from '../../../src/ingest/index.ts';
import { removeTestDataDir } from '../../helpers/server.ts';
import { initDataDir, queryDataDir, readRejects, runCli, summaryOf, writeInput } from './helpers.ts';
import { openerFor, revealed } from '../../helpers/sealed.ts';

const EXTERNAL_IDS = (id: string) => [{ id, type: 'crm_id', collection: 'users', encoding: 'none' }];

describe('customer rows (pure)', () => {
  const columns = mapCustomerHeader(['Customer ID', 'E-Mail', 'Phone', 'First Name', 'lastName', 'Loyalty Tier', 'Order ID', 'Order Date', 'Revenue', 'Currency', 'Store ID']);
  const record = (values: string[]) => customerRecord(columns, { line: 2, raw: '', values });

  it('turns a customer row into an identify of crm:<id>, and an order into an offline Order Completed', () => {
    const r = record(['c1', 'Jane@Example.com', '+1 555 0100', 'Jane', 'Doe', 'gold', 'o-1', '2024-05-02', '59.90', 'usd', 's-7']);
    expect(r.error).toBeNull();
    expect(r.messages).toEqual([
      {
        type: 'identify',
        anonymousId: 'crm:c1',
        traits: { email: 'Jane@Example.com', phone: '+1 555 0100', firstName: 'Jane', lastName: 'Doe', loyalty_tier: 'gold' },
        context: { externalIds: EXTERNAL_IDS('c1') },
        messageId: expect.stringMatching(/^crm-[0-9a-f]{32}$/),
      },
      {
        type: 'track',
        event: 'Order Completed',
        anonymousId: 'crm:c1',
        timestamp: '2024-05-02',
        properties: { order_id: 'o-1', revenue: 59.9, currency: 'USD', channel: 'offline', store_id: 's-7' },
        messageId: 'pos-o-1',
      },
    ]);
  });

  it('gives only the order for an order row without customer fields, and says what is wrong with a bad row', () => {
    expect(record(['c1', '', '', '', '', '', 'o-2', '2024-05-03T15:00:00Z', '12', '', '']).messages!.map((m) => m.type)).toEqual(['track']);
    expect(record(['c1', '', '', '', '', '', '', '', '', '', '']).messages!.map((m) => m.type)).toEqual(['identify']);
    expect(record(['', 'x@example.com', '', '', '', '', '', '', '', '', '']).error).toBe('external_id: is required');
    expect(record(['c1', '', '', '', '', '', 'o-3', '', '5', '', '']).error).toBe('order_date: is required for an order');
    expect(record(['c1', '', '', '', '', '', 'o-3', '03/05/2024', '5', '', '']).error).toMatch(/^order_date: must be a date/);
    expect(record(['c1', '', '', '', '', '', 'o-3', '2024-05-03', 'abc', '', '']).error).toBe('revenue: must be a number, e.g. 42.50');
    expect(record(['c1', '', '', '', '', '', '', '2024-05-03', '5', '', '']).error).toBe('order_id: is required when order_date or revenue is given');
    expect(() => mapCustomerHeader(['email', 'phone'])).toThrow(/an external_id column is required/);
  });
});

let dataDir: string;
let sourceId: string;
beforeAll(async () => {
  ({ dataDir, sourceId } = await initDataDir());
});
afterAll(() => {
  removeTestDataDir(dataDir);
});

const CUSTOMERS = [
  'external_id,email,phone,first_name,last_name,loyalty_tier,order_id,order_date,revenue,currency,store_id',
  'c1,jane@example.com,+15550100,Jane,Doe,gold,,,,,',
  'c1,,,,,,o-1,2024-05-02,59.90,USD,s-7',
  'c2,bob@example.com,,Bob,,silver,o-2,2024-05-03T15:00:00Z,12,EUR,s-1',
  ',x@example.com,,,,,,,,,',
  'c3,,,,,,o-3,2024-13-03,10,,',
  'c1,jane@example.com,+15550100,Jane,Doe,gold,,,,,',
].join('\n');

describe('tributary import customers', () => {
  it('stores identify and offline order events, rejects bad rows with line numbers', async () => {
    const file = writeInput(dataDir, 'customers.csv', CUSTOMERS + '\n');
    const run = summaryOf(await runCli('import', 'customers', file, '--data', dataDir, '--json'));
    // read counts rows; stored/duplicates count messages (rows 4 gives two, row 7 repeats row 2).
    expect(run).toEqual({ read: 6, stored: 4, duplicates: 1, rejected: 2, suppressed: 0, rejectsFile: `${file}.rejects.ndjson` });
    expect(readRejects(`${file}.rejects.ndjson`)).toEqual([
      { line: 5, reason: 'external_id: is required', raw: ',x@example.com,,,,,,,,,' },
      { line: 6, reason: 'order_date: is not a valid calendar date', raw: 'c3,,,,,,o-3,2024-13-03,10,,' },
    ]);
    const events = await queryDataDir<Record<string, unknown>>(
      dataDir,
      `SELECT type, event, anonymous_id, message_id, timestamp, channel, revenue, currency, source_id, traits, context FROM events ORDER BY type, anonymous_id, message_id`,
    );
    // Personal traits are stored sealed: only the keyring opens them again.
    const open = await openerFor(dataDir);
    const traits = events.slice(0, 2).map((e) => e.traits as string);
    for (const text of traits) expect(text).not.toMatch(/example\.com|Jane|Doe|Bob|5550100/);
    expect(JSON.parse(traits[0]).email).toMatchObject({ $k: 'email', $h: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(revealed(open, traits[0], 'traits')).toEqual({ email: 'jane@example.com', phone: '+15550100', firstName: 'Jane', lastName: 'Doe', loyalty_tier: 'gold' });
    expect(revealed(open, traits[1], 'traits')).toEqual({ email: 'bob@example.com', firstName: 'Bob', loyalty_tier: 'silver' });
    expect(events).toEqual([
      expect.objectContaining({ type: 'identify', anonymous_id: 'crm:c1', context: JSON.stringify({ externalIds: EXTERNAL_IDS('c1') }), source_id: sourceId }),
      expect.objectContaining({ type: 'identify', anonymous_id: 'crm:c2' }),
      expect.objectContaining({ type: 'track', event: 'Order Completed', anonymous_id: 'crm:c1', message_id: 'pos-o-1', timestamp: '2024-05-02T00:00:00.000Z', channel: 'offline', revenue: 59.9, currency: 'USD' }),
      expect.objectContaining({ type: 'track', event: 'Order Completed', anonymous_id: 'crm:c2', message_id: 'pos-o-2', timestamp: '2024-05-03T15:00:00.000Z', channel: 'offline', revenue: 12, currency: 'EUR' }),
    ]);
  });

  it('stores nothing twice when the same file is imported again', async () => {
    const run = summaryOf(await runCli('import', 'customers', `${dataDir}/customers.csv`, '--data', dataDir, '--json'));
    expect(run).toMatchObject({ read: 6, stored: 0, duplicates: 5, rejected: 2 });
    expect(await queryDataDir(dataDir, 'SELECT count(*) AS n FROM events')).toEqual([{ n: 4 }]);
    expect(await queryDataDir(dataDir, `SELECT count(*) AS n FROM quarantine WHERE origin = 'import:customers.csv'`)).toEqual([{ n: 2 }]);
  });
});
