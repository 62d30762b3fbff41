/**
 * Funnels and paths on 10M rows: the product's 4-step, 7-day funnel (the SQL `tributary funnel`
 * runs) against the best hand-written DuckDB SQL for the same question in the same run, and the
 * top-paths query over 10M touch rows.
 *
 *   node --import tsx bench/analytics-funnels.bench.ts [--events 10000000] [--touches 10000000] [--runs 5]
 *
 * Events are generated in SQL, stored ordered by person and time: ~2M people each following a
 * shop visit pattern (home page, product views, add to cart, cart page, checkout, order, …) cut
 * after 1–9 events, with 20% of events replaced by other events; 40% of people identified (their
 * user and anonymous ids in the identity table, so the person mapping joins real rows).
 * Touches are generated like bench/attribution-store.bench.ts. Targets on this machine: funnel
 * ≤ 1.5 s and ≤ 1.5× the hand-written SQL; top paths ≤ 2.5 s. Figures are best-of-runs wall
 * time, with the process CPU time beside it (the machine has 2 cores; other work inflates wall).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDbStore, raw, type Sql, type Store } from '../src/store/index.ts';
import { journeysQuerySchema, parseFunnelDefinition, runFunnel, topPathsFromStore, type FunnelReport } from '../src/analytics/index.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '10000000' }, touches: { type: 'string', default: '10000000' }, runs: { type: 'string', default: '5' } } });
const EVENTS = Number(values.events);
const TOUCHES = Number(values.touches);
const RUNS = Math.max(1, Number(values.runs));
const STEPS = ['Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed'];
const WINDOW_MS = 7 * 86_400_000;

const fmt = (n: number) => n.toLocaleString('en-US');
const secs = (ms: number) => (ms / 1000).toFixed(2);

interface Timed<T> {
  wallMs: number;
  cpuMs: number;
  result: T;
}

async function once<T>(fn: () => Promise<T>): Promise<Timed<T>> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await fn();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, result };
}

const better = <T>(a: Timed<T> | null, b: Timed<T>): Timed<T> => (a === null || b.wallMs < a.wallMs ? b : a);

async function best<T>(fn: () => Promise<T>): Promise<Timed<T>> {
  let out: Timed<T> | null = null;
  for (let i = 0; i < RUNS; i++) out = better(out, await once(fn));
  return out!;
}

/** Best of RUNS for two queries, run alternately so both meet the same load on a shared machine. */
async function bestPair<A, B>(a: () => Promise<A>, b: () => Promise<B>): Promise<[Timed<A>, Timed<B>]> {
  let x: Timed<A> | null = null;
  let y: Timed<B> | null = null;
  for (let i = 0; i < RUNS; i++) {
    x = better(x, await once(a));
    y = better(y, await once(b));
  }
  return [x!, y!];
}

async function freshStore(dir: string, name: string): Promise<Store> {
  return DuckDbStore.open({ path: path.join(dir, name) });
}

/** ~EVENTS events of ~EVENTS/5 people, ordered by person and time. */
async function generateEvents(store: Store): Promise<void> {
  const people = Math.round(EVENTS / 5);
  const pattern = (xs: Array<string | null>) => `[${xs.map((x) => (x === null ? 'NULL' : `'${x}'`)).join(',')}]`;
  await store.exec(
    raw(`
    INSERT INTO events (message_id, source_id, type, event, name, anonymous_id, user_id, timestamp, received_at, properties)
    SELECT 'm' || p || '-' || k, 'src_bench',
      CASE WHEN noise THEN 'track' ELSE ${pattern(['page', 'track', 'track', 'track', 'page', 'track', 'track', 'page', 'track'])}[k] END,
      CASE WHEN noise THEN ${pattern(['Product List Viewed', 'Signed In', 'Cart Viewed', 'Product Viewed', 'Coupon Applied'])}[1 + (hash(p, k, 2) % 5)::INT]
           ELSE ${pattern([null, 'Product Viewed', 'Product Viewed', 'Product Added', null, 'Checkout Started', 'Order Completed', null, 'Signed In'])}[k] END,
      CASE WHEN noise THEN NULL ELSE ${pattern(['Home', null, null, null, 'Cart', null, null, 'Confirmation', null])}[k] END,
      'a' || p, CASE WHEN p % 5 < 2 AND k >= 3 THEN 'u' || p END,
      TIMESTAMP '2025-01-01' + to_seconds((p * 7919 % 150) * 86400 + k * (600 + hash(p) % 172800) + hash(p, k) % 600),
      TIMESTAMP '2025-06-01', '{"category":"' || ${pattern(['shoes', 'hats', 'shirts'])}[1 + (hash(p) % 3)::INT] || '"}'
    FROM (SELECT p, k, hash(p, k, 1) % 100 < 20 AS noise FROM range(${people}) r(p), range(1, 10) s(k) WHERE k <= 1 + hash(p) % 9)
    ORDER BY p, k`),
  );
  await store.exec(
    raw(`
    INSERT INTO identities
    SELECT kind, value, 'p_' || md5(p::VARCHAR)[1:16], TIMESTAMP '2025-01-01', 'bench', 1
    FROM range(${people}) r(p), (VALUES ('user_id', 'u'), ('anonymous_id', 'a')) k(kind, prefix), LATERAL (SELECT prefix || p AS value)
    WHERE p % 5 < 2`),
  );
  await store.exec(raw('CHECKPOINT'));
}

