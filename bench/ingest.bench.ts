/**
 * End-to-end ingestion throughput: concurrent clients on loopback POST /v1/batch requests of 100
 * realistic messages to a `tributary serve` child process; then, in the same run, the raw DuckDB
 * Appender throughput for the same rows (the ceiling) and the ratio.
 *
 *   npm run bench:ingest [-- --seconds 15 --clients 16 --batch 100]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DuckDbStore, EVENTS_TABLE } from '../src/store/index.ts';
import { normalizeMessage, validateMessage } from '../src/ingest/index.ts';
import { makeMessage } from './lib/messages.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '15' },
    clients: { type: 'string', default: '16' },
    batch: { type: 'string', default: '100' },
  },
});
const SECONDS = Number(args.seconds);
const CLIENTS = Number(args.clients);
const BATCH = Number(args.batch);
const WRITE_KEY = 'wk_bench_key_000001';
const ADMIN = 'trb_bench_admin_token_000001';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** CPU seconds (user + system) of a process, all threads and its main thread alone, from /proc (Linux; null elsewhere). */
function cpuSeconds(pid: number): { total: number; main: number } | null {
  const ticks = (file: string) => {
    const fields = fs.readFileSync(file, 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };
  try {
    return { total: ticks(`/proc/${pid}/stat`), main: ticks(`/proc/${pid}/task/${pid}/stat`) };
  } catch {
    return null;
  }
}

async function startServer(dataDir: string): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['bin/tributary.js', 'serve', '--data', dataDir, '--port', '0', '--json'], {
    env: { ...process.env, TRIBUTARY_WRITE_KEY: WRITE_KEY, TRIBUTARY_ADMIN_TOKEN: ADMIN, TRIBUTARY_LOG_LEVEL: 'warn', TRIBUTARY_RATE_LIMIT: '0', TRIBUTARY_PROCESSING_INTERVAL_MS: process.env.TRIBUTARY_PROCESSING_INTERVAL_MS ?? '5000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /"url":\s*"([^"]+)"/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const TEMPLATES = 32;
let templates: string[] = [];

/** Request bodies from a few pre-serialised templates with fresh messageIds: the clients share the server's two cores, so they must cost little. */
function makeBody(requestNo: number, now: number): string {
  if (templates.length === 0) {
    for (let t = 0; t < TEMPLATES; t++) {
      const batch = [];
      for (let j = 0; j < BATCH; j++) batch.push(makeMessage(t * BATCH + j, `bench-__RQ__-${j}`, now));
      templates.push(JSON.stringify({ batch, sentAt: new Date(now).toISOString(), writeKey: WRITE_KEY }));
    }
  }
  return templates[requestNo % TEMPLATES].replaceAll('__RQ__', String(requestNo));
}

async function runLoad(url: string): Promise<{ acknowledged: number; latencies: number[]; elapsed: number; failures: number }> {
  const auth = 'Basic ' + Buffer.from(WRITE_KEY + ':').toString('base64');
  const latencies: number[] = [];
  let next = 0;
  let acknowledged = 0;
  let failures = 0;
  const now = Date.now();
  const start = performance.now();
  const deadline = start + SECONDS * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const body = makeBody(next++, now);
      const t0 = performance.now();
      const res = await fetch(url + '/v1/batch', { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body });
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (res.status === 200) acknowledged += BATCH;
      else failures++;
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, worker));
  return { acknowledged, latencies, elapsed: (performance.now() - start) / 1000, failures };
}

async function appenderCeiling(rows: number): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-bench-'));
  const store = await DuckDbStore.open({ path: path.join(dir, 'ceiling.duckdb') });
  const now = Date.now();
  const prepared = [];
  for (let i = 0; i < rows; i++) {
    const checked = validateMessage(makeMessage(i, `ceiling-${i}`, now));
    if (!checked.ok) throw new Error(checked.reason);
    prepared.push(normalizeMessage(checked.value, { sourceId: 'src_bench', receivedAt: now }).row);
  }
  const t0 = performance.now();
  for (let i = 0; i < prepared.length; i += 10_000) await store.append(EVENTS_TABLE, prepared.slice(i, i + 10_000));
  const seconds = (performance.now() - t0) / 1000;
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return rows / seconds;
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-bench-'));
  const server = await startServer(dataDir);
  console.log(`bench:ingest — ${CLIENTS} clients, ${BATCH} messages/request, ${SECONDS}s, ${os.cpus().length} cores, server ${server.url}`);
  // Warm-up: JIT and DuckDB caches.
  await fetch(server.url + '/v1/batch', {
    method: 'POST',
    headers: { authorization: 'Basic ' + Buffer.from(WRITE_KEY + ':').toString('base64') },
    body: makeBody(1_000_000, Date.now()),
  });
  const cpuBefore = cpuSeconds(server.pid);
  const clientBefore = process.cpuUsage();
  const load = await runLoad(server.url);
  const client = process.cpuUsage(clientBefore);
  const cpuAfter = cpuSeconds(server.pid);
  const res = await fetch(server.url + '/api/events?limit=1', { headers: { authorization: `Bearer ${ADMIN}` } });
  const stored = ((await res.json()) as { total: number }).total - BATCH;
  await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });

  const sorted = [...load.latencies].sort((a, b) => a - b);
  const rate = load.acknowledged / load.elapsed;
  console.log(`requests:        ${load.latencies.length} (${load.failures} not 200)`);
  console.log(`events/s:        ${Math.round(rate).toLocaleString('en-US')} end to end (target ≥ 40,000)`);
  console.log(`latency:         p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms (target p99 ≤ 50 ms)`);
  console.log(`acknowledged:    ${load.acknowledged.toLocaleString('en-US')}, stored: ${stored.toLocaleString('en-US')} → ${stored === load.acknowledged ? 'zero loss' : `MISMATCH (${stored - load.acknowledged})`}`);
  const clientPerEvent = (client.user + client.system) / load.acknowledged;
  if (cpuBefore && cpuAfter) {
    const perEvent = (s: number) => ((s * 1e6) / load.acknowledged).toFixed(1);
    const serverPerEvent = ((cpuAfter.total - cpuBefore.total) * 1e6) / load.acknowledged;
    console.log(`server CPU:      ${perEvent(cpuAfter.total - cpuBefore.total)} µs/event (all threads), ${perEvent(cpuAfter.main - cpuBefore.main)} µs/event (event loop thread)`);
    console.log(`client CPU:      ${clientPerEvent.toFixed(1)} µs/event (the load generator shares the same cores)`);
    // What 40,000 events/s would take at these costs, against the cores there are.
    const cores = ((serverPerEvent + clientPerEvent) * 40_000) / 1e6;
    console.log(`at 40,000/s:     ${cores.toFixed(2)} cores of CPU at these per-event costs (server + clients), ${os.availableParallelism()} available`);
  }
  const ceiling = await appenderCeiling(Math.min(500_000, Math.max(100_000, load.acknowledged)));
  console.log(`appender ceiling: ${Math.round(ceiling).toLocaleString('en-US')} rows/s for the same rows (one thread)`);
  console.log(`ratio:           ${((rate / ceiling) * 100).toFixed(1)}% of the raw Appender ceiling`);
}

await main();
