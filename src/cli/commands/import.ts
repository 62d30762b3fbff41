import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { isCi, loadConfig } from '../../config/index.ts';
import { TributaryError } from '../../errors/index.ts';
import {
  MESSAGE_TYPES,
  type MessageType,
  addCounts,
  countLines,
  csvRecordMapper,
  emptyCounts,
  type EventImport,
  ImportService,
  newImportId,
  readCsvRows,
  readLineChunks,
  RejectsFile,
  rejectsPathFor,
  type CsvRow,
  type ImportCounts,
  type ImportKind,
  type LineReject,
  type MessageRecord,
} from '../../ingest/index.ts';
import { loadOrCreateSecret } from '../../privacy/index.ts';
import { readServerFile } from '../../server/index.ts';
import { databasePath } from '../../store/index.ts';
import { printJson, printTable } from '../output.ts';
import { withDataDir } from '../target.ts';
import { createServices, processPending, type Services } from '../../server/services.ts';

interface ImportOptions {
  data?: string;
  format?: string;
  type?: string;
  source?: string;
  json?: boolean;
}

/** What the command needs to know about one run. */
interface Job {
  readonly kind: ImportKind;
  readonly input: string;
  readonly file: string;
  readonly size: number;
  readonly format: 'ndjson' | 'csv';
  readonly defaultType: MessageType | null;
  readonly sourceId: string | null;
  readonly rejects: RejectsFile;
  readonly progress: Progress;
}

/** Files smaller than this are parsed on the event loop: starting worker threads would cost more. */
const INLINE_FILE_BYTES = 1024 * 1024;
/** NDJSON bytes and CSV rows per request when importing through a running server. */
const SERVER_CHUNK_BYTES = 4 * 1024 * 1024;
const SERVER_CSV_ROWS = 2_000;
const SERVER_SPEND_ROWS = 20_000;

interface Progress {
  set(bytes: number): void;
  stop(): void;
}

function startProgress(kind: ImportKind, total: number, enabled: boolean): Progress {
  if (!enabled || total === 0) return { set: () => undefined, stop: () => undefined };
  const mb = (n: number): string => (n / 1_048_576).toFixed(1);
  const bar = new SingleBar(
    { stream: process.stderr, format: `import ${kind} [{bar}] {percentage}% | {done}/{size} MB | ETA {eta_formatted}`, hideCursor: true },
    Presets.shades_classic,
  );
  bar.start(total, 0, { done: mb(0), size: mb(total) });
  return {
    set: (bytes) => bar.update(Math.min(total, bytes), { done: mb(Math.min(total, bytes)) }),
    stop: () => bar.stop(),
  };
}

function readableSize(input: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(input);
    fs.accessSync(input, fs.constants.R_OK);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new TributaryError('bad_request', `cannot read ${input}: ${reason}`);
  }
  if (!stat.isFile()) throw new TributaryError('bad_request', `cannot read ${input}: not a file`);
  return stat.size;
}

function formatOf(kind: ImportKind, input: string, format: string | undefined): 'ndjson' | 'csv' {
  if (kind !== 'events') return 'csv';
  if (format === undefined) return /\.csv$/i.test(input) ? 'csv' : 'ndjson';
  if (format !== 'ndjson' && format !== 'csv') throw new TributaryError('bad_request', `--format: must be ndjson or csv, got "${format}"`);
  return format;
}

function typeOf(type: string | undefined): MessageType | null {
  if (type === undefined) return null;
  if (!(MESSAGE_TYPES as readonly string[]).includes(type)) throw new TributaryError('bad_request', `--type: must be one of ${MESSAGE_TYPES.join(', ')}`);
  return type as MessageType;
}

// Without a server ----------------------------------------------------------------------------

async function importDirectly(job: Job, services: Services): Promise<ImportCounts> {
  // Messages of erased people are dropped (and counted), and personal data sealed, like on the API.
  const options = { suppression: services.suppression, sealing: services.sealing };
  const service = new ImportService(services.store, services.access, job.size < INLINE_FILE_BYTES ? { workers: 0, ...options } : options);
  try {
    if (job.kind === 'spend') return await importSpendDirectly(job, service);
    if (job.format === 'ndjson') return await importNdjsonDirectly(job, service);
    return await importCsvDirectly(job, job.kind, service);
  } finally {
    await service.close();
  }
}

