import type { ImportService } from '../ingest/index.ts';
import type { CsvRow } from '../ingest/index.ts';
import { CHANNELS } from './catalog.ts';
import type { DemoWorld } from './world.ts';

export type DemoPhase = 'events' | 'spend' | 'customers';

export interface DemoLoadReport {
  readonly events: { read: number; stored: number; duplicates: number; rejected: number };
  readonly spendRows: number;
  readonly customerMessages: number;
  readonly ms: number;
}

/** NDJSON is handed to the import pipeline in pieces of about this size. */
const PIECE_BYTES = 4 * 1024 * 1024;

function csvRows(rows: ReadonlyArray<ReadonlyArray<string | number | undefined>>): CsvRow[] {
  return rows.map((values, i) => {
    const strings = values.map((v) => (v === undefined ? '' : String(v)));
    return { line: i + 2, raw: strings.join(','), values: strings };
  });
}

/**
 * Loads a generated world through the same import pipeline users run (validation, de-duplication
 * by messageId, the quarantine), so the demo exercises the real path: events as NDJSON, daily
 * spend by GA4 channel group and campaign, CRM customers with their store orders.
 */
export async function loadDemoWorld(
  imports: ImportService,
  world: DemoWorld,
  onProgress: (phase: DemoPhase, done: number, total: number) => void = () => undefined,
): Promise<DemoLoadReport> {
  const started = Date.now();
  const total = world.summary.messages;
  const session = await imports.startEventImport('events', { file: `demo-seed-${world.options.seed}.ndjson` }, () => undefined);
  let pending: string[] = [];
  let pendingBytes = 0;
  let done = 0;
  try {
    for (const message of world.events()) {
      const line = JSON.stringify(message);
      pending.push(line);
      pendingBytes += line.length + 1;
      done++;
      if (pendingBytes >= PIECE_BYTES) {
        await session.submitNdjson(Buffer.from(pending.join('\n') + '\n'));
        pending = [];
        pendingBytes = 0;
        onProgress('events', done, total);
      }
    }
    if (pending.length > 0) await session.submitNdjson(Buffer.from(pending.join('\n') + '\n'));
  } catch (err) {
    await session.abort();
    throw err;
  }
  const counts = await session.finish();
  onProgress('events', total, total);

  const groupOf = new Map(CHANNELS.map((c) => [c.id, c.group]));
  const spendHeader = ['date', 'channel', 'campaign', 'spend', 'impressions', 'clicks', 'currency'];
  const spend = await imports.importSpendRows(
    spendHeader,
    csvRows(world.spend.map((r) => [r.date, groupOf.get(r.channel as never) ?? r.channel, r.campaign, r.spend, r.impressions, r.clicks, r.currency])),
    { file: 'demo-spend.csv' },
  );
  onProgress('spend', world.spend.length, world.spend.length);

  const customerHeader = ['external_id', 'email', 'phone', 'first_name', 'last_name', 'city', 'country', 'loyalty_tier', 'order_id', 'order_date', 'revenue', 'currency', 'store_id'];
  const customerRows = world.customers.map((c) => [c.externalId, c.email, c.phone, c.firstName, c.lastName, c.traits.city, c.traits.country, c.traits.loyaltyTier]);
  const orderRows = world.offlineOrders.map((o) => [o.externalId, o.email, undefined, undefined, undefined, undefined, undefined, undefined, o.orderId, o.date, o.revenue, o.currency, o.storeId]);
  const customers = await imports.importCsvRows('customers', customerHeader, csvRows([...customerRows, ...orderRows]), { file: 'demo-customers.csv' });
  onProgress('customers', customerRows.length + orderRows.length, customerRows.length + orderRows.length);

  return {
    events: { read: counts.read, stored: counts.stored, duplicates: counts.duplicates, rejected: counts.rejected },
    spendRows: spend.stored + spend.duplicates,
    customerMessages: customers.stored + customers.duplicates,
    ms: Date.now() - started,
  };
}
