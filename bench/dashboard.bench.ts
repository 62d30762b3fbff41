/**
 * Dashboard API latency: every chart's API call, over real HTTP on loopback, against a running
 * server on the default demo world, printing p50 / p90 / max per call and the ratio to the
 * target (p50 ≤ 300 ms each).
 *
 *   node --import tsx bench/dashboard.bench.ts [--people 50000] [--days 180] [--seed 42]
 *     [--end-date YYYY-MM-DD] [--runs 15] [--warmup 2] [--only TEXT]
 *
 * The world is `tributary demo --people 50000 --days 180 --seed 42 --end-date <yesterday>
 * --no-serve`, generated once into the temp directory (keyed by its parameters and end date)
 * and reused by later runs. The server is `startServer` in this process (port 0). Calls are made
 * the way the dashboard's pages make them (bench/lib/dashboard-calls.ts), for the range picker's
 * default preset (last 30 days ending today, UTC) and for the last 90 days. Each call is made
 * `--warmup` times untimed, then `--runs` times one after another.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { loadConfig } from '../src/config/index.ts';
import { startServer } from '../src/server/index.ts';
import { buildRequest, DASHBOARD_CALLS, FUNNEL_STEPS, type BenchRange, type BuiltRequest, type CallContext, type DashboardCall } from './lib/dashboard-calls.ts';

const DAY_MS = 86_400_000;
const TARGET_MS = 300;
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '50000' },
    days: { type: 'string', default: '180' },
    seed: { type: 'string', default: '42' },
    'end-date': { type: 'string' },
    runs: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '2' },
    only: { type: 'string' },
  },
});
const WORLD = { people: Number(values.people), days: Number(values.days), seed: Number(values.seed), endDate: values['end-date'] ?? isoDay(Date.now() - DAY_MS) };
const RUNS = Number(values.runs);
const WARMUP = Number(values.warmup);

/** The demo world for these parameters, generated on the first run (a few minutes) and reused. */
function ensureWorld(): string {
  const dir = path.join(os.tmpdir(), `tributary-dashboard-bench-${WORLD.people}-${WORLD.days}-${WORLD.seed}-${WORLD.endDate}`);
  const ready = path.join(dir, 'READY');
  if (fs.existsSync(ready)) {
    console.log(`demo world: reusing ${dir}`);
    return dir;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(
    `demo world: generating ${WORLD.people.toLocaleString('en-US')} people over ${WORLD.days} days (seed ${WORLD.seed}, ending ${WORLD.endDate}) into ${dir} — once; later runs reuse it`,
  );
  const started = performance.now();
  const args = ['demo', '--people', String(WORLD.people), '--days', String(WORLD.days), '--seed', String(WORLD.seed), '--end-date', WORLD.endDate, '--data', dir, '--no-serve'];
  const run = spawnSync(process.execPath, [path.join(import.meta.dirname, '..', 'bin', 'tributary.js'), ...args], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`tributary ${args.join(' ')} failed (exit ${run.status})`);
  fs.writeFileSync(ready, WORLD.endDate);
  console.log(`demo world: ready in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return dir;
}

/** The range picker's presets: the last N days ending today (UTC), as `presetRange` in src/web/lib/date-range.ts. */
function presetRange(days: number): BenchRange {
  const today = Date.parse(`${isoDay(Date.now())}T00:00:00Z`);
  return { label: `${days}d`, from: isoDay(today - (days - 1) * DAY_MS), to: isoDay(today) };
}

interface Sample {
  readonly call: DashboardCall;
  readonly range: BenchRange | null;
  readonly request: BuiltRequest;
  readonly ms: number[];
  /** CPU time of this process (server, engine threads and client) per request. */
  readonly cpuMs: number[];
  readonly error: string | null;
}

async function send(base: string, token: string, r: BuiltRequest): Promise<{ ms: number; cpuMs: number; status: number; text: string }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const response = await fetch(base + r.url, {
    method: r.method,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(r.body ? { 'content-type': 'application/json' } : {}) },
    body: r.body,
  });
  const text = await response.text();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, status: response.status, text };
}

async function measure(base: string, token: string, call: DashboardCall, range: BenchRange | null, ctx: CallContext): Promise<Sample> {
  const request = buildRequest(call, range, ctx);
  const ms: number[] = [];
  const cpuMs: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const r = await send(base, token, request);
    if (r.status !== 200) return { call, range, request, ms, cpuMs, error: `HTTP ${r.status}: ${r.text.slice(0, 200)}` };
    if (i >= WARMUP) {
      ms.push(r.ms);
      cpuMs.push(r.cpuMs);
    }
  }
  return { call, range, request, ms, cpuMs, error: null };
}

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: readonly number[], q: number): number => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];

function printTable(samples: readonly Sample[]): void {
  const fmt = (v: number): string => (Number.isFinite(v) ? v.toFixed(0) : '—');
  const rows = samples.map((s) => {
    const sorted = [...s.ms].sort((a, b) => a - b);
    const ok = s.error === null && sorted.length > 0;
    const p50 = ok ? percentile(sorted, 0.5) : NaN;
    const cpu = ok ? percentile([...s.cpuMs].sort((a, b) => a - b), 0.5) : NaN;
    const result = !ok ? 'ERROR' : p50 <= TARGET_MS ? 'PASS' : 'FAIL';
    const cells = [s.call.page, s.call.chart, s.range?.label ?? '', fmt(p50), fmt(ok ? percentile(sorted, 0.9) : NaN), fmt(ok ? sorted[sorted.length - 1] : NaN), fmt(cpu), result, ok ? (p50 / TARGET_MS).toFixed(2) : '', s.request.shown];
    return { cells, pass: result === 'PASS', error: s.error };
  });
  const head = ['page', 'chart', 'range', 'p50 ms', 'p90 ms', 'max ms', 'cpu p50 ms', 'result', 'p50/300', 'request'];
  const widths = head.map((h, i) => (i === head.length - 1 ? 0 : Math.max(h.length, ...rows.map((r) => r.cells[i].length))));
  const numeric = new Set([3, 4, 5, 6, 8]);
  const line = (cells: readonly string[]): string => cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  console.log(line(head));
  for (const r of rows) {
    console.log(line(r.cells));
    if (r.error) console.log(`    ${r.error}`);
  }
  const passed = rows.filter((r) => r.pass).length;
  console.log(`\n${passed} of ${rows.length} calls pass (p50 ≤ ${TARGET_MS} ms); ${WARMUP} warm-up + ${RUNS} timed requests each, one at a time`);
  console.log(`funnel steps: ${FUNNEL_STEPS}`);
  console.log(`cpu p50: CPU time of the process (server, engine threads, client) per request, which other work on the machine does not inflate`);
  console.log(`load average (1, 5, 15 min) at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} on ${os.cpus().length} cores`);
}

/** A signed-in visitor of the world (from the latest page views), their person and one of their devices, through the API. */
async function lookUpContext(base: string, token: string): Promise<CallContext> {
  const get = async <T>(url: string): Promise<T> => JSON.parse((await send(base, token, { method: 'GET', url, body: undefined, shown: '' })).text) as T;
  const events = await get<{ events: Array<{ userId: string | null }> }>('/api/events?type=page&limit=1000');
  const userId = events.events.find((e) => e.userId)?.userId;
  if (!userId) throw new Error('no signed-in visitor among the latest page views');
  const { personId } = await get<{ personId: string }>(`/api/people?userId=${encodeURIComponent(userId)}`);
  const profile = await get<{ identifiers: Array<{ kind: string; value: string; hashed: boolean }> }>(`/api/people/${encodeURIComponent(personId)}?limit=1`);
  const anonymousId = profile.identifiers.find((i) => i.kind === 'anonymous_id' && !i.hashed)?.value ?? '';
  return { userId, anonymousId, personId };
}

const dataDir = ensureWorld();
const server = await startServer(loadConfig({ dataDir, host: '127.0.0.1', port: 0, logLevel: 'warn' }), { announce: false, logger: pino({ level: 'warn' }) });
try {
  // The server's first processing run catches up with the events received before it started
  // (their overlap); wait for it, as a dashboard opened a minute after `tributary demo` would.
  const caughtUp = performance.now();
  await server.processNow();
  console.log(`server: first processing run done in ${((performance.now() - caughtUp) / 1000).toFixed(1)} s`);
  const { token } = await server.access.createToken('dashboard bench');
  const ctx = await lookUpContext(server.url, token);
  const ranges = [presetRange(30), presetRange(90)];
  console.log(`server ${server.url} on ${os.cpus().length} cores (load average ${os.loadavg()[0].toFixed(2)}); ranges ${ranges.map((r) => `${r.label} ${r.from}…${r.to}`).join(', ')}; user ${ctx.userId}\n`);
  const samples: Sample[] = [];
  for (const call of DASHBOARD_CALLS) {
    if (values.only && !`${call.page} ${call.chart} ${call.path}`.toLowerCase().includes(values.only.toLowerCase())) continue;
    for (const range of call.ranged ? ranges : [null]) {
      const sample = await measure(server.url, token, call, range, ctx);
      const p50 = sample.ms.length ? [...sample.ms].sort((a, b) => a - b)[Math.ceil(sample.ms.length / 2) - 1] : NaN;
      process.stderr.write(`  ${call.page} · ${call.chart}${range ? ` · ${range.label}` : ''}: ${sample.error ?? `p50 ${p50.toFixed(0)} ms`}\n`);
      samples.push(sample);
    }
  }
  console.log('');
  printTable(samples);
} finally {
  await server.close();
}
