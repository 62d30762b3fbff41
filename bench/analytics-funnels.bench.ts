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
 * user and anonymous ids in the identity table, so the person mapping joins real rows). The
 * generated database is kept in <tmpdir>/tributary-bench-cache/, named by a hash of the generating
 * statements, and copied for each run (delete the folder to generate again).
 * Touches are generated like bench/attribution-store.bench.ts. Targets on this machine: funnel
 * ≤ 1.5 s and ≤ 1.5× the hand-written SQL; top paths ≤ 2.5 s. Figures are best-of-runs wall
 * time, with the process CPU time beside it (the machine has 2 cores; other work inflates wall).
 */
import { createHash } from 'node:crypto';
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

/** The statements that fill a store with ~EVENTS events of ~EVENTS/5 people, ordered by person and time. */
function eventsGenerationSql(): string[] {
  const people = Math.round(EVENTS / 5);
  const pattern = (xs: Array<string | null>) => `[${xs.map((x) => (x === null ? 'NULL' : `'${x}'`)).join(',')}]`;
  return [
    `INSERT INTO events (message_id, source_id, type, event, name, anonymous_id, user_id, timestamp, received_at, properties)
    SELECT 'm' || p || '-' || k, 'src_bench',
      CASE WHEN noise THEN 'track' ELSE ${pattern(['page', 'track', 'track', 'track', 'page', 'track', 'track', 'page', 'track'])}[k] END,
      CASE WHEN noise THEN ${pattern(['Product List Viewed', 'Signed In', 'Cart Viewed', 'Product Viewed', 'Coupon Applied'])}[1 + (hash(p, k, 2) % 5)::INT]
           ELSE ${pattern([null, 'Product Viewed', 'Product Viewed', 'Product Added', null, 'Checkout Started', 'Order Completed', null, 'Signed In'])}[k] END,
      CASE WHEN noise THEN NULL ELSE ${pattern(['Home', null, null, null, 'Cart', null, null, 'Confirmation', null])}[k] END,
      'a' || p, CASE WHEN p % 5 < 2 AND k >= 3 THEN 'u' || p END,
      TIMESTAMP '2025-01-01' + to_seconds((p * 7919 % 150) * 86400 + k * (600 + hash(p) % 172800) + hash(p, k) % 600),
      TIMESTAMP '2025-06-01', '{"category":"' || ${pattern(['shoes', 'hats', 'shirts'])}[1 + (hash(p) % 3)::INT] || '"}'
    FROM (SELECT p, k, hash(p, k, 1) % 100 < 20 AS noise FROM range(${people}) r(p), range(1, 10) s(k) WHERE k <= 1 + hash(p) % 9)
    ORDER BY p, k`,
    `INSERT INTO identities
    SELECT kind, value, 'p_' || md5(p::VARCHAR)[1:16], TIMESTAMP '2025-01-01', 'bench', 1
    FROM range(${people}) r(p), (VALUES ('user_id', 'u'), ('anonymous_id', 'a')) k(kind, prefix), LATERAL (SELECT prefix || p AS value)
    WHERE p % 5 < 2`,
    'CHECKPOINT',
  ];
}

/**
 * A store holding the generated events, as a copy of a file kept in the system's temp folder
 * between runs (generating 10M events takes ~30 s). The file's name carries a hash of the
 * generating statements (which include the event count), so any change to them generates anew;
 * files of other keys are removed.
 */
async function generatedEventsStore(dir: string): Promise<{ store: Store; cached: boolean }> {
  const statements = eventsGenerationSql();
  const key = createHash('sha256').update(statements.join('\n;\n')).digest('hex').slice(0, 16);
  const cacheDir = path.join(os.tmpdir(), 'tributary-bench-cache');
  const cached = path.join(cacheDir, `analytics-funnels-${key}.duckdb`);
  const target = path.join(dir, 'funnel.duckdb');
  const hit = fs.existsSync(cached);
  if (!hit) {
    fs.mkdirSync(cacheDir, { recursive: true });
    const stale = fs.readdirSync(cacheDir).filter((f) => f.startsWith('analytics-funnels-') && !f.startsWith(`analytics-funnels-${key}`));
    for (const f of stale) fs.rmSync(path.join(cacheDir, f), { force: true });
    const building = path.join(dir, 'generating.duckdb');
    const store = await freshStore(dir, 'generating.duckdb');
    for (const statement of statements) await store.exec(raw(statement));
    await store.close();
    // Written under a name of this process, then renamed: a concurrent run never reads half a file.
    const partial = `${cached}.${process.pid}.partial`;
    fs.copyFileSync(building, partial);
    fs.renameSync(partial, cached);
    fs.renameSync(building, target);
  } else {
    fs.copyFileSync(cached, target);
  }
  return { store: await freshStore(dir, 'funnel.duckdb'), cached: hit };
}

/**
 * The best hand-written SQL found for the same question (first Product Viewed per person, then
 * each step's first event after the previous one within 7 days of it; counts and median/p90
 * seconds between steps), with the same person mapping written out inline: identities' person
 * ids hashed on the build side of the joins, the anonymous id looked up only when the user id
 * found no person, one list per person of `ts << 4 | step bit` cut with lambdas, quantiles of
 * integer milliseconds. Tried and slower on this data (CPU on one thread, two measurements each):
 * `event IN (…)` beside the CASE (+6–11%), the person id as a string joined and hashed per event
 * (+9–15%), a list per step (+5–17%), pre-aggregating per device before the person mapping
 * (+8–19%), reducing each device's step-1 events to its first before the mapping (+32–41%), the
 * chain as window minimums over each person's events (about 2×).
 */
