/**
 * NDJSON event import throughput: writes N realistic Segment messages (bench/lib/messages.ts; one
 * in ten without a messageId, so the derived ids are exercised) to an NDJSON file, runs
 * `tributary import events FILE --data DIR` in this process (the CLI's own code path, no server)
 * into a fresh data directory, and then, in the same run, DuckDB's own `read_json` of the same
 * file into a table of the same database kind (the ceiling) and the ratio; the engine's own floor
 * (typed read_json, field extraction and the insert into a real `events` table, with their CPU
 * seconds). Last, the per-line cost of each step on one thread, to show where the time goes.
 *
 *   npm run bench:import [-- --events 1000000 --keep]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDbStore } from '../src/store/index.ts';
import { main } from '../src/cli/main.ts';
import { initDataDir } from '../src/cli/commands/init.ts';
import { defaultImportWorkers, normalizeMessage, validateMessage } from '../src/ingest/index.ts';
import { runTask } from '../src/ingest/import/process-task.ts';
import { makeMessage } from './lib/messages.ts';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    keep: { type: 'boolean', default: false },
  },
});
const EVENTS = Number(args.events);
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function writeInput(file: string): number {
  const now = Date.now();
  const out = fs.openSync(file, 'w');
  let lines: string[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const m = makeMessage(i, `bench-${i}`, now);
    if (i % 10 === 0) {
      delete m.messageId;
      m.properties = { ...(m.properties as Record<string, unknown> | undefined), import_seq: i };
    }
    lines.push(JSON.stringify(m));
    if (lines.length === 10_000) {
      fs.writeSync(out, lines.join('\n') + '\n');
      lines = [];
    }
  }
  if (lines.length > 0) fs.writeSync(out, lines.join('\n') + '\n');
  // On disk before timing starts: its write-back must not compete with the import.
  fs.fsyncSync(out);
  fs.closeSync(out);
  return fs.statSync(file).size;
}

/** Runs the CLI in this process; answers its parsed --json summary. */
async function runImport(file: string, dataDir: string): Promise<{ read: number; stored: number; duplicates: number; rejected: number }> {
  let stdout = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await main(['node', 'tributary', 'import', 'events', file, '--data', dataDir, '--json']);
    if (code !== 0) throw new Error(`import exited with ${code}`);
  } finally {
    process.stdout.write = write;
  }
  return JSON.parse(stdout);
}

async function readJsonCeiling(file: string, dir: string): Promise<{ seconds: number; rows: number }> {
  const instance = await DuckDBInstance.create(path.join(dir, 'ceiling.duckdb'));
  const conn = await instance.connect();
  const t0 = performance.now();
  await conn.run(`CREATE TABLE raw_events AS SELECT * FROM read_json(?, format = 'newline_delimited')`, [file]);
  const seconds = (performance.now() - t0) / 1000;
  const reader = await conn.runAndReadAll('SELECT count(*) AS n FROM raw_events');
  const rows = Number(reader.getRows()[0][0]);
  conn.closeSync();
  instance.closeSync();
  return { seconds, rows };
}

/**
 * The engine's own share, whatever parses and validates the lines: DuckDB's typed `read_json` of
 * the file into a temp table, then the campaign and page fields extracted from the JSON and every
 * row inserted into a real `events` table (the store's schema). CPU seconds are the process's
 * (DuckDB's threads included).
 */
async function engineFloor(file: string, dir: string): Promise<{ read: number; insert: number; readCpu: number; insertCpu: number; rows: number }> {
  const store = await DuckDbStore.open({ path: path.join(dir, 'floor.duckdb') });
  const timed = async (text: string) => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await store.exec({ text, params: [] });
    const cpu = process.cpuUsage(cpu0);
    return { seconds: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
  };
  try {
    const columns = `{messageId: 'VARCHAR', type: 'VARCHAR', event: 'VARCHAR', name: 'VARCHAR', anonymousId: 'VARCHAR', userId: 'VARCHAR',
      groupId: 'VARCHAR', previousId: 'VARCHAR', timestamp: 'VARCHAR', originalTimestamp: 'VARCHAR', sentAt: 'VARCHAR',
      properties: 'JSON', traits: 'JSON', context: 'JSON', integrations: 'JSON'}`;
    const read = await timed(`CREATE TEMP TABLE floor_lines AS SELECT * FROM read_json('${file.replaceAll("'", "''")}', format = 'newline_delimited', columns = ${columns})`);
    const insert = await timed(`INSERT INTO events
      SELECT coalesce(messageId, 'imp-' || md5(properties::VARCHAR)), 'src_bench', type, event, name, anonymousId, userId, groupId, previousId,
        coalesce(try_cast(timestamp AS TIMESTAMP), now()::TIMESTAMP), try_cast(originalTimestamp AS TIMESTAMP), try_cast(sentAt AS TIMESTAMP), now()::TIMESTAMP,
        cx[1], cx[2], cx[3], cx[4], cx[5], cx[6], cx[7], cx[8], px[1], try_cast(px[2] AS DOUBLE), px[3],
        properties::VARCHAR, traits::VARCHAR, context::VARCHAR, integrations::VARCHAR
      FROM (SELECT *,
          json_extract_string(context, ['$.campaign.source', '$.campaign.medium', '$.campaign.name', '$.campaign.term', '$.campaign.content',
            '$.page.url', '$.page.path', '$.page.referrer']) AS cx,
          json_extract_string(properties, ['$.channel', '$.revenue', '$.currency']) AS px
        FROM floor_lines)`);
    const [{ n }] = await store.query<{ n: number }>({ text: 'SELECT count(*)::INTEGER AS n FROM events', params: [] });
    return { read: read.seconds, insert: insert.seconds, readCpu: read.cpu, insertCpu: insert.cpu, rows: n };
  } finally {
    await store.close();
  }
}

