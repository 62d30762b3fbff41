import { z } from 'zod';
import { parseBoundary } from './kpis-time.ts';
import { tryParse } from './kpis-request.ts';
import { SAVED_NAME } from './funnels-request.ts';

/**
 * Export requests as the HTTP query and the CLI spell them (one schema each for both). A KPI
 * export takes the parameters of `GET /api/kpis` (kpiQuerySchema) plus these.
 */
export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const format = z.enum(EXPORT_FORMATS, { message: `must be one of ${EXPORT_FORMATS.join(', ')}` }).default('csv');

/** The export-only fields of a KPI export; the rest of the query is a KPI request. */
export const kpiExportFieldsSchema = z
  .object({
    format,
    by: z
      .string({ error: 'required: the breakdown to export one row per key of (channel, campaign, source_medium, device, country, trait:NAME)' })
      .refine((s) => s.trim() !== '' && s.trim() !== 'none', 'required: an export lists the keys of a breakdown, so "none" has nothing to list'),
  })
  .loose();

/** Who is in an audience and what is exported about them. */
export interface AudienceRequest {
  /** Range [from, to) in epoch ms; null: the funnel's own range, else the 30 days up to the latest event. */
  readonly from: number | null;
  readonly to: number | null;
  /** As written, for a saved funnel's range (which takes the same spelling). */
  readonly fromText: string | null;
  readonly toText: string | null;
  /** Touched this channel (and / or campaign) in the range. */
  readonly channel: string | null;
  readonly campaign: string | null;
  /** Converted (true) or did not convert (false) in the range; null: either. */
  readonly converted: boolean | null;
  /** Conversion definition name; null: the default one. */
  readonly conversion: string | null;
  /** Dropped after step `step` of a saved funnel (reached it, not the next one). */
  readonly funnel: { readonly name: string; readonly step: number } | null;
  readonly includePii: boolean;
  readonly format: ExportFormat;
}

const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = { true: true, yes: true, '1': true, false: false, no: false, '0': false };

export const audienceQuerySchema = z
  .object({
    from: z.string().optional(),
    to: z.string().optional(),
    channel: z.string().trim().min(1).optional(),
    campaign: z.string().trim().min(1).optional(),
    converted: z
      .string()
      .transform((s) => s.trim().toLowerCase())
      .refine((s) => s in BOOLEAN_WORDS, 'must be true or false')
      .transform((s) => BOOLEAN_WORDS[s])
      .optional(),
    conversion: z.string().min(1).optional(),
    funnel: SAVED_NAME.optional(),
    step: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1 (1 = dropped between steps 1 and 2)').optional(),
    include: z.enum(['pii'], { message: 'must be "pii" (e-mail and phone from the traits) or left out' }).optional(),
    format,
  })
  .transform((q, ctx): AudienceRequest => {
    const from = q.from === undefined ? null : tryParse(() => parseBoundary(q.from!, 'from'), ctx, 'from');
    const to = q.to === undefined ? null : tryParse(() => parseBoundary(q.to!, 'to'), ctx, 'to');
    if (typeof from === 'number' && typeof to === 'number' && to <= from) {
      ctx.addIssue({ code: 'custom', message: 'must not be before from', path: ['to'] });
      return z.NEVER;
    }
    if ((q.funnel === undefined) !== (q.step === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'funnel and step go together: the people who dropped after step N of a saved funnel', path: [q.funnel === undefined ? 'funnel' : 'step'] });
      return z.NEVER;
    }
    return {
      from,
      to,
      fromText: q.from ?? null,
      toText: q.to ?? null,
      channel: q.channel ?? null,
      campaign: q.campaign ?? null,
      converted: q.converted ?? null,
      conversion: q.conversion ?? null,
      funnel: q.funnel === undefined ? null : { name: q.funnel, step: q.step! },
      includePii: q.include === 'pii',
      format: q.format,
    };
  });

export type AudienceQuery = z.input<typeof audienceQuerySchema>;

/** How an audience is named in the audit log and file names: its filter, never a person. */
export function describeAudience(r: AudienceRequest): string {
  const parts = [
    r.channel === null ? null : `channel=${r.channel}`,
    r.campaign === null ? null : `campaign=${r.campaign}`,
    r.converted === null ? null : `converted=${r.converted}`,
    r.funnel === null ? null : `funnel=${r.funnel.name}#${r.funnel.step}`,
  ].filter((p): p is string => p !== null);
  return parts.length === 0 ? 'active' : parts.join(' ');
}