function handWrittenSql(): Sql {
  const w = WINDOW_MS;
  const first = (bit: number, after: string) =>
    `CASE WHEN ${after} IS NOT NULL THEN (list_min(list_filter(codes, c -> (c & ${bit}) <> 0 AND (c >> 4) > ${after} AND (c >> 4) <= t1 + ${w})) >> 4) END`;
  const seconds = (a: string, b: string) => `list_transform(quantile_cont(${b} - ${a}, [0.5, 0.9]), q -> q / 1000.0)`;
  return raw(`
    WITH e AS (
      SELECT * FROM (
        SELECT epoch_ms(timestamp) AS ts, user_id, anonymous_id,
          CASE event WHEN 'Product Viewed' THEN 1 WHEN 'Product Added' THEN 2 WHEN 'Checkout Started' THEN 4 WHEN 'Order Completed' THEN 8 ELSE 0 END AS step
        FROM events WHERE type = 'track')
      WHERE step <> 0
    ),
    u AS (
      SELECT e.*, iu.pk AS upk, CASE WHEN iu.pk IS NULL THEN e.anonymous_id END AS akey
      FROM e LEFT JOIN (SELECT value, hash(person_id) AS pk FROM identities WHERE kind = 'user_id') iu ON iu.value = e.user_id
    ),
    m AS (
      SELECT coalesce(u.upk, CASE WHEN fa.value IS NULL THEN ia.pk END, CASE WHEN u.user_id IS NOT NULL THEN hash(u.user_id, 1) ELSE hash(u.anonymous_id, 2) END) AS person, u.ts, u.step
      FROM u
      LEFT JOIN (SELECT value, hash(person_id) AS pk FROM identities WHERE kind = 'anonymous_id') ia ON ia.value = u.akey
      LEFT JOIN identity_flags fa ON fa.kind = 'anonymous_id' AND fa.value = u.akey
    ),
    p AS (
      SELECT min(ts) FILTER (WHERE step = 1) AS t1, list((ts << 4) | step) FILTER (WHERE step > 1) AS codes FROM m GROUP BY person
    ),
    f AS (
      SELECT t1, t2, t3, ${first(8, 't3')} AS t4
      FROM (SELECT *, ${first(4, 't2')} AS t3 FROM (SELECT t1, codes, ${first(2, 't1')} AS t2 FROM p WHERE t1 IS NOT NULL))
    )
    SELECT count(t1) AS n1, count(t2) AS n2, count(t3) AS n3, count(t4) AS n4,
      ${seconds('t1', 't2')} AS q1, ${seconds('t2', 't3')} AS q2, ${seconds('t3', 't4')} AS q3
    FROM f`);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-bench-'));
try {
  // ------------------------------------------------------------------ funnel
  let t0 = performance.now();
  const generated = await generatedEventsStore(dir);
  let store = generated.store;
  const [{ n: eventRows, people }] = await store.query<{ n: number; people: number }>(raw('SELECT count(*) AS n, count(DISTINCT anonymous_id) AS people FROM events'));
  console.log(`${generated.cached ? 'copied cached' : 'generated'} ${fmt(eventRows)} events of ${fmt(people)} people in ${secs(performance.now() - t0)} s (${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)})`);

  const definition = parseFunnelDefinition({ steps: STEPS.join(','), window: '7d' });
  const [product, hand] = await bestPair(
    () => runFunnel(store, definition),
    async () => (await store.query<Record<string, unknown>>(handWrittenSql()))[0],
  );
  const report: FunnelReport = product.result;
  const handCounts = [1, 2, 3, 4].map((k) => Number(hand.result[`n${k}`]));
  const handTimes = [1, 2, 3].map((k) => hand.result[`q${k}`] as number[]);
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  const same =
    JSON.stringify(handCounts) === JSON.stringify(report.steps.map((s) => s.entered)) &&
    handTimes.every((q, k) => close(q[0], report.steps[k].timeToNext!.medianSeconds) && close(q[1], report.steps[k].timeToNext!.p90Seconds));
  const ratio = product.wallMs / hand.wallMs;
  const cpuRatio = product.cpuMs / hand.cpuMs;
  console.log(
    `funnel 4 steps, 7d window, by person: product ${secs(product.wallMs)} s (cpu ${secs(product.cpuMs)} s; target ≤ 1.5 s, ratio ${(product.wallMs / 1500).toFixed(2)}) → ` +
      report.steps.map((s) => `${fmt(s.entered)}`).join(' → ') +
      `; median step times ${report.steps.slice(0, 3).map((s) => `${Math.round(s.timeToNext?.medianSeconds ?? 0)} s`).join(', ')} (load ${os.loadavg()[0].toFixed(1)})`,
  );
  console.log(
    `funnel hand-written DuckDB SQL ${secs(hand.wallMs)} s (cpu ${secs(hand.cpuMs)} s) → ${handCounts.map(fmt).join(' → ')} (${same ? 'same counts and times' : 'DIFFERENT counts or times'}); ` +
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
      'session', NULL, ['${channels.join("','")}'][1 + (hash(p * 31 + k) % 12)::INT], 'src', 'med', NULL, hash('u' || p, NULL::VARCHAR)
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