/**
 * The best hand-written SQL found for the same question (first Product Viewed per person, then
 * each step's first event after the previous one within 7 days of it; counts and median/p90
 * seconds between steps), with the same person mapping written out inline. Tried and slower on
 * this data: a list per step (+15% CPU), pre-aggregating per device before the person mapping
 * (+20%), a window over the person's events.
 */
function handWrittenSql(): Sql {
  const w = WINDOW_MS;
  // One list per person of ts << 4 | step bit (cheaper than a list per step), filtered by lambdas.
  const first = (bit: number, after: string) => `(list_min(list_filter(codes, c -> (c & ${bit}) <> 0 AND (c >> 4) > ${after} AND (c >> 4) <= t1 + ${w})) >> 4)`;
  return raw(`
    WITH m AS (
      SELECT hash(coalesce(iu.person_id, CASE WHEN fa.value IS NULL THEN ia.person_id END, 'user:' || e.user_id, 'anon:' || e.anonymous_id)) AS person,
        epoch_ms(e.timestamp) AS ts,
        CASE e.event WHEN 'Product Viewed' THEN 1 WHEN 'Product Added' THEN 2 WHEN 'Checkout Started' THEN 4 ELSE 8 END AS step
      FROM events e
      LEFT JOIN identities iu ON iu.kind = 'user_id' AND iu.value = e.user_id
      LEFT JOIN identities ia ON ia.kind = 'anonymous_id' AND ia.value = e.anonymous_id
      LEFT JOIN identity_flags fa ON fa.kind = 'anonymous_id' AND fa.value = e.anonymous_id
      WHERE e.type = 'track' AND e.event IN ('Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed')
    ),
    p AS (
      SELECT min(ts) FILTER (WHERE step = 1) AS t1, list((ts << 4) | step) FILTER (WHERE step > 1) AS codes FROM m GROUP BY person
    ),
    f AS (
      SELECT t1, t2, t3, ${first(8, 't3')} AS t4
      FROM (SELECT *, ${first(4, 't2')} AS t3 FROM (SELECT t1, codes, ${first(2, 't1')} AS t2 FROM p WHERE t1 IS NOT NULL))
    )
    SELECT count(t1) AS n1, count(t2) AS n2, count(t3) AS n3, count(t4) AS n4,
      quantile_cont((t2 - t1) / 1000.0, [0.5, 0.9]) AS q1, quantile_cont((t3 - t2) / 1000.0, [0.5, 0.9]) AS q2, quantile_cont((t4 - t3) / 1000.0, [0.5, 0.9]) AS q3
    FROM f`);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-bench-'));
try {
  // ------------------------------------------------------------------ funnel
  let store = await freshStore(dir, 'funnel.duckdb');
  let t0 = performance.now();
  await generateEvents(store);
  const [{ n: eventRows, people }] = await store.query<{ n: number; people: number }>(raw('SELECT count(*) AS n, count(DISTINCT anonymous_id) AS people FROM events'));
  console.log(`generated ${fmt(eventRows)} events of ${fmt(people)} people in ${secs(performance.now() - t0)} s (${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)})`);

  const definition = parseFunnelDefinition({ steps: STEPS.join(','), window: '7d' });
  const [product, hand] = await bestPair(
    () => runFunnel(store, definition),
    async () => (await store.query<Record<string, unknown>>(handWrittenSql()))[0],
  );
  const report: FunnelReport = product.result;
  const handCounts = [1, 2, 3, 4].map((k) => Number(hand.result[`n${k}`]));
  const same = JSON.stringify(handCounts) === JSON.stringify(report.steps.map((s) => s.entered));
  const ratio = product.wallMs / hand.wallMs;
  const cpuRatio = product.cpuMs / hand.cpuMs;
  console.log(
    `funnel 4 steps, 7d window, by person: product ${secs(product.wallMs)} s (cpu ${secs(product.cpuMs)} s; target ≤ 1.5 s, ratio ${(product.wallMs / 1500).toFixed(2)}) → ` +
      report.steps.map((s) => `${fmt(s.entered)}`).join(' → ') +
      `; median step times ${report.steps.slice(0, 3).map((s) => `${Math.round(s.timeToNext?.medianSeconds ?? 0)} s`).join(', ')} (load ${os.loadavg()[0].toFixed(1)})`,
  );
  console.log(
    `funnel hand-written DuckDB SQL ${secs(hand.wallMs)} s (cpu ${secs(hand.cpuMs)} s) → ${handCounts.map(fmt).join(' → ')} (${same ? 'same counts' : 'DIFFERENT counts'}); ` +
      `product / hand-written = ${ratio.toFixed(2)} wall, ${cpuRatio.toFixed(2)} cpu (target ≤ 1.5)`,
  );
  await store.close();
  fs.rmSync(path.join(dir, 'funnel.duckdb'), { force: true });

  // ------------------------------------------------------------------ top paths
  store = await freshStore(dir, 'paths.duckdb');
  const touchPeople = Math.round(TOUCHES / 5);
  const channels = ['Paid Search', 'Organic Search', 'Paid Social', 'Organic Social', 'Email', 'Display', 'Direct', 'Referral', 'Affiliates', 'SMS', 'Mobile Push Notifications', 'Paid Video'];
  t0 = performance.now();
  await store.exec(
    raw(`
    INSERT INTO touches
    SELECT 't' || p || '-' || k, 'user:u' || p, NULL, 'u' || p,
      TIMESTAMP '2025-01-01' + to_seconds((p * 7919 % 150) * 86400 + k * 36000 + (hash(p, k) % 3600)),
      'session', NULL, ['${channels.join("','")}'][1 + (hash(p * 31 + k) % 12)::INT], 'src', 'med', NULL
    FROM range(${touchPeople}) r(p), range(1, 10) s(k)
    WHERE k <= 1 + hash(p) % 9
    ORDER BY p, k`),
  );
  await store.exec(
    raw(`
    INSERT INTO events (message_id, source_id, type, event, user_id, timestamp, received_at, revenue)
    SELECT 'o' || p, 'src_bench', 'track', 'Order Completed', 'u' || p,
      TIMESTAMP '2025-01-01' + to_seconds((p * 7919 % 150) * 86400 + 10 * 36000), now()::TIMESTAMP, 20 + p % 80
    FROM range(${touchPeople}) r(p) WHERE hash(p * 13) % 100 < 8`),
  );
  await store.exec(raw('CHECKPOINT'));
  const [{ n: touchRows }] = await store.query<{ n: number }>(raw('SELECT count(*) AS n FROM touches'));
  console.log(`generated ${fmt(touchRows)} touch rows of ${fmt(touchPeople)} people in ${secs(performance.now() - t0)} s`);
  const request = journeysQuerySchema.parse({ limit: '10' });
  const paths = await best(() => topPathsFromStore(store, request));
  const top = paths.result;
  console.log(
    `top paths (10 converting + 10 non-converting, 30d lookback): ${secs(paths.wallMs)} s (cpu ${secs(paths.cpuMs)} s; target ≤ 2.5 s, ratio ${(paths.wallMs / 2500).toFixed(2)}) → ` +
      `${fmt(top.totals.journeys)} journeys, ${fmt(top.totals.conversions)} conversions, ${fmt(top.totals.uniquePaths)} distinct paths; ` +
      `top converting "${top.converting[0]?.path}" ${fmt(top.converting[0]?.conversions ?? 0)}, top non-converting "${top.nonConverting[0]?.path}" ${fmt(top.nonConverting[0]?.nulls ?? 0)} (load ${os.loadavg()[0].toFixed(1)})`,
  );
  await store.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
