import type { Command } from 'commander';
import { loadConfig } from '../../config/index.ts';
import { TributaryError } from '../../errors/index.ts';
import { retentionFromStore, retentionQuerySchema, type RetentionReport } from '../../analytics/index.ts';
import { printJson, printTable } from '../output.ts';
import { consentFilters } from '../consent.ts';
import { withDataDir } from '../target.ts';

interface RetentionOptions {
  data?: string;
  cohort: string;
  anchor: string;
  measure: string;
  by?: string;
  from?: string;
  to?: string;
  conversion?: string;
  json?: boolean;
}

function printReport(r: RetentionReport): void {
  const what = r.measure === 'revenue' ? 'revenue per member' : r.measure === 'active' ? 'share active' : 'share converting again';
  process.stdout.write(`cohorts by ${r.anchor.replace('_', ' ')} ${r.cohort}, ${what} (${r.from} … ${r.to}, observed through ${r.observedThrough ?? '-'})\n\n`);
  const cell = (v: number | undefined): string => (v === undefined ? '' : r.measure === 'revenue' ? v.toFixed(2) : `${(v * 100).toFixed(1)}%`);
  printTable(
    r.cohorts.map((c) => ({
      cohort: c.cohort,
      ...(r.by !== null ? { [r.by]: c.key } : {}),
      size: c.size,
      ...Object.fromEntries(Array.from({ length: r.periods }, (_, k) => [`+${k}`, cell((r.measure === 'revenue' ? c.cumulative : c.values)?.[k])])),
    })),
  );
  if (r.measure === 'revenue') process.stdout.write('(cumulative revenue per member: lifetime value to date)\n');
}

export function registerRetention(program: Command): void {
  program
    .command('retention')
    .description('cohort tables: repeat purchase, activity or revenue per member by week or month of first conversion (or first event)')
    .option('--data <dir>', 'data directory (env TRIBUTARY_DATA_DIR, default ./data)')
    .option('--cohort <unit>', 'week | month', 'week')
    .option('--anchor <start>', 'first_conversion | first_seen', 'first_conversion')
    .option('--measure <measure>', 'repeat_purchase | revenue | active', 'repeat_purchase')
    .option('--by <breakdown>', 'acquisition channel | campaign | source_medium (of the first touch)')
    .option('--from <date>', 'first cohort day (YYYY-MM-DD, UTC; default: 12 periods back)')
    .option('--to <date>', 'last cohort day, inclusive (default: the day of the latest event)')
    .option('--conversion <name>', 'conversion definition (default: the default one)')
    .option('--json', 'print the document GET /api/retention answers')
    .action(async (opts: RetentionOptions) => {
      const raw = { cohort: opts.cohort, anchor: opts.anchor, measure: opts.measure, by: opts.by, from: opts.from, to: opts.to, conversion: opts.conversion };
      const parsed = retentionQuerySchema.safeParse(raw);
      if (!parsed.success) throw new TributaryError('bad_request', parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
      const config = loadConfig({ dataDir: opts.data });
      const query = new URLSearchParams(Object.entries(raw).filter(([, v]) => v !== undefined) as Array<[string, string]>);
      const report = await withDataDir(
        config.dataDir,
        (api) => api.get<RetentionReport>(`/api/retention?${query}`),
        (store) => retentionFromStore(store, parsed.data, { scope: consentFilters(store, config).analyticsScope }),
      );
      if (opts.json) printJson(report);
      else printReport(report);
    });
}
