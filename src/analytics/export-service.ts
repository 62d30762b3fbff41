import { TributaryError } from '../errors/index.ts';
import type { Sql, Store } from '../store/index.ts';
import { getConversionDefinition } from '../attribution/index.ts';
import { refreshActivity } from './kpis-activity-service.ts';
import { DEFAULT_RANGE_DAYS, kpisFromStore, latestEventMs, type AnalyticsOptions } from './kpis-service.ts';
import { KPI_METRICS } from './kpis-metrics.ts';
import type { KpiRequest } from './kpis-request.ts';
import { formatBoundary, resolveRange, type TimeRange } from './kpis-time.ts';
import { GROUP_SIZE_METRICS, kpiExport, type KpiExport } from './export-kpis.ts';
import type { AudienceRequest } from './export-request.ts';
import { audienceSql, type AudienceSqlRow } from './audience.sql.ts';
import { listDroppedPeople, resolveFunnelDefinition, type FunnelOptions } from './funnels-service.ts';
import type { FunnelDefinition } from './funnels-definition.ts';
import type { IdentityService } from '../identity/index.ts';
import { cannotOpen, revealDocument, type Opener } from '../privacy/index.ts';

/**
 * A KPI breakdown for export: the KPI document of the request (people outside `options.scope`
 * left out, as in `GET /api/kpis`), its keys as rows, groups under `minGroupSize` people
 * suppressed (export-kpis.ts).
 */
export async function kpiExportFromStore(store: Store, request: KpiRequest, options: AnalyticsOptions & { minGroupSize: number }): Promise<KpiExport> {
  if (request.by === null) throw new TributaryError('bad_request', 'by: required: an export lists the keys of a breakdown');
  const metrics = KPI_METRICS.filter((m) => request.metrics.includes(m) || (GROUP_SIZE_METRICS as readonly string[]).includes(m));
  const report = await kpisFromStore(store, { ...request, metrics }, options);
  return kpiExport(report, request.metrics, options.minGroupSize);
}

export interface AudiencePerson {
  readonly personId: string;
  /** First and last event ever (ISO). */
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  /** Channels touched in the range, sorted. */
  readonly channels: readonly string[];
  /** Conversions and their value in the range. */
  readonly conversions: number;
  readonly revenue: number;
  /** Only with personal data asked for (and allowed): from the person's traits. */
  readonly email?: string | null;
  readonly phone?: string | null;
}

export interface AudienceExport {
  readonly from: string;
  readonly to: string;
  readonly conversion: string;
  readonly filter: {
    readonly channel: string | null;
    readonly campaign: string | null;
    readonly converted: boolean | null;
    readonly funnel: { readonly name: string; readonly step: number } | null;
  };
  readonly pii: boolean;
  /** People exported. */
  readonly count: number;
  /** People matching the filter whose consent does not allow the export. */
  readonly leftOut: number;
  readonly people: readonly AudiencePerson[];
}

export interface AudienceOptions {
  /** Who may be exported (consent for the export purpose); absent: everyone. */
  readonly personAllowed?: (personColumn: Sql) => Sql;
  /** What the funnel of a funnel audience counts (consent for analytics), as its own report does. */
  readonly funnel?: FunnelOptions;
  /** People's traits, personal values in the clear (`personTraitsReader`); needed for `includePii`. */
  readonly traitsOf?: (personIds: readonly string[]) => Promise<ReadonlyMap<string, Readonly<Record<string, unknown>>>>;
  readonly now?: number;
}

/** Every person who dropped after `step` of a funnel (all pages of the dropped-people list). */
async function funnelDroppers(store: Store, definition: FunnelDefinition, step: number, options: FunnelOptions): Promise<string[]> {
  const people = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await listDroppedPeople(store, definition, { step, limit: 1000, cursor }, options);
    for (const p of page.people) people.add(p.personId);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return [...people];
}