async function importNdjsonDirectly(job: Job, service: ImportService): Promise<ImportCounts> {
  const session = await service.startEventImport('events', { file: job.file, sourceId: job.sourceId, defaultType: job.defaultType }, job.rejects.write);
  let done = 0;
  try {
    for await (const chunk of readLineChunks(job.input)) {
      done += chunk.byteLength;
      await session.submitNdjson(chunk);
      job.progress.set(done);
    }
  } catch (err) {
    await session.abort();
    throw err;
  }
  return session.finish();
}

async function importCsvDirectly(job: Job, kind: 'events' | 'customers', service: ImportService): Promise<ImportCounts> {
  let session: EventImport | null = null;
  try {
    let map: ((row: CsvRow) => MessageRecord) | null = null;
    for await (const batch of readCsvRows(job.input)) {
      // The header is checked before anything is imported.
      map ??= csvRecordMapper(kind, batch.header, job.defaultType);
      session ??= await service.startEventImport(kind, { file: job.file, sourceId: job.sourceId, defaultType: job.defaultType }, job.rejects.write);
      await session.submitRecords(batch.rows.map(map));
      job.progress.set(batch.bytesRead);
    }
  } catch (err) {
    await session?.abort();
    throw err;
  }
  return session ? session.finish() : emptyCounts();
}

async function importSpendDirectly(job: Job, service: ImportService): Promise<ImportCounts> {
  let header: string[] = [];
  const rows: CsvRow[] = [];
  for await (const batch of readCsvRows(job.input)) {
    header = batch.header;
    for (const r of batch.rows) rows.push(r);
    job.progress.set(batch.bytesRead);
  }
  const outcome = await service.importSpendRows(header, rows, { file: job.file });
  job.rejects.write(outcome.rejects);
  return outcome;
}

// Through a running server --------------------------------------------------------------------

interface ChunkAnswer extends ImportCounts {
  rejects: LineReject[];
}

async function post(server: { url: string; token: string }, route: string, body: Uint8Array | string, contentType: string): Promise<ChunkAnswer> {
  const res = await fetch(server.url + route, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': contentType },
    body,
  });
  const answer = (await res.json()) as ChunkAnswer & { error?: { code: string; message: string } };
  if (!res.ok) throw new TributaryError('bad_request', `the server answered ${res.status}: ${answer.error?.message ?? 'no reason given'}`);
  return answer;
}

/** Requests in flight: the server parses one chunk while it commits the previous one. */
const SERVER_WINDOW = 2;

async function importThroughServer(job: Job, dataDir: string): Promise<ImportCounts> {
  const server = readServerFile(dataDir);
  if (!server) throw new TributaryError('unavailable', `the server of ${dataDir} stopped; run the import again`);
  const importId = newImportId();
  const total = emptyCounts();
  // Spend chunks go one at a time: a later chunk's row for the same key must replace an earlier one.
  const windowSize = job.kind === 'spend' ? 1 : SERVER_WINDOW;
  // Answers are taken in the order the chunks were sent, so the rejects file stays in line order.
  const window: Array<{ answer: Promise<ChunkAnswer>; progress: number }> = [];
  const send = async (route: string, body: Uint8Array | string, contentType: string, progress: number): Promise<void> => {
    const answer = post(server, route, body, contentType);
    answer.catch(() => undefined);
    window.push({ answer, progress });
    if (window.length >= windowSize) await takeOldest();
  };
  const takeOldest = async (): Promise<void> => {
    const oldest = window.shift()!;
    const answer = await oldest.answer;
    addCounts(total, answer);
    job.rejects.write(answer.rejects);
    job.progress.set(oldest.progress);
  };
  if (job.format === 'ndjson') {
    let firstLine = 1;
    let done = 0;
    for await (const chunk of readLineChunks(job.input, SERVER_CHUNK_BYTES)) {
      const q = new URLSearchParams({ file: job.file, importId, firstLine: String(firstLine) });
      if (job.defaultType) q.set('type', job.defaultType);
      if (job.sourceId) q.set('source', job.sourceId);
      firstLine += countLines(chunk);
      done += chunk.byteLength;
      await send(`/api/import/events?${q}`, chunk, 'application/x-ndjson', done);
    }
  } else {
    const route = `/api/import/${job.kind}`;
    for await (const batch of readCsvRows(job.input, job.kind === 'spend' ? SERVER_SPEND_ROWS : SERVER_CSV_ROWS)) {
      // A bad header is the user's to fix: say so before sending anything.
      if (job.kind !== 'spend') csvRecordMapper(job.kind, batch.header, job.defaultType);
      const body = { file: job.file, importId, source: job.sourceId ?? undefined, type: job.defaultType ?? undefined, header: batch.header, rows: batch.rows };
      await send(route, JSON.stringify(body), 'application/json', batch.bytesRead);
    }
  }
  while (window.length > 0) await takeOldest();
  return total;
}

