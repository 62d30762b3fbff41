import fs from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../../config/index.ts';
import { TributaryError } from '../../errors/index.ts';
import {
  attributeFromStore,
  attributePaths,
  attributionQuerySchema,
  compareResults,
  readPathFile,
  toReportResult,
  type ReportResult,
} from '../../attribution/index.ts';
import { note, printJson, printTable } from '../output.ts';
import { consentFilters } from '../consent.ts';
import { withDataDir } from '../target.ts';

interface AttributeOptions {
  data?: string;
  paths?: string;
  model: string;
  order: string;
  nulls: boolean;
  lookback: string;
  halfLife: string;
  from?: string;
  to?: string;
  by: string;
  conversion?: string;
  json?: boolean;
}

const fmt = (n: number | null, digits = 2): string => (n === null ? '' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

function printModel(r: ReportResult): void {
  const heading = `${r.model}${r.conversionProbability !== null ? `  P(conversion) ${r.conversionProbability.toFixed(6)}` : ''}`;
  process.stdout.write(`\n${heading}  — ${fmt(r.totalConversions)} conversions, value ${fmt(r.totalValue)}\n`);
  const hasSpend = r.channels.some((c) => c.spend !== null);
  const hasRemoval = r.channels.some((c) => c.removalEffect !== null);
  printTable(
    r.channels.map((c) => ({
      channel: c.channel,
      conversions: fmt(c.conversions),
      share: r.totalConversions > 0 ? `${((c.conversions / r.totalConversions) * 100).toFixed(1)}%` : '',
      value: fmt(c.value),
      ...(hasRemoval ? { removalEffect: c.removalEffect === null ? '' : c.removalEffect.toFixed(4) } : {}),
      ...(hasSpend ? { spend: fmt(c.spend), costPerConversion: fmt(c.costPerConversion), roas: fmt(c.roas) } : {}),
    })),
  );
  if (r.unattributed.conversions > 0) note(`${fmt(r.unattributed.conversions)} conversions had no touch in the lookback window (unattributed)`);
}

function printComparison(results: readonly ReportResult[]): void {
  const { rows } = compareResults(results);
  process.stdout.write('\nconversions by channel and model\n');
  printTable(rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'number' ? fmt(v) : v]))));
}

export function registerAttribute(program: Command): void {
  program
    .command('attribute')
    .description('attribute conversions to channels with rule-based, Markov and Shapley models')
    .option('--data <dir>', 'data directory (env TRIBUTARY_DATA_DIR, default ./data)')
    .option('--paths <file>', 'a path file (path,total_conversions,total_conversion_value,total_null) instead of the store')
    .option('--model <names>', 'first|last|last-non-direct|linear|participation|position|j-curve|inverse-j|time-decay|markov|shapley|shao-li|fractribution|all (comma-separated)', 'all')
    .option('--order <k>', 'Markov chain order (1-4)', '1')
    .option('--nulls', 'include journeys that did not convert (default)', true)
    .option('--no-nulls', 'leave out journeys that did not convert')
    .option('--lookback <window>', 'touches this long before a conversion count (e.g. 30d, 12h)', '30d')
    .option('--half-life <window>', 'time-decay half-life', '7d')
    .option('--from <date>', 'first day of conversions (YYYY-MM-DD, UTC)')
    .option('--to <date>', 'last day of conversions (inclusive)')
    .option('--by <level>', 'channel | campaign | source-medium', 'channel')
    .option('--conversion <name>', 'conversion definition (default: Order Completed)')
    .option('--json', 'print {"results": [...]} as JSON')
    .action(async (opts: AttributeOptions) => {
      const raw = {
        model: opts.model,
        order: opts.order,
        nulls: opts.nulls,
        lookback: opts.lookback,
        halfLife: opts.halfLife,
        from: opts.from,
        to: opts.to,
        by: opts.by,
        conversion: opts.conversion,
      };
      const parsed = attributionQuerySchema.safeParse(raw);
      if (!parsed.success) throw new TributaryError('bad_request', parsed.error.issues.map((i) => i.message).join('; '));
      const request = parsed.data;
      let results: ReportResult[];
      if (opts.paths) {
        if (!fs.existsSync(opts.paths)) throw new TributaryError('bad_request', `--paths: no such file ${opts.paths}`);
        const paths = readPathFile(fs.readFileSync(opts.paths, 'utf8'));
        if (request.models.includes('time-decay')) note('time-decay skipped: a path file has no touch timestamps');
        results = attributePaths(paths, request).map((r) => toReportResult(r, null));
      } else {
        const config = loadConfig({ dataDir: opts.data });
        const query = new URLSearchParams(Object.entries(raw).filter(([, v]) => v !== undefined).map(([k, v]): [string, string] => [k, String(v)]));
        results = (
          await withDataDir(
            config.dataDir,
            (api) => api.get<{ results: ReportResult[] }>(`/api/attribution?${query}`),
            (store) => attributeFromStore(store, request, { personAllowed: consentFilters(store, config).personAllowed('advertising') }),
          )
        ).results;
      }
      if (opts.json) {
        printJson({ results });
        return;
      }
      for (const r of results) printModel(r);
      if (results.length > 1) printComparison(results);
    });
}
