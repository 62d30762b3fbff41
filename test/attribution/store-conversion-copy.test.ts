/**
 * Journeys read conversions from the copy derive keeps (`conversion_events`) for those received up
 * to its last run and from `events` for later ones; an event no definition named when derive ran
 * is read from `events`. Each case is checked against the same query reading only `events`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbStore, EVENTS_TABLE, sql, type Store } from '../../src/store/index.ts';
import { normalizeMessage, validateMessage } from '../../src/ingest/index.ts';
import { DeriveService, readConversionCopy, saveConversionDefinition } from '../../src/channels/index.ts';
import { IdentityService, createIdentifierHasher } from '../../src/identity/index.ts';
import { attributeFromStore, loadPathAggregates, resolveJourneyQuery, type AttributionRequest, type JourneyQuery } from '../../src/attribution/index.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2025-03-01T09:00:00Z');
const RECEIVED = Date.parse('2025-06-01T00:00:00Z');
const at = (days: number, hours = 0) => new Date(T0 + days * DAY + hours * 3_600_000).toISOString();
let store: Store;
let seq = 0;

const page = (anonymousId: string, t: string, url: string) => ({ type: 'page', anonymousId, timestamp: t, context: { page: { url, referrer: '' } } });
const track = (userId: string, event: string, t: string, properties: Record<string, unknown>) => ({ type: 'track', userId, event, timestamp: t, properties });
const order = (userId: string, t: string, revenue: number) => track(userId, 'Order Completed', t, { revenue, currency: 'EUR' });

async function ingest(messages: object[], receivedAt: number): Promise<void> {
  const rows = messages.map((m) => {
    const checked = validateMessage({ messageId: `c${seq++}`, ...m });
    if (!checked.ok) throw new Error(checked.reason);
    return normalizeMessage(checked.value, { sourceId: 'src_test', receivedAt }).row;
  });
  await store.append(EVENTS_TABLE, rows);
}

async function processAll(): Promise<void> {
  await new IdentityService(store, { mergeDistinctUserIds: false, maxPeoplePerIdentifier: 10, hash: createIdentifierHasher('test-secret-0123456789') }).processNewEvents();
  await new DeriveService(store).processNewEvents();
}

const query: JourneyQuery = { conversionEvent: 'Order Completed', valueProperty: 'revenue', lookbackDays: 30, from: null, to: null, granularity: 'channel', includeNulls: true };
const request: AttributionRequest = { models: ['last'], order: 1, includeNulls: true, lookbackDays: 30, from: null, to: null, granularity: 'channel', conversion: null, halfLifeDays: 7 };

/** Path → [conversions, value, nulls], for comparing two loads. */
async function pathsOf(q: JourneyQuery): Promise<Record<string, number[]>> {
  const paths = await loadPathAggregates(store, q);
  return Object.fromEntries(paths.map((p) => [p.path.join(' > '), [p.conversions, p.value, p.nulls]]));
}

const copiedRows = async () =>
  store.query<{ message_id: string; event: string }>(sql`SELECT message_id, event FROM conversion_events ORDER BY message_id`);

beforeAll(async () => {
  store = await DuckDbStore.open({ path: ':memory:' });
  await ingest(
    [
      page('a1', at(1), 'https://shop.example.com/?utm_source=google&utm_medium=cpc'),
      { type: 'identify', anonymousId: 'a1', userId: 'u1', timestamp: at(1, 1) },
      order('u1', at(2), 40),
      page('a2', at(3), 'https://shop.example.com/?utm_source=newsletter&utm_medium=email'),
      { type: 'identify', anonymousId: 'a2', userId: 'u2', timestamp: at(3, 1) },
      track('u2', 'Signed Up', at(3, 2), { value: 5 }),
      order('u2', at(4), 60),
      page('a3', at(6), 'https://shop.example.com/?utm_source=facebook&utm_medium=paid_social'),
    ],
    RECEIVED,
  );
  await processAll();
});
afterAll(async () => {
  await store.close();
});

describe('conversions from the copy derive keeps', () => {
  it('copies the conversion events, and journeys read the same from the copy as from the events', async () => {
    expect((await copiedRows()).map((r) => r.event)).toEqual(['Order Completed', 'Order Completed']);
    expect(await readConversionCopy(store)).toEqual({ events: ['Order Completed'], through: RECEIVED });
    const { query: resolved } = await resolveJourneyQuery(store, request);
    expect(resolved.conversionsCopiedThrough).toBe(RECEIVED);
    const fromCopy = await pathsOf(query);
    expect(fromCopy).toEqual({ 'Paid Search': [1, 40, 0], Email: [1, 60, 0], 'Paid Social': [0, 0, 1] });
    expect(fromCopy).toEqual(await pathsOf({ ...query, conversionsCopiedThrough: null }));
  });

  it('counts an order received after derive ran, from the events', async () => {
    await ingest([order('u1', at(5), 25)], RECEIVED + 60_000);
    const paths = await pathsOf(query);
    // u1's second order has no touch after the first one: an empty path.
    expect(paths).toEqual({ 'Paid Search': [1, 40, 0], Email: [1, 60, 0], 'Paid Social': [0, 0, 1], '': [1, 25, 0] });
    expect(paths).toEqual(await pathsOf({ ...query, conversionsCopiedThrough: null }));
    await processAll();
    expect((await copiedRows()).length).toBe(3);
    expect(await pathsOf(query)).toEqual(paths);
  });

  it('reads a new definition from the events until derive copies it', async () => {
    await saveConversionDefinition(store, { name: 'Sign-up', event: 'Signed Up', valueProperty: 'value' });
    const signUp = { ...request, conversion: 'Sign-up' };
    expect((await resolveJourneyQuery(store, signUp)).query.conversionsCopiedThrough).toBeNull();
    const before = await attributeFromStore(store, signUp);
    expect(before.results[0]).toMatchObject({ totalConversions: 1, totalValue: 5 });
    expect(before.results[0].channels.find((c) => c.channel === 'Email')?.conversions).toBe(1);
    await processAll();
    expect((await readConversionCopy(store))?.events).toEqual(['Order Completed', 'Signed Up']);
    expect((await copiedRows()).map((r) => r.event).sort()).toEqual(['Order Completed', 'Order Completed', 'Order Completed', 'Signed Up']);
    const { query: resolved } = await resolveJourneyQuery(store, signUp);
    expect(resolved.conversionsCopiedThrough).not.toBeNull();
    expect((await attributeFromStore(store, signUp)).results).toEqual(before.results);
  });

  it('drops the copies of events gone past the retention period, and a rebuild copies the same rows', async () => {
    await store.exec(sql`DELETE FROM events WHERE timestamp < ${new Date(at(3))}`);
    await processAll();
    const left = await copiedRows();
    expect(left.map((r) => r.event).sort()).toEqual(['Order Completed', 'Order Completed', 'Signed Up']);
    expect(await pathsOf(query)).toEqual(await pathsOf({ ...query, conversionsCopiedThrough: null }));
    await new DeriveService(store).rebuild();
    expect(await copiedRows()).toEqual(left);
  });
});
