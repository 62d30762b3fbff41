import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Sql, Store } from '../../store/index.ts';
import { TributaryError } from '../../errors/index.ts';
import type { IdentityService } from '../../identity/index.ts';
import { can, type AuditLog, type ConsentPolicy } from '../../privacy/index.ts';
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
} from '../../analytics/index.ts';
import { parseQuery } from '../validation.ts';
import { actorOf } from './admin.ts';

export interface ExportRouteOptions {
  readonly store: Store;
  readonly identity: IdentityService;
  readonly audit: AuditLog;
  readonly consent: ConsentPolicy;
  /** Breakdown rows of fewer people are suppressed (k). */
  readonly minGroupSize: number;
  /** Opens sealed personal data (the keyring's); absent: sealed values stay unreadable. */
  readonly open?: (ciphertext: string) => string;
}

/** A file name part from request text: letters, digits, `-` and `_` only. */
const namePart = (text: string): string => text.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'export';

function sendCsv(reply: FastifyReply, name: string, text: string): string {
  reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`);
  return text;
}

/**
 * Exports for spreadsheets and other tools, each one audited: a KPI breakdown with small groups
 * suppressed (people who refused analytics not counted, as in GET /api/kpis), and an audience —
 * the people matching a filter whose consent allows the export, with e-mail and phone only when
 * asked for and the caller may read personal data.
 */
/** A KPI export's query string: the export's own fields and a KPI request. */
const kpiExportDocs = z.intersection(kpiExportFieldsSchema, kpiQuerySchema);

export async function exportRoutes(app: FastifyInstance, opts: ExportRouteOptions): Promise<void> {
  const { store, audit } = opts;
  const analytics = consentScope(store.dialect, 'analytics', opts.consent);
  const exportAllowed = (person: Sql) => consentAllowsSql(store.dialect, 'export', opts.consent, person);
  const funnelOptions = { personAllowed: (person: Sql) => consentAllowsSql(store.dialect, 'analytics', opts.consent, person) };
  const traitsOf = personTraitsReader(opts.identity, opts.open);

  app.get('/api/kpis/export.csv', { config: { docs: { summary: 'A KPI breakdown as CSV (or JSON)', description: 'Groups of fewer people than the minimum group size are suppressed; the headers `x-tributary-suppressed-groups` and `x-tributary-min-group-size` say how many. Audited.', query: kpiExportDocs } } }, async (request, reply) => {
    const { format, ...rest } = parseQuery(kpiExportFieldsSchema, request.query);
    const result = await kpiExportFromStore(store, parseQuery(kpiQuerySchema, rest), { scope: analytics, minGroupSize: opts.minGroupSize });
    const actor = actorOf(request);
    await audit.record({
      actor: actor.name,
      ip: actor.ip,
      action: 'export.kpis',
      target: `by=${result.by}`,
      details: { from: result.from, to: result.to, format, rows: result.rows.length, suppressedGroups: result.suppressedGroups, minGroupSize: result.minGroupSize },
    });
    reply.header('x-tributary-suppressed-groups', String(result.suppressedGroups)).header('x-tributary-min-group-size', String(result.minGroupSize));
    return format === 'json' ? result : sendCsv(reply, `kpis-${namePart(result.by)}-${result.from}-${result.to}`, kpiExportCsv(result));
  });

  app.get('/api/audiences/export.csv', { config: { docs: { summary: 'The people matching a filter, as CSV', description: 'Only people whose consent allows export. E-mail and phone only with `include=pii` and the `pii:read` permission. Audited.', query: audienceQuerySchema } } }, async (request, reply) => {
    const query = parseQuery(audienceQuerySchema, request.query);
    const actor = actorOf(request);
    const role = request.principal?.role ?? '';
    if (query.includePii && !can(role, 'pii:read')) {
      await audit.record({ actor: actor.name, ip: actor.ip, action: 'export.audience', target: describeAudience(query), outcome: 'denied', details: { pii: true } });
      throw new TributaryError(
        'forbidden',
        `include=pii: the ${role || 'current'} role may not export personal data (needs pii:read); ask without include=pii to export the audience without e-mail and phone`,
      );
    }
    const result = await audienceFromStore(store, query, { personAllowed: exportAllowed, funnel: funnelOptions, traitsOf });
    await audit.record({
      actor: actor.name,
      ip: actor.ip,
      action: 'export.audience',
      target: describeAudience(query),
      details: { from: result.from, to: result.to, format: query.format, people: result.count, leftOut: result.leftOut, pii: result.pii },
    });
    reply.header('x-tributary-left-out', String(result.leftOut)).header('x-tributary-exported', String(result.count));
    return query.format === 'json' ? result : sendCsv(reply, `audience-${namePart(describeAudience(query))}-${result.from}-${result.to}`, audienceCsv(result));
  });
}
