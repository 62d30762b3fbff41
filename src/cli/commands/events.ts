import type { Command } from 'commander';
import { loadConfig } from '../../config/index.ts';
import { listEvents, type EventPage } from '../../ingest/index.ts';
import { printJson, printTable } from '../output.ts';
import { withDataDir } from '../target.ts';

interface EventsOptions {
  data?: string;
  limit: string;
  type?: string;
  event?: string;
  userId?: string;
  anonymousId?: string;
  json?: boolean;
}

export function registerEvents(program: Command): void {
  program
    .command('events')
    .description('list stored events, newest first (through the running server, or from the file)')
    .option('--data <dir>', 'data directory (env TRIBUTARY_DATA_DIR, default ./data)')
    .option('--limit <n>', 'how many events', '20')
    .option('--type <type>', 'only this message type (track, identify, page, ...)')
    .option('--event <name>', 'only this track event name')
    .option('--user-id <id>', 'only this userId')
    .option('--anonymous-id <id>', 'only this anonymousId')
    .option('--json', 'print {"total", "events"} as JSON')
    .action(async (opts: EventsOptions) => {
      const config = loadConfig({ dataDir: opts.data });
      const limit = Math.max(1, Math.min(1000, Number.parseInt(opts.limit, 10) || 20));
      const filter = { type: opts.type, event: opts.event, userId: opts.userId, anonymousId: opts.anonymousId };
      const page = await withDataDir<EventPage>(
        config.dataDir,
        (api) => {
          const q = new URLSearchParams({ limit: String(limit) });
          for (const [k, v] of Object.entries(filter)) if (v) q.set(k, v);
          return api.get<EventPage>(`/api/events?${q}`);
        },
        (store) => listEvents(store, filter, limit),
      );
      if (opts.json) {
        printJson({ total: page.total, events: page.events });
        return;
      }
      printTable(
        page.events.map((e) => ({
          timestamp: e.timestamp,
          type: e.type,
          event: e.event ?? e.name ?? '',
          userId: e.userId,
          anonymousId: e.anonymousId,
          messageId: e.messageId,
        })),
      );
      process.stderr.write(`${page.events.length} of ${page.total} events\n`);
    });
}