// The command -----------------------------------------------------------------------------------

async function runImport(kind: ImportKind, file: string, opts: ImportOptions): Promise<void> {
  const config = loadConfig({ dataDir: opts.data });
  const input = path.resolve(file);
  const size = readableSize(input);
  const format = formatOf(kind, input, opts.format);
  const defaultType = typeOf(opts.type);
  if (!readServerFile(config.dataDir) && !fs.existsSync(databasePath(config.dataDir))) {
    throw new TributaryError('bad_request', `${config.dataDir} is not a Tributary data directory (run \`tributary init --data ${config.dataDir}\` first)`);
  }
  const rejects = new RejectsFile(rejectsPathFor(input));
  const progress = startProgress(kind, size, !opts.json && process.stderr.isTTY === true && !isCi());
  const job: Job = { kind, input, file: path.basename(input), size, format, defaultType, sourceId: opts.source ?? null, rejects, progress };
  let counts: ImportCounts;
  let rejectsFile: string | null = null;
  try {
    counts = await withDataDir(
      config.dataDir,
      () => importThroughServer(job, config.dataDir),
      async (store) => {
        const secret = loadOrCreateSecret(config.dataDir, config.secret);
        const services = await createServices(store, config, secret);
        const imported = await importDirectly(job, services);
        // No server to catch up in the background: bring people, sessions and touches up to date now.
        if (imported.stored > 0) await processPending(services);
        return imported;
      },
    );
  } finally {
    progress.stop();
    rejectsFile = rejects.close();
  }
  const summary = { read: counts.read, stored: counts.stored, duplicates: counts.duplicates, rejected: counts.rejected, suppressed: counts.suppressed, rejectsFile };
  if (opts.json) {
    printJson(summary);
    return;
  }
  printTable([{ file: job.file, read: counts.read, stored: counts.stored, duplicates: counts.duplicates, rejected: counts.rejected, suppressed: counts.suppressed }]);
  if (rejectsFile) process.stdout.write(`${counts.rejected} rejected — each listed with its line number and reason in ${rejectsFile}\n`);
}

const DATA_HELP = 'data directory (env TRIBUTARY_DATA_DIR, default ./data)';
const JSON_HELP = 'print {"read", "stored", "duplicates", "rejected", "rejectsFile"} as JSON';

export function registerImport(program: Command): void {
  const command = program
    .command('import')
    .description('import events, ad spend or customers from a file (through the running server, or into the file)');
  command
    .command('events <file>')
    .description('import Segment messages: NDJSON (one message per line) or CSV whose header names message fields (userId, properties.revenue, ...)')
    .option('--data <dir>', DATA_HELP)
    .option('--format <format>', 'ndjson or csv (default: by the file extension)')
    .option('--type <type>', 'message type for messages without one (track, identify, page, ...)')
    .option('--source <id>', 'source to import into (default: the first active source)')
    .option('--json', JSON_HELP)
    .action((file: string, opts: ImportOptions) => runImport('events', file, opts));
  command
    .command('spend <file>')
    .description('import daily ad spend (CSV: date, channel, campaign, spend, impressions, clicks, currency); a changed row replaces the stored one')
    .option('--data <dir>', DATA_HELP)
    .option('--json', JSON_HELP)
    .action((file: string, opts: ImportOptions) => runImport('spend', file, opts));
  command
    .command('customers <file>')
    .description('import CRM/POS customers and offline orders (CSV: external_id, email, phone, first_name, last_name, traits; order_id, order_date, revenue, currency, store_id)')
    .option('--data <dir>', DATA_HELP)
    .option('--source <id>', 'source to import into (default: the first active source)')
    .option('--json', JSON_HELP)
    .action((file: string, opts: ImportOptions) => runImport('customers', file, opts));
}
