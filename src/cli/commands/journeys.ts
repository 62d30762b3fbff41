import type { Command } from 'commander';
import { loadConfig } from '../../config/index.ts';
import { TributaryError } from '../../errors/index.ts';
import type { Store } from '../../store/index.ts';
import {
  type PathOptions,
  journeysQuerySchema,
  pathFlowsFromStore,
  pathTimingFromStore,
  topPathsFromStore,
  type Distribution,
  type FlowsReport,
  type JourneysRequest,
  type PathRow,
  type TimingReport,
  type TopPathsReport,
} from '../../analytics/index.ts';
import { printJson, printTable } from '../output.ts';
import { consentFilters } from '../consent.ts';
import { withDataDir } from '../target.ts';

interface JourneysOptions {
  data?: string;
  lookback: string;
  from?: string;
  to?: string;
  by: string;
  conversion?: string;
  limit: string;
  depth: string;
  json?: boolean;
}

const VIEWS = ['top', 'timing', 'flows'] as const;
type View = (typeof VIEWS)[number];

const fmt = (n: number | null, digits = 2): string => (n === null ? '' : n.toLocaleString('en-US', { maximumFractionDigits: digits }));
const percent = (r: number | null): string => (r === null ? '' : `${(r * 100).toFixed(1)}%`);

function pathRows(rows: readonly PathRow[]) {
  return rows.map((p) => ({ path: p.path, conversions: fmt(p.conversions), nulls: fmt(p.nulls), conversionRate: percent(p.conversionRate), value: fmt(p.value) }));
}

function printTop(r: TopPathsReport): void {
  const t = r.totals;
  process.stdout.write(`${fmt(t.journeys)} journeys (${r.conversion}, ${r.lookbackDays}d lookback): ${fmt(t.conversions)} converted (${percent(t.conversionRate)}), value ${fmt(t.value)}, ${fmt(t.uniquePaths)} distinct paths\n`);
  process.stdout.write('\ntop paths to conversion\n');
  printTable(pathRows(r.converting));
  process.stdout.write('\ntop paths without conversion\n');
  printTable(pathRows(r.nonConverting));
  if (t.conversionsWithoutTouches > 0) process.stderr.write(`${fmt(t.conversionsWithoutTouches)} conversions had no touch in the lookback window\n`);
}

function printDistribution(title: string, d: Distribution): void {
  process.stdout.write(`\n${title}: median ${fmt(d.median)}, p90 ${fmt(d.p90)}, mean ${fmt(d.mean)}\n`);
  printTable(d.histogram.map((b) => ({ bin: b.label, journeys: b.journeys })));
}

function printTiming(r: TimingReport): void {
  process.stdout.write(`${fmt(r.journeys)} converting journeys with touches (${r.conversion}); ${fmt(r.conversionsWithoutTouches)} without\n`);
  printDistribution('days from first touch to conversion', r.daysToConvert);
  printDistribution('touches per converting journey', r.touchesToConvert);
}

function printFlows(r: FlowsReport): void {
  process.stdout.write(`${fmt(r.journeys)} journeys, ${r.depth} steps deep: ${fmt(r.conversions)} to conversion, ${fmt(r.drops)} dropped\n`);
  printTable(r.links.map((l) => ({ source: l.source, target: l.target, journeys: fmt(l.journeys) })));
}

type Report = TopPathsReport | TimingReport | FlowsReport;
const RUN: Record<View, (store: Store, request: JourneysRequest, options: PathOptions) => Promise<Report>> = { top: topPathsFromStore, timing: pathTimingFromStore, flows: pathFlowsFromStore };

export function registerJourneys(program: Command): void {
  program
    .command('journeys')
    .description('journeys and paths (attribution\'s journeys): top paths, time and touches to convert, channel flows')
    .argument('<view>', 'top | timing | flows')
    .option('--data <dir>', 'data directory (env TRIBUTARY_DATA_DIR, default ./data)')
    .option('--lookback <window>', 'touches this long before a conversion count (e.g. 30d)', '30d')
    .option('--from <date>', 'first day of journey ends (YYYY-MM-DD, UTC)')
    .option('--to <date>', 'last day of journey ends (inclusive)')
    .option('--by <level>', 'channel | campaign | source-medium', 'channel')
    .option('--conversion <name>', 'conversion definition (default: Order Completed)')
    .option('--limit <n>', 'paths per list (top)', '10')
    .option('--depth <k>', 'Sankey steps (flows)', '4')
    .option('--json', 'print the API document as JSON')
    .action(async (view: string, opts: JourneysOptions) => {
      if (!(VIEWS as readonly string[]).includes(view)) throw new TributaryError('bad_request', `view: "${view}" is not one of ${VIEWS.join(', ')}`);
      const raw = { lookback: opts.lookback, from: opts.from, to: opts.to, by: opts.by, conversion: opts.conversion, limit: opts.limit, depth: opts.depth };
      const parsed = journeysQuerySchema.safeParse(raw);
      if (!parsed.success) throw new TributaryError('bad_request', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const query = new URLSearchParams(Object.entries(raw).filter((e): e is [string, string] => e[1] !== undefined));
      const config = loadConfig({ dataDir: opts.data });
      const report = await withDataDir<Report>(
        config.dataDir,
        (api) => api.get(`/api/journeys/${view}?${query}`),
        (store) => RUN[view as View](store, parsed.data, { personAllowed: consentFilters(store, config).personAllowed('analytics') }),
      );
      if (opts.json) printJson(report);
      else if (view === 'top') printTop(report as TopPathsReport);
      else if (view === 'timing') printTiming(report as TimingReport);
      else printFlows(report as FlowsReport);
    });
}
