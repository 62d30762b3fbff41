import fs from 'node:fs';
import type { Command } from 'commander';
import type { z } from 'zod';
import { loadConfig, type Config } from '../../config/index.ts';
import { TributaryError } from '../../errors/index.ts';
import type { Sql, Store } from '../../store/index.ts';
import { createServices } from '../../server/services.ts';
import { loadOrCreateSecret } from '../../privacy/index.ts';
import { consentAllowsSql } from '../../profiles/index.ts';
import {
  audienceCsv,
  audienceFromStore,
  audienceQuerySchema,
  consentScope,
  describeAudience,
  kpiExportCsv,
  kpiExportFieldsSchema,
  kpiExportFromStore,
  kpiQuerySchema,
  personTraitsReader,
  suppressedLabel,
  type AudienceExport,
  type KpiExport,
} from '../../analytics/index.ts';
import { note } from '../output.ts';
import { withDataDir } from '../target.ts';

interface CommonOptions {
  data?: string;
  from?: string;
  to?: string;
  conversion?: string;
  out?: string;
  json?: boolean;
}

interface KpiExportOptions extends CommonOptions {
  by?: string;
  granularity: string;
  metrics: string;
}

interface AudienceOptions extends CommonOptions {
  channel?: string;
  campaign?: string;
  converted?: string;
  funnel?: string;
  step?: string;
  includePii?: boolean;
}

/** The query string of an export, without the options that are not set. */
function queryOf(fields: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));
}

/** Validates the fields with a request schema, as the server will (exit code 1 before any work). */
function check<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new TributaryError('bad_request', parsed.error.issues.map((i) => `${i.path.map(String).join('.') || 'query'}: ${i.message}`).join('; '));
}

/** The capabilities of the data directory when no server holds it. */
function servicesOf(store: Store, config: Config) {
  return createServices(store, config, loadOrCreateSecret(config.dataDir, config.secret));
}

function write(text: string, out: string | undefined): void {
  if (out === undefined) process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  else fs.writeFileSync(out, text);
}

const commonOptions = (command: Command): Command =>
  command
    .option('--data <dir>', 'data directory (env TRIBUTARY_DATA_DIR, default ./data)')
    .option('--from <date>', 'first day (YYYY-MM-DD, UTC)')
    .option('--to <date>', 'last day, inclusive')
    .option('--conversion <name>', 'conversion definition (default: the default one)')
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--json', 'JSON (the document format=json answers) instead of CSV');

async function exportKpis(opts: KpiExportOptions): Promise<void> {
  const query = queryOf({ by: opts.by, from: opts.from, to: opts.to, granularity: opts.granularity, metrics: opts.metrics, conversion: opts.conversion, format: opts.json ? 'json' : 'csv' });
  const { format, ...rest } = check(kpiExportFieldsSchema, query);
  const request = check(kpiQuerySchema, rest);
  const config = loadConfig({ dataDir: opts.data });
  const result = await withDataDir<KpiExport>(
    config.dataDir,
    async (api) => JSON.parse((await api.getText(`/api/kpis/export.csv?${new URLSearchParams({ ...query, format: 'json' })}`)).text) as KpiExport,
    async (store) => {
      const services = await servicesOf(store, config);
      const k = config.access.exportMinGroupSize;
      const exported = await kpiExportFromStore(store, request, { scope: consentScope(store.dialect, 'analytics', services.consent), minGroupSize: k });
      const details = { from: exported.from, to: exported.to, format, rows: exported.rows.length, suppressedGroups: exported.suppressedGroups, minGroupSize: k };
      await services.admin.audit.record({ actor: 'cli', action: 'export.kpis', target: `by=${exported.by}`, details });
      return exported;
    },
  );
  write(format === 'json' ? JSON.stringify(result, null, 2) : kpiExportCsv(result), opts.out);
  const suppressed = result.suppressedGroups > 0 ? `; ${suppressedLabel(result.suppressedGroups, result.minGroupSize)}` : '';
  note(`exported ${result.rows.length} ${result.by} rows${opts.out ? ` to ${opts.out}` : ''}${suppressed}`);
}

async function exportAudience(opts: AudienceOptions): Promise<void> {
  const query = queryOf({
    from: opts.from,
    to: opts.to,
    channel: opts.channel,
    campaign: opts.campaign,
    converted: opts.converted,
    conversion: opts.conversion,
    funnel: opts.funnel,
    step: opts.step,
    include: opts.includePii ? 'pii' : undefined,
    format: opts.json ? 'json' : 'csv',
  });
  const request = check(audienceQuerySchema, query);
  const config = loadConfig({ dataDir: opts.data });
  const result = await withDataDir<AudienceExport>(
    config.dataDir,
    async (api) => JSON.parse((await api.getText(`/api/audiences/export.csv?${new URLSearchParams({ ...query, format: 'json' })}`)).text) as AudienceExport,
    async (store) => {
      // Whoever runs the CLI on the data directory owns it: personal data is theirs to export.
      const services = await servicesOf(store, config);
      const exported = await audienceFromStore(store, request, {
        personAllowed: (person: Sql) => consentAllowsSql(store.dialect, 'export', services.consent, person),
        funnel: { personAllowed: (person: Sql) => consentAllowsSql(store.dialect, 'analytics', services.consent, person) },
        traitsOf: personTraitsReader(services.identity, services.keyring.open),
      });
      const details = { from: exported.from, to: exported.to, format: request.format, people: exported.count, leftOut: exported.leftOut, pii: exported.pii };
      await services.admin.audit.record({ actor: 'cli', action: 'export.audience', target: describeAudience(request), details });
      return exported;
    },
  );
  write(request.format === 'json' ? JSON.stringify(result, null, 2) : audienceCsv(result), opts.out);
  note(`exported ${result.count} people${opts.out ? ` to ${opts.out}` : ''}${result.leftOut > 0 ? `; ${result.leftOut} left out (their consent does not allow exports)` : ''}`);
}

export function registerExport(program: Command): void {
  const exporter = program.command('export').description('exports for spreadsheets and other tools (CSV or JSON), audited: a KPI breakdown, an audience');
  commonOptions(exporter.command('kpis'))
    .description('a KPI breakdown, one row per key; groups of fewer people than TRIBUTARY_EXPORT_MIN_GROUP_SIZE are suppressed')
    .requiredOption('--by <breakdown>', 'channel | campaign | source_medium | device | country | trait:NAME')
    .option('--granularity <unit>', 'hour | day | week | month (as GET /api/kpis)', 'day')
    .option('--metrics <names>', 'comma-separated metric names, or all', 'all')
    .action(exportKpis);
  commonOptions(exporter.command('audience'))
    .description('the people matching a filter whose consent allows exports (default: everyone active in the range)')
    .option('--channel <name>', 'touched this channel in the range')
    .option('--campaign <name>', 'touched this campaign in the range')
    .option('--converted <yes|no>', 'converted (yes) or did not convert (no) in the range')
    .option('--funnel <name>', 'a saved funnel: the people who dropped after --step')
    .option('--step <n>', 'with --funnel: reached step n, not step n+1')
    .option('--include-pii', 'add e-mail and phone from the traits (needs the pii:read permission on a server)')
    .action(exportAudience);
}
