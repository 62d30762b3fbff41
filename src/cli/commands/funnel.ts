import type { Command } from 'commander';
import { loadConfig } from '../../config/index.ts';
import { TributaryError } from '../../errors/index.ts';
import { readServerFile } from '../../server/index.ts';
import {
  deleteSavedFunnel,
  droppedPageSchema,
  listDroppedPeople,
  listSavedFunnels,
  resolveFunnelDefinition,
  runFunnel,
  saveFunnel,
  type DroppedPeoplePage,
  type FunnelReport,
  type FunnelStepResult,
  type SavedFunnel,
} from '../../analytics/index.ts';
import { note, printJson, printTable } from '../output.ts';
import { consentFilters } from '../consent.ts';
import type { Store } from '../../store/index.ts';
import { withDataDir, type ServerClient } from '../target.ts';

interface FunnelOptions {
  data?: string;
  steps?: string;
  saved?: string;
  window?: string;
  mode?: string;
  countBy?: string;
  by?: string;
  from?: string;
  to?: string;
  dropped?: string;
  limit?: string;
  cursor?: string;
  save?: string;
  list?: boolean;
  delete?: string;
  json?: boolean;
}

/** A request with a body through the running server (the shared client only GETs). */
async function send<T>(dataDir: string, api: ServerClient, method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const token = readServerFile(dataDir)?.token ?? '';
  const res = await fetch(api.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed = (await res.json()) as T & { error?: { code: string; message: string } };
  if (!res.ok) throw new TributaryError(res.status === 404 ? 'not_found' : 'bad_request', parsed.error?.message ?? `server answered ${res.status}`);
  return parsed;
}

const percent = (r: number | null): string => (r === null ? '' : `${(r * 100).toFixed(1)}%`);

/** 95 → "1m 35s", 200000 → "2d 7h". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '';
  const s = Math.round(seconds);
  const units: Array<[string, number]> = [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]];
  const parts: string[] = [];
  let rest = s;
  for (const [u, size] of units) {
    if (rest >= size || (u === 's' && parts.length === 0)) {
      parts.push(`${Math.floor(rest / size)}${u}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

function stepRows(steps: readonly FunnelStepResult[]) {
  return steps.map((s) => ({
    step: s.step,
    label: s.label,
    entered: s.entered,
    converted: s.converted ?? '',
    conversion: percent(s.conversionRate),
    dropOff: percent(s.dropOffRate),
    overall: percent(s.overallRate),
    medianToNext: formatDuration(s.timeToNext?.medianSeconds),
    p90ToNext: formatDuration(s.timeToNext?.p90Seconds),
  }));
}

function printReport(r: FunnelReport): void {
  const unit = r.countBy === 'session' ? 'sessions' : 'people';
  process.stdout.write(`funnel (${r.definition.mode} order, ${r.definition.window} window, by ${r.countBy}): ${r.entered} ${unit} entered, ${r.completed} completed (${percent(r.conversionRate)})\n`);
  printTable(stepRows(r.steps));
  if (r.breakdown) {
    process.stdout.write(`\nby ${r.breakdown.by}\n`);
    printTable(
      r.breakdown.groups.map((g) => ({
        [r.breakdown!.by]: g.value,
        ...Object.fromEntries(g.steps.map((s) => [`step ${s.step}`, s.entered])),
        conversion: percent(g.conversionRate),
      })),
    );
  }
}

function definitionInput(opts: FunnelOptions): Record<string, string> {
  const fields = { saved: opts.saved, steps: opts.steps, window: opts.window, mode: opts.mode, countBy: opts.countBy, by: opts.by, from: opts.from, to: opts.to };
  return Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));
}

export function registerFunnel(program: Command): void {
  program
    .command('funnel')
    .description('conversion funnel over event steps: counts, rates, times and drop-offs (or saved funnels)')
    .option('--data <dir>', 'data directory (env TRIBUTARY_DATA_DIR, default ./data)')
    .option('--steps <list>', 'comma-separated steps: event names, page[:name], screen[:name], each optionally "where properties.key = \'value\'"')
    .option('--saved <name>', 'run a saved funnel (other options override its fields)')
    .option('--window <duration>', 'conversion window from the first step (e.g. 7d, 12h)')
    .option('--mode <mode>', 'strict (steps in order, the default) | any (any order within the window)')
    .option('--count-by <unit>', 'person (default) | session')
    .option('--by <breakdown>', 'channel | campaign | properties.<key> (of the first step)')
    .option('--from <date>', 'first day of first steps (YYYY-MM-DD, UTC)')
    .option('--to <date>', 'last day of first steps (inclusive)')
    .option('--dropped <step>', 'list the people who reached this step but not the next')
    .option('--limit <n>', 'people per page with --dropped', '100')
    .option('--cursor <cursor>', 'next page of --dropped (nextCursor of the previous page)')
    .option('--save <name>', 'save the definition under this name (and print it)')
    .option('--list', 'list saved funnels')
    .option('--delete <name>', 'delete a saved funnel')
    .option('--json', 'print the API document as JSON')
    .action(async (opts: FunnelOptions) => {
      const config = loadConfig({ dataDir: opts.data });
      const dir = config.dataDir;
      const analyticsOnly = (store: Store) => ({ personAllowed: consentFilters(store, config).personAllowed('analytics') });
      if (opts.list) {
        const { funnels } = await withDataDir(dir, (api) => api.get<{ funnels: SavedFunnel[] }>('/api/funnels/saved'), async (store) => ({ funnels: await listSavedFunnels(store) }));
        if (opts.json) printJson({ funnels });
        else printTable(funnels.map((f) => ({ name: f.name, steps: f.definition.steps.join(' → '), window: f.definition.window, mode: f.definition.mode, countBy: f.definition.countBy, updatedAt: f.updatedAt })));
        return;
      }
      if (opts.delete !== undefined) {
        const name = opts.delete;
        const result = await withDataDir(
          dir,
          (api) => send<{ deleted: string }>(dir, api, 'DELETE', `/api/funnels/saved/${encodeURIComponent(name)}`),
          async (store) => {
            await deleteSavedFunnel(store, name);
            return { deleted: name };
          },
        );
        if (opts.json) printJson(result);
        else note(`deleted saved funnel "${name}"`);
        return;
      }
      const input = definitionInput(opts);
      if (opts.save !== undefined) {
        const name = opts.save;
        const { saved: _saved, ...definition } = input;
        const saved = await withDataDir(dir, (api) => send<SavedFunnel>(dir, api, 'POST', '/api/funnels/saved', { name, definition }), (store) => saveFunnel(store, name, definition));
        if (opts.json) printJson(saved);
        else note(`saved funnel "${saved.name}": ${saved.definition.steps.join(' → ')}`);
        return;
      }
      if (opts.dropped !== undefined) {
        const paging = { step: opts.dropped, limit: opts.limit, ...(opts.cursor ? { cursor: opts.cursor } : {}) };
        const parsed = droppedPageSchema.safeParse(paging);
        if (!parsed.success) throw new TributaryError('bad_request', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        const page = await withDataDir<DroppedPeoplePage>(
          dir,
          (api) => api.get(`/api/funnels/dropped?${new URLSearchParams({ ...input, ...paging } as Record<string, string>)}`),
          async (store) => listDroppedPeople(store, await resolveFunnelDefinition(store, input), parsed.data, analyticsOnly(store)),
        );
        if (opts.json) {
          printJson(page);
          return;
        }
        printTable(page.people.map((p) => ({ personId: p.personId, ...(p.sessionId ? { sessionId: p.sessionId } : {}), reachedAt: p.reachedAt })));
        note(`${page.people.length} of ${page.total} dropped between "${page.stepLabel}" and "${page.nextStepLabel}"${page.nextCursor ? ` (next page: --cursor ${page.nextCursor})` : ''}`);
        return;
      }
      if (input.steps === undefined && input.saved === undefined) throw new TributaryError('bad_request', 'steps: give --steps "A,B,…" or --saved <name>');
      const report = await withDataDir<FunnelReport>(
        dir,
        (api) => api.get(`/api/funnels?${new URLSearchParams(input)}`),
        async (store) => runFunnel(store, await resolveFunnelDefinition(store, input), analyticsOnly(store)),
      );
      if (opts.json) printJson(report);
      else printReport(report);
    });
}
