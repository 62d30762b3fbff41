/**
 * Journeys from the store: builds the unique-path aggregate from 10M raw touch rows in DuckDB
 * (the SQL `tributary attribute` runs), then runs order-1 Markov on it, printing the figures.
 *
 *   node --import tsx bench/attribution-store.bench.ts [--touches 10000000]
 *
 * Touches are generated in SQL: people with 1–9 touches over 12 channels, about 8% of them
 * converting, stored ordered by person and time as the derive step writes them. `cpu` is the
 * process's CPU time (engine threads and Node) for the build: when other work shares the
 * machine, the wall time varies with it, the CPU time much less.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDbStore, raw } from '../src/store/index.ts';
import { attributeMarkov, loadPathAggregates } from '../src/attribution/index.ts';

const { values } = parseArgs({ options: { touches: { type: 'string', default: '10000000' } } });
const TOUCHES = Number(values.touches);
const PEOPLE = Math.round(TOUCHES / 5);
const CHANNELS = ['Paid Search', 'Organic Search', 'Paid Social', 'Organic Social', 'Email', 'Display', 'Direct', 'Referral', 'Affiliates', 'SMS', 'Mobile Push Notifications', 'Paid Video'];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-bench-'));
const store = await DuckDbStore.open({ path: path.join(dir, 'bench.duckdb') });
const channelList = `['${CHANNELS.join("','")}']`;
let t0 = performance.now();
await store.exec(raw(`
  INSERT INTO touches
  SELECT 't' || p || '-' || k, 'user:u' || p, NULL, 'u' || p,
    TIMESTAMP '2025-01-01' + to_seconds((p * 7919 % 150) * 86400 + k * 36000 + (hash(p, k) % 3600)),
    'session', NULL, ${channelList}[1 + (hash(p * 31 + k) % 12)::INT], 'src', 'med', NULL, hash('u' || p, NULL::VARCHAR)
  FROM range(${PEOPLE}) r(p), range(1, 10) s(k)
  WHERE k <= 1 + hash(p) % 9
  ORDER BY p, k`));
await store.exec(raw(`
  INSERT INTO events (message_id, source_id, type, event, user_id, timestamp, received_at, revenue)
  SELECT 'o' || p, 'src_bench', 'track', 'Order Completed', 'u' || p,
    TIMESTAMP '2025-01-01' + to_seconds((p * 7919 % 150) * 86400 + 10 * 36000), now()::TIMESTAMP, 20 + p % 80
  FROM range(${PEOPLE}) r(p) WHERE hash(p * 13) % 100 < 8`));
// Written to the database file as a running store's data is, not left in the write-ahead log.
await store.exec(raw('CHECKPOINT'));
const [{ n: touchRows }] = await store.query<{ n: number }>(raw('SELECT count(*) AS n FROM touches'));
const [{ n: orders }] = await store.query<{ n: number }>(raw('SELECT count(*) AS n FROM events'));
console.log(`generated ${touchRows.toLocaleString('en-US')} touch rows of ${PEOPLE.toLocaleString('en-US')} people, ${orders.toLocaleString('en-US')} conversions in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const query = {
  conversionEvent: 'Order Completed',
  valueProperty: 'revenue',
  lookbackDays: 30,
  from: null,
  to: null,
  granularity: 'channel' as const,
  includeNulls: true,
};
for (let run = 0; run < 3; run++) {
  t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const paths = await loadPathAggregates(store, query);
  const buildS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  t0 = performance.now();
  const markov = attributeMarkov(paths, { order: 1 });
  const modelS = (performance.now() - t0) / 1000;
  const conv = paths.reduce((s, p) => s + p.conversions, 0);
  const nulls = paths.reduce((s, p) => s + p.nulls, 0);
  const top = [...markov.channels].sort((a, b) => b.conversions - a.conversions).slice(0, 3);
  console.log(
    `run ${run + 1}: path aggregate ${buildS.toFixed(2)} s (target ≤ 3 s, ratio ${(buildS / 3).toFixed(2)}; cpu ${cpuS.toFixed(2)} s) → ${paths.length.toLocaleString('en-US')} unique paths, ` +
      `${conv.toLocaleString('en-US')} conversions, ${nulls.toLocaleString('en-US')} null journeys; markov order 1 ${modelS.toFixed(3)} s, ` +
      `P(conv) ${markov.conversionProbability?.toFixed(6)}, top ${top.map((c) => `${c.channel} ${c.conversions.toFixed(1)}`).join(', ')}`,
  );
}
await store.close();
fs.rmSync(dir, { recursive: true, force: true });
