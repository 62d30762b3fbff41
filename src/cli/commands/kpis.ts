import type { Command } from 'commander';
import { loadConfig } from '../../config/index.ts';
import { TributaryError } from '../../errors/index.ts';
import { kpiQuerySchema, kpisFromStore, type KpiReport } from '../../analytics/index.ts';
import { printJson, printTable } from '../output.ts';
import { consentFilters } from '../consent.ts';
import { withDataDir } from '../target.ts';

interface KpiOptions {
  data?: string;
  from?: string;
  to?: string;
  granularity: string;
  by?: string;
  metrics: string;
  conversion?: string;
  json?: boolean;
}

const RATIOS = new Set(['conversionRate', 'sessionConversionRate', 'ctr', 'roi']);

/** A metric for people: counts with separators, rates as percentages, money with 2 decimals. */
function show(metric: string, v: unknown): string {
  if (typeof v !== 'number') return '';
  if (RATIOS.has(metric)) return `${(v * 100).toFixed(2)}%`;
  const digits = Number.isInteger(v) ? 0 : 2;
  return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function printReport(r: KpiReport): void {
  process.stdout.write(`KPIs ${r.from} … ${r.to} (previous ${r.previous.from} … ${r.previous.to}), conversion "${r.conversion}"\n\n`);
  printTable(
    r.metrics.map((m) => ({
      metric: m,
      value: show(m, r.totals[m]),
      previous: show(m, r.previous.totals[m]),
      change: typeof r.change[m] === 'number' ? `${((r.change[m] as number) * 100).toFixed(1)}%` : '',
    })),
  );
  const row = (label: string, value: string, metrics: Record<string, unknown>): Record<string, string> => ({
    [label]: value,
    ...Object.fromEntries(r.metrics.map((m) => [m, show(m, metrics[m])])),
  });
  process.stdout.write(`\nby ${r.granularity}\n`);
  printTable(r.series.map((s) => row('period', s.period, s)));
  if (r.by !== null) {
    process.stdout.write(`\nby ${r.by}\n`);
    printTable(r.breakdown.map((b) => row('key', b.key, b)));
    const off = r.reconciliation.breakdown.filter((l) => !l.reconciles && l.note !== null);
    for (const l of off) process.stderr.write(`note: ${l.metric} does not add up to the total: ${l.note}\n`);
  }
}

export function registerKpis(program: Command): void {
  program
    .command('kpis')
    .description('marketing KPIs for a date range: totals, a series by period, a breakdown, and the change on the previous period')
    .option('--data <dir>', 'data directory (env TRIBUTARY_DATA_DIR, default ./data)')
    .option('--from <date>', 'first day (YYYY-MM-DD, UTC; default 30 days before --to)')
    .option('--to <date>', 'last day, inclusive (default: the day of the latest event)')
    .option('--granularity <unit>', 'hour | day | week | month', 'day')
    .option('--by <breakdown>', 'channel | campaign | source_medium | device | country | trait:NAME')
    .option('--metrics <names>', 'comma-separated metric names, or all', 'all')
    .option('--conversion <name>', 'conversion definition (default: the default one)')
    .option('--json', 'print the document GET /api/kpis answers')
    .action(async (opts: KpiOptions) => {
      const raw = { from: opts.from, to: opts.to, granularity: opts.granularity, by: opts.by, metrics: opts.metrics, conversion: opts.conversion };
      const parsed = kpiQuerySchema.safeParse(raw);
      if (!parsed.success) throw new TributaryError('bad_request', parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
      const config = loadConfig({ dataDir: opts.data });
      const query = new URLSearchParams(Object.entries(raw).filter(([, v]) => v !== undefined) as Array<[string, string]>);
      const report = await withDataDir(
        config.dataDir,
        (api) => api.get<KpiReport>(`/api/kpis?${query}`),
        (store) => kpisFromStore(store, parsed.data, { scope: consentFilters(store, config).analyticsScope }),
      );
      if (opts.json) printJson(report);
      else printReport(report);
    });
}
