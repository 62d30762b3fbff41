/**
 * Demo world generation speed: the up-front counting pass (truth, spend, CRM, summary) and the
 * streaming pass (every Segment message built), for the default world unless told otherwise.
 * Prints totals, events/s, peak heap while streaming (it must stay flat: the stream holds one
 * person at a time) and the ratio to the 20 s budget for the default world on one core.
 *
 *   node --import tsx bench/demo-generate.bench.ts [--people 50000 --days 180 --seed 42 --json]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { generateDemoWorld } from '../src/demo/index.ts';

const BUDGET_MS = 20_000;

const { values: args } = parseArgs({
  options: {
    people: { type: 'string', default: '50000' },
    days: { type: 'string', default: '180' },
    seed: { type: 'string', default: '42' },
    json: { type: 'boolean', default: false },
  },
});

const t0 = performance.now();
const world = generateDemoWorld({ people: Number(args.people), days: Number(args.days), seed: Number(args.seed) });
const t1 = performance.now();
let events = 0;
let bytes = 0;
let peakHeap = 0;
for (const message of world.events()) {
  events++;
  // Serialise a sample only: the consumer's JSON cost is not the generator's.
  if ((events & 63) === 0) bytes += JSON.stringify(message).length * 64;
  if ((events & 0xffff) === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}
const t2 = performance.now();

const s = world.summary;
const figures = {
  people: s.people,
  days: s.days,
  events,
  approxJsonMegabytes: Math.round(bytes / 1e6),
  sessions: s.sessions,
  customers: s.customers,
  orders: s.orders,
  revenue: s.revenue,
  conversionRate: s.conversionRate,
  averageOrderValue: s.averageOrderValue,
  repeatCustomerShare: s.repeatCustomerShare,
  mobileSessionShare: s.mobileSessionShare,
  incrementalConversions: world.truth.totals.incrementalConversions,
  spend: s.spend,
  spendRows: world.spend.length,
  crmCustomers: s.crmCustomers,
  offlineOrders: s.offlineOrders,
  countingPassMs: Math.round(t1 - t0),
  streamingPassMs: Math.round(t2 - t1),
  totalMs: Math.round(t2 - t0),
  eventsPerSecond: Math.round(events / ((t2 - t1) / 1000)),
  peakHeapMegabytes: Math.round(peakHeap / 1e6),
  ratioToBudget: Math.round(((t2 - t0) / BUDGET_MS) * 100) / 100,
};

if (args.json) {
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} else {
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  for (const [key, value] of Object.entries(figures)) process.stdout.write(`${key.padEnd(width)}  ${value}\n`);
  process.stdout.write(`\ntotal ${(figures.totalMs / 1000).toFixed(1)} s = ${figures.ratioToBudget} × the ${BUDGET_MS / 1000} s budget (default world, one core)\n`);
}
