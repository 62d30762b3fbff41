import fs from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import { loadConfig } from '../../config/index.ts';
import { TributaryError } from '../../errors/index.ts';
import { clearQuarantine, exportQuarantine, listQuarantine, type QuarantinedMessage, type QuarantineTally } from '../../ingest/index.ts';
import { AuditLog, loadOrCreateSecret, PiiKeyring } from '../../privacy/index.ts';
import type { Store } from '../../store/index.ts';
import { note, printJson, printTable } from '../output.ts';
import { withDataDir } from '../target.ts';

interface Common {
  data?: string;
  json?: boolean;
}

/** A --before value as the server takes it, checked here first (exit code 1 before any work). */
function beforeOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (Number.isNaN(Date.parse(value))) throw new TributaryError('bad_request', `--before: "${value}" is not a date or date-time (e.g. 2024-05-01)`);
  return value;
}

const queryOf = (before: string | undefined): string => (before === undefined ? '' : `?${new URLSearchParams({ before })}`);

/** Copies NDJSON chunks to `out` as they come, minding backpressure; answers the lines written. */
async function writeAll(source: AsyncIterable<string | Buffer>, out: NodeJS.WritableStream): Promise<number> {
  let lines = 0;
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    if (!out.write(text)) await once(out, 'drain');
  }
  return lines;
}

/** Where a rejected message came from: the origin and its index in the batch or line in the file. */
function whereOf(m: QuarantinedMessage): string {
  if (m.index === null) return m.origin;
  return `${m.origin} ${m.origin.startsWith('import:') ? 'line' : 'index'} ${m.index}`;
}

async function onFile<T>(store: Store, dataDir: string, secret: string | undefined, run: (open: (c: string) => string, audit: AuditLog) => Promise<T>): Promise<T> {
  const ring = await PiiKeyring.open(store, loadOrCreateSecret(dataDir, secret));
  return run(ring.open, new AuditLog(store));
}

/**
 * `tributary quarantine list|export|clear`: the messages ingestion and import rejected, with the
 * reason and where; export them as NDJSON to fix and import again; clear them once dealt with.
 */
export function registerQuarantine(program: Command): void {
  const quarantine = program
    .command('quarantine')
    .description('rejected messages: list them with the reason, export them to fix and import again, clear them');

  quarantine
    .command('list')
    .description('rejected messages, newest first, with the reason and where (batch index or file line)')
    .option('--data <dir>', 'data directory (env TRIBUTARY_DATA_DIR, default ./data)')
    .option('--limit <n>', 'how many', '20')
    .option('--json', 'print {"total", "messages"} as JSON')
    .action(async (opts: Common & { limit: string }) => {
      const config = loadConfig({ dataDir: opts.data });
      const limit = Math.max(1, Math.min(1000, Number.parseInt(opts.limit, 10) || 20));
      const page = await withDataDir(
        config.dataDir,
        (api) => api.get<{ total: number; messages: QuarantinedMessage[] }>(`/api/quarantine?limit=${limit}`),
        (store) => listQuarantine(store, limit, 0),
      );
      if (opts.json) {
        // On the file, payloads stay as stored (personal data sealed); the server opens them by role.
        printJson(page);
        return;
      }
      printTable(page.messages.map((m) => ({ received: m.receivedAt, where: whereOf(m), messageId: m.messageId ?? '', reason: m.reason })));
      note(`${page.messages.length} of ${page.total} rejected messages`);
    });

  quarantine
    .command('export')
    .description('write the rejected messages as NDJSON (oldest first, personal data opened) to fix and import again with "tributary import events"')
    .option('--data <dir>', 'data directory (env TRIBUTARY_DATA_DIR, default ./data)')
    .option('--before <date>', 'only messages received before this date or date-time')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (opts: Common & { before?: string; out?: string }) => {
      const config = loadConfig({ dataDir: opts.data });
      const before = beforeOf(opts.before);
      const out = opts.out === undefined ? process.stdout : fs.createWriteStream(opts.out);
      const { lines, skipped } = await withDataDir<{ lines: number; skipped: number | null }>(
        config.dataDir,
        async (api) => ({ lines: await writeAll(await api.getStream(`/api/quarantine/export.ndjson${queryOf(before)}`), out), skipped: null }),
        (store) =>
          onFile(store, config.dataDir, config.secret, async (open, audit) => {
            const tally: QuarantineTally = { messages: 0, skipped: 0 };
            await writeAll(exportQuarantine(store, open, before === undefined ? null : new Date(before), tally), out);
            await audit.record({ actor: 'cli', action: 'export.quarantine', target: before ?? 'all', details: { ...tally } });
            return { lines: tally.messages, skipped: tally.skipped };
          }),
      );
      if (out !== process.stdout) await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      note(
        `${lines} messages written${opts.out ? ` to ${opts.out}` : ''}` +
          (skipped ? `; ${skipped} kept bodies left out (not JSON, or cut at 64 KB)` : '') +
          (lines > 0 ? '. Fix them, then: tributary import events <file>' : ''),
      );
    });

  quarantine
    .command('clear')
    .description('delete rejected messages (all, or those received before --before); needs --yes')
    .option('--data <dir>', 'data directory (env TRIBUTARY_DATA_DIR, default ./data)')
    .option('--before <date>', 'only messages received before this date or date-time')
    .option('--yes', 'really delete them')
    .option('--json', 'print {"deleted"} as JSON')
    .action(async (opts: Common & { before?: string; yes?: boolean }) => {
      const config = loadConfig({ dataDir: opts.data });
      const before = beforeOf(opts.before);
      if (!opts.yes) throw new TributaryError('bad_request', `this deletes ${before ? `the rejected messages received before ${before}` : 'every rejected message'}: add --yes`);
      const { deleted } = await withDataDir(
        config.dataDir,
        (api) => api.send<{ deleted: number }>('DELETE', `/api/quarantine${queryOf(before)}`),
        async (store) => {
          const n = await clearQuarantine(store, before === undefined ? null : new Date(before));
          await new AuditLog(store).record({ actor: 'cli', action: 'quarantine.clear', target: before ?? 'all', details: { deleted: n } });
          return { deleted: n };
        },
      );
      if (opts.json) printJson({ deleted });
      else note(`${deleted} rejected messages deleted`);
    });
}
