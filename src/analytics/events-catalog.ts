import { z } from 'zod';

/**
 * The event catalog request and document: the track events, page views and screen views seen in
 * a range of days, with their counts and most frequent property keys, so people can pick funnel
 * steps and filters from what exists. Pure.
 */

export const CATALOG_TYPES = ['track', 'page', 'screen'] as const;
export type CatalogType = (typeof CATALOG_TYPES)[number];

/** Property keys listed per event unless `keys` says otherwise. */
export const DEFAULT_TOP_KEYS = 10;
/** Days shown when the request names no range: this many up to the latest event's day. */
export const DEFAULT_CATALOG_DAYS = 30;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = (field: string) =>
  z
    .string()
    .regex(DAY, `must be a day (YYYY-MM-DD)`)
    .refine((s) => Number.isFinite(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), `${field} is not a calendar day`);

/** `from`/`to`: days, both included (either alone is refused); `keys`: property keys per event. */
export const catalogQuerySchema = z
  .object({
    from: day('from').optional(),
    to: day('to').optional(),
    keys: z.coerce.number().int('must be a whole number').min(0, 'must be 0 to 50').max(50, 'must be 0 to 50').default(DEFAULT_TOP_KEYS),
  })
  .superRefine((q, ctx) => {
    if ((q.from === undefined) !== (q.to === undefined)) ctx.addIssue({ code: 'custom', message: 'give both from and to, or neither', path: [q.from === undefined ? 'from' : 'to'] });
    else if (q.from !== undefined && q.to! < q.from) ctx.addIssue({ code: 'custom', message: 'must not be before from', path: ['to'] });
  });
export type CatalogQuery = z.output<typeof catalogQuerySchema>;

export interface CatalogProperty {
  readonly key: string;
  /** Events of this name in the range that carry the key (at the top level of `properties`). */
  readonly count: number;
}

export interface CatalogEvent {
  readonly type: CatalogType;
  /** The track event's name, or the page/screen name (null: views sent without a name). */
  readonly name: string | null;
  /** The funnel step that matches these events (`Product Viewed`, `page:Cart`, `page`). */
  readonly step: string;
  readonly count: number;
  /** The most frequent property keys, most frequent first (ties by key). */
  readonly properties: readonly CatalogProperty[];
}

export interface EventCatalog {
  readonly from: string;
  readonly to: string;
  readonly events: readonly CatalogEvent[];
}

export interface CatalogRow {
  readonly type: string;
  readonly name: string | null;
  readonly key: string | null;
  readonly n: number;
}

/** The funnel step text of an event (funnels-definition.ts grammar). */
export function catalogStep(type: CatalogType, name: string | null): string {
  if (type === 'track') return name ?? '';
  return name === null ? type : `${type}:${name}`;
}

/** Groups the engine's rows (count row first within each event, events in display order). */
export function assembleCatalog(rows: readonly CatalogRow[], range: { from: string; to: string }): EventCatalog {
  const events: { type: CatalogType; name: string | null; step: string; count: number; properties: CatalogProperty[] }[] = [];
  let current: (typeof events)[number] | null = null;
  for (const r of rows) {
    if (r.key === null) {
      // A track event without a name cannot be a funnel step: it is left out.
      if (r.type === 'track' && r.name === null) {
        current = null;
        continue;
      }
      const type = r.type as CatalogType;
      current = { type, name: r.name, step: catalogStep(type, r.name), count: Number(r.n), properties: [] };
      events.push(current);
    } else if (current && current.type === r.type && current.name === r.name) {
      current.properties.push({ key: r.key, count: Number(r.n) });
    }
  }
  return { from: range.from, to: range.to, events };
}