/**
 * People's traits as the identity graph keeps them, read in one query, with sealed personal values
 * opened (the reading path of profiles): what `AudienceOptions.traitsOf` expects.
 */
export function personTraitsReader(identity: IdentityService, open: Opener = cannotOpen): NonNullable<AudienceOptions['traitsOf']> {
  return async (personIds) => {
    const traits = await identity.getTraits(personIds);
    return new Map([...traits].map(([id, t]) => [id, revealDocument(t, 'traits', open, 'clear')]));
  };
}

const contact = (value: unknown): string | null => (typeof value === 'string' || typeof value === 'number' ? String(value) : null);

/** E-mail and phone of each person; people the graph does not know (`anon:`, `user:`) have none. */
async function contactsOf(people: readonly string[], traitsOf: NonNullable<AudienceOptions['traitsOf']>): Promise<Map<string, { email: string | null; phone: string | null }>> {
  const traits = await traitsOf(people.filter((id) => !id.startsWith('anon:') && !id.startsWith('user:')));
  return new Map([...traits].map(([id, t]) => [id, { email: contact(t.email), phone: contact(t.phone) }]));
}

/**
 * The people of an audience filter with their figures (audience.sql.ts); those whose consent
 * does not allow the export are left out and counted. E-mail and phone only with `includePii`
 * (the caller checks that the asker may see personal data).
 */
export async function audienceFromStore(store: Store, request: AudienceRequest, options: AudienceOptions = {}): Promise<AudienceExport> {
  if (request.includePii && !options.traitsOf) throw new Error('audienceFromStore: includePii needs traitsOf');
  const definition = await getConversionDefinition(store, request.conversion);
  const funnel = request.funnel === null ? null : await resolveFunnelDefinition(store, { saved: request.funnel.name, ...(request.fromText ? { from: request.fromText } : {}), ...(request.toText ? { to: request.toText } : {}) });
  const range = await audienceRange(store, request, funnel, options.now ?? Date.now());
  const personIds = funnel === null ? null : await funnelDroppers(store, funnel, request.funnel!.step, options.funnel ?? {});
  await refreshActivity(store);
  const rows = await store.query<AudienceSqlRow>(
    audienceSql(
      store.dialect,
      { ...range, channel: request.channel, campaign: request.campaign, converted: request.converted, conversionEvent: definition.event, valueProperty: definition.valueProperty, personIds },
      options.personAllowed,
    ),
  );
  const exported = rows.filter((r) => r.allowed);
  const contacts = request.includePii ? await contactsOf(exported.map((r) => r.person_id), options.traitsOf!) : null;
  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
  return {
    from: formatBoundary(range.from, 'from', range),
    to: formatBoundary(range.to, 'to', range),
    conversion: definition.name,
    filter: { channel: request.channel, campaign: request.campaign, converted: request.converted, funnel: request.funnel },
    pii: contacts !== null,
    count: exported.length,
    leftOut: rows.length - exported.length,
    people: exported.map((r) => ({
      personId: r.person_id,
      firstSeen: iso(r.first_ms),
      lastSeen: iso(r.last_ms),
      channels: r.channels,
      conversions: r.conversions,
      revenue: r.revenue,
      ...(contacts ? { email: contacts.get(r.person_id)?.email ?? null, phone: contacts.get(r.person_id)?.phone ?? null } : {}),
    })),
  };
}

/** The range asked, else the funnel's own, else the 30 days up to the latest event's day. */
async function audienceRange(store: Store, request: AudienceRequest, funnel: FunnelDefinition | null, now: number): Promise<TimeRange> {
  const from = request.from ?? funnel?.from ?? null;
  const to = request.to ?? funnel?.to ?? null;
  const latest = to === null ? await latestEventMs(store) : null;
  const range = resolveRange({ from, to }, latest, now, DEFAULT_RANGE_DAYS);
  if (range.to <= range.from) throw new TributaryError('bad_request', 'from: must be before to (the latest event is earlier)');
  return range;
}