/** Microseconds per line of each step, one thread, on the file's first lines. */
function profileSteps(file: string, dir: string): Record<string, number> {
  const head = Buffer.alloc(32 * 1024 * 1024);
  const fd = fs.openSync(file, 'r');
  const got = fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  const sample = head.subarray(0, got).toString('utf8').split('\n').slice(0, 30_000).filter((l) => l.endsWith('}'));
  const n = sample.length;
  const time = (fn: () => void): number => {
    fn(); // warm-up
    const t0 = performance.now();
    fn();
    return ((performance.now() - t0) * 1000) / n;
  };
  let parsed: unknown[] = [];
  const parse = time(() => {
    parsed = sample.map((l) => JSON.parse(l) as unknown);
  });
  for (const p of parsed) {
    const m = p as Record<string, unknown>;
    m.messageId ??= 'x';
  }
  let valid: ReturnType<typeof validateMessage>[] = [];
  const validate = time(() => {
    valid = parsed.map((p) => validateMessage(p));
  });
  const ctx = { sourceId: 'src_bench', receivedAt: Date.now() };
  const normalize = time(() => {
    for (const v of valid) if (v.ok) normalizeMessage(v.value, ctx);
  });
  const bytes = new Uint8Array(Buffer.from(sample.join('\n') + '\n'));
  const task = time(() => {
    runTask({ dir, sourceId: 'src_bench', receivedAt: Date.now(), origin: 'import:bench', defaultType: null, suppression: null, sealing: null, kind: 'ndjson', seq: 0, bytes });
  });
  return { parse, validate, normalize, task };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-bench-import-'));
try {
  const file = path.join(dir, 'events.ndjson');
  const dataDir = path.join(dir, 'data');
  process.stderr.write(`writing ${fmt(EVENTS)} messages to ${file}…\n`);
  const size = writeInput(file);
  await initDataDir(dataDir, {});

  const t0 = performance.now();
  const summary = await runImport(file, dataDir);
  const seconds = (performance.now() - t0) / 1000;
  const rate = summary.read / seconds;
  console.log(
    `import events: ${fmt(summary.read)} lines (${fmt(size / 1_048_576)} MB) in ${seconds.toFixed(1)} s = ${fmt(rate)} events/s ` +
      `(stored ${fmt(summary.stored)}, duplicates ${fmt(summary.duplicates)}, rejected ${fmt(summary.rejected)}; ${defaultImportWorkers()} parse worker(s), ${os.availableParallelism()} cores)`,
  );

  const ceiling = await readJsonCeiling(file, dir);
  const ceilingRate = ceiling.rows / ceiling.seconds;
  console.log(`ceiling: DuckDB read_json of the same file into a table: ${fmt(ceiling.rows)} rows in ${ceiling.seconds.toFixed(1)} s = ${fmt(ceilingRate)} rows/s`);
  console.log(`ratio: import / read_json = ${(rate / ceilingRate).toFixed(2)}`);

  const floor = await engineFloor(file, dir);
  const floorCpu = floor.readCpu + floor.insertCpu;
  const cores = os.availableParallelism();
  console.log(
    `engine floor: typed read_json ${floor.read.toFixed(1)} s (${floor.readCpu.toFixed(1)} CPU-s), field extraction + insert into events ` +
      `${floor.insert.toFixed(1)} s (${floor.insertCpu.toFixed(1)} CPU-s) for ${fmt(floor.rows)} rows: at most ${fmt((floor.rows * cores) / floorCpu)} lines/s ` +
      `on ${cores} cores before any validation, sealing or de-duplication`,
  );

  const steps = profileSteps(file, dir);
  console.log(
    `per line, one thread: JSON.parse ${steps.parse.toFixed(1)} µs, validateMessage ${steps.validate.toFixed(1)} µs, ` +
      `normalizeMessage ${steps.normalize.toFixed(1)} µs; whole worker task (parse, validate, normalize, stage CSV) ${steps.task.toFixed(1)} µs ` +
      `= ${fmt(1e6 / steps.task)} lines/s per core`,
  );
} finally {
  if (args.keep) process.stderr.write(`kept ${dir}\n`);
  else fs.rmSync(dir, { recursive: true, force: true });
}
