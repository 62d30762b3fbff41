/**
 * `generateDemoWorld`: a deterministic synthetic business with a planted causal truth.
 *
 * Two passes over the same per-person simulation. The first, inside `generateDemoWorld`, only
 * counts (no message objects are built) and yields everything that must be known up front: spend
 * rows, CRM rows and store orders, the truth table, the summary. The second runs lazily inside
 * `events()`: person by person it re-simulates from the same seed and yields that person's
 * messages, so memory stays at one person's messages however large the world is.
 */
import { mix32 } from './prng.ts';
import { simulatePerson } from './behaviour.ts';
import type { SegmentMessage } from './messages.ts';
import { generateOfflineOnly, type CustomerRow, type OfflineOrderRow } from './offline.ts';
import { buildSpendRows, createCampaignDayCounts, planMedia, type SpendRow } from './spend.ts';
import { NULL_SINK, type SimContext } from './state.ts';
import { buildSummary, WorldTally, type DemoSummary } from './summary.ts';
import { createMessageCounts } from './timeline.ts';
import { buildTruth, TruthTally, type DemoTruth } from './truth.ts';

export type DemoOptions = {
  /** Simulated online people (each visits at least once). Default 50,000. */
  people?: number;
  /** Days in the window, ending on endDate inclusive. Default 180. */
  days?: number;
  /** uint32 seed; the same seed (and options) gives byte-identical output. Default 42. */
  seed?: number;
  /** Last day of the window, 'YYYY-MM-DD' (UTC). The generator never reads the clock. */
  endDate?: string;
};

export type ResolvedDemoOptions = Required<DemoOptions>;

export const DEFAULT_DEMO_OPTIONS: ResolvedDemoOptions = { people: 50_000, days: 180, seed: 42, endDate: '2025-06-30' };

export type DemoWorld = {
  options: ResolvedDemoOptions;
  /**
   * All Segment messages, grouped by person (person 0 first) and in strictly increasing
   * timestamp order within a person — not globally time-ordered. Each call starts over.
   */
  events(): Generator<SegmentMessage, void, undefined>;
  /** One person's messages (0 ≤ index < people), identical to that person's slice of events(). */
  eventsForPerson(index: number): SegmentMessage[];
  spend: SpendRow[];
  customers: CustomerRow[];
  offlineOrders: OfflineOrderRow[];
  truth: DemoTruth;
  summary: DemoSummary;
};

const DAY_MS = 86_400_000;
const MAX_PEOPLE = 10_000_000;

/** Fills defaults and rejects values the generator cannot honour (RangeError with the reason). */
export function resolveDemoOptions(options: DemoOptions = {}): ResolvedDemoOptions {
  const resolved = { ...DEFAULT_DEMO_OPTIONS, ...stripUndefined(options) };
  const { people, days, seed, endDate } = resolved;
  if (!Number.isInteger(people) || people < 1 || people > MAX_PEOPLE) throw new RangeError(`people must be an integer in 1..${MAX_PEOPLE}, got ${people}`);
  if (!Number.isInteger(days) || days < 1 || days > 3660) throw new RangeError(`days must be an integer in 1..3660, got ${days}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer in 0..4294967295, got ${seed}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(endDate) || new Date(`${endDate}T00:00:00Z`).toISOString().slice(0, 10) !== endDate) {
    throw new RangeError(`endDate must be a valid YYYY-MM-DD date, got ${endDate}`);
  }
  return resolved;
}

function stripUndefined(options: DemoOptions): DemoOptions {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as DemoOptions;
}

function createContext(options: ResolvedDemoOptions): SimContext {
  const endMs = Date.parse(`${options.endDate}T00:00:00Z`);
  const startMs = endMs - (options.days - 1) * DAY_MS;
  const startWeekday = new Date(startMs).getUTCDay();
  const dates = Array.from({ length: options.days }, (_, d) => new Date(startMs + d * DAY_MS).toISOString().slice(0, 10));
  return {
    seed: options.seed,
    seedHash: mix32(options.seed ^ 0x1b873593),
    people: options.people,
    days: options.days,
    startMs,
    startWeekday,
    dates,
    plan: planMedia(options.seed, options.people, options.days, startWeekday),
  };
}

/**
 * Generates the demo world: runs the counting pass now (≈ a few seconds for the default 50k
 * people × 180 days) and returns the aggregates plus a lazy, repeatable `events()` stream.
 */
export function generateDemoWorld(options: DemoOptions = {}): DemoWorld {
  const resolved = resolveDemoOptions(options);
  const ctx = createContext(resolved);
  const counts = createMessageCounts();
  const truthTally = new TruthTally(ctx.days);
  const campaignDays = createCampaignDayCounts(ctx.days);
  const tally = new WorldTally(truthTally, campaignDays, counts);
  for (let i = 0; i < ctx.people; i++) simulatePerson(ctx, i, tally, null, counts);

  const { rows: spend, channelSpend } = buildSpendRows(ctx.plan, campaignDays, ctx.dates, ctx.seed, ctx.people);
  const offlineOnly = generateOfflineOnly(ctx.seed, ctx.people, ctx.dates);
  const customers = [...tally.customers, ...offlineOnly.customers];
  const offlineOrders = [...tally.offlineOrders, ...offlineOnly.orders];
  const truth = buildTruth(truthTally, [...ctx.dates], channelSpend);
  const summary = buildSummary({
    tally, people: ctx.people, days: ctx.days, seed: ctx.seed, dates: ctx.dates, channelSpend,
    customers, offlineOrders, offlineOnlyCustomers: offlineOnly.customers.length,
    incrementalConversions: truth.totals.incrementalConversions,
  });

  const eventsForPerson = (index: number): SegmentMessage[] => {
    if (!Number.isInteger(index) || index < 0 || index >= ctx.people) throw new RangeError(`person index out of range: ${index}`);
    const out: SegmentMessage[] = [];
    simulatePerson(ctx, index, NULL_SINK, out, createMessageCounts());
    return out;
  };
  function* events(): Generator<SegmentMessage, void, undefined> {
    for (let i = 0; i < ctx.people; i++) yield* eventsForPerson(i);
  }
  return { options: resolved, events, eventsForPerson, spend, customers, offlineOrders, truth, summary };
}
