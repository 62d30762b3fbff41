import { isPersonalField } from '../privacy/index.ts';
import { z } from 'zod';
import { KPI_METRICS, type KpiMetric } from './kpis-metrics.ts';
import type { KpiDimension } from './kpis.sql.ts';
import { GRANULARITIES, parseBoundary, type Granularity } from './kpis-time.ts';

/** A KPI request as the service takes it (the HTTP query and the CLI flags parse into it). */
export interface KpiRequest {
  /** Range [from, to) in epoch ms; null: the defaults (30 days up to the latest event's day). */
  readonly from: number | null;
  readonly to: number | null;
  readonly granularity: Granularity;
  /** The breakdown as asked (`channel`, `trait:plan`), null for none. */
  readonly by: string | null;
  readonly dimension: KpiDimension | null;
  readonly metrics: readonly KpiMetric[];
  /** Conversion definition name; null: the default one. */
  readonly conversion: string | null;
}

export const BREAKDOWNS = ['channel', 'campaign', 'source_medium', 'device', 'country'] as const;
const TRAIT_PATH = /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/;

/** `channel`, `campaign`, `source_medium` (or `source-medium`), `device`, `country`, `trait:NAME` (a dotted path), `none`. */
export function parseBreakdown(text: string): { by: string; dimension: KpiDimension } | null {
  const value = text.trim();
  if (value === '' || value === 'none') return null;
  const simple = value.replace('-', '_');
  if ((BREAKDOWNS as readonly string[]).includes(simple)) return { by: simple, dimension: { kind: simple as (typeof BREAKDOWNS)[number] } };
  if (value.startsWith('trait:')) {
    const name = value.slice('trait:'.length);
    if (!TRAIT_PATH.test(name)) throw new RangeError(`by: "${name}" is not a trait name (letters, digits, _ - $, dotted for nested traits)`);
    const path = name.split('.');
    // Personal traits are stored encrypted, and a breakdown by them would list people one by one.
    if (isPersonalField('traits', path[path.length - 1])) {
      throw new RangeError(`by: trait "${name}" is personal data (stored encrypted); break down by a trait that describes groups, e.g. trait:plan or trait:address.country`);
    }
    return { by: value, dimension: { kind: 'trait', path } };
  }
  throw new RangeError(`by: "${value}" is not a breakdown (one of ${BREAKDOWNS.join(', ')}, trait:NAME, none)`);
}

/** Comma-separated metric names, or `all`. */
export function parseMetrics(text: string): KpiMetric[] {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0 || names.includes('all')) return [...KPI_METRICS];
  for (const n of names) {
    if (!(KPI_METRICS as readonly string[]).includes(n)) throw new RangeError(`metrics: unknown metric "${n}" (one of ${KPI_METRICS.join(', ')}, all)`);
  }
  return KPI_METRICS.filter((m) => names.includes(m));
}

/** Runs a parser, turning its RangeError into an issue on `path` (the message names the field). */
export function tryParse<T>(fn: () => T, ctx: z.RefinementCtx, path: string): T {
  try {
    return fn();
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message.replace(/^[A-Za-z]+: /, ''), path: [path] });
    return z.NEVER;
  }
}

/**
 * The KPI request as the HTTP query string and the CLI spell it: one schema for both, so they
 * accept the same things and answer the same document.
 */
export const kpiQuerySchema = z
  .object({
    from: z.string().optional().meta({ description: 'first day (YYYY-MM-DD, UTC) or a whole hour (ISO time); default: the 30 days up to the latest event' }),
    to: z.string().optional().meta({ description: 'last day, included (YYYY-MM-DD) or a whole hour' }),
    granularity: z.enum(GRANULARITIES, { message: `must be one of ${GRANULARITIES.join(', ')}` }).default('day').meta({ description: 'the period of the series' }),
    by: z.string().optional().meta({ description: `a breakdown: ${BREAKDOWNS.join(', ')}, trait:NAME (a trait's dotted path) or none` }),
    metrics: z.string().default('all').meta({ description: `comma-separated: ${KPI_METRICS.join(', ')}; or all` }),
    conversion: z.string().min(1).optional().meta({ description: 'a conversion definition’s name (default: the default one)' }),
  })
  .transform((q, ctx): KpiRequest => {
    const from = q.from === undefined ? null : tryParse(() => parseBoundary(q.from!, 'from'), ctx, 'from');
    const to = q.to === undefined ? null : tryParse(() => parseBoundary(q.to!, 'to'), ctx, 'to');
    if (typeof from === 'number' && typeof to === 'number' && to <= from) {
      ctx.addIssue({ code: 'custom', message: 'must not be before from', path: ['to'] });
      return z.NEVER;
    }
    const breakdown = q.by === undefined ? null : tryParse(() => parseBreakdown(q.by!), ctx, 'by');
    return {
      from,
      to,
      granularity: q.granularity,
      by: breakdown?.by ?? null,
      dimension: breakdown?.dimension ?? null,
      metrics: tryParse(() => parseMetrics(q.metrics), ctx, 'metrics'),
      conversion: q.conversion ?? null,
    };
  });

export type KpiQuery = z.input<typeof kpiQuerySchema>;
