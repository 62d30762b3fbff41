import { z } from 'zod';
import { parseBoundary } from './kpis-time.ts';
import { tryParse } from './kpis-request.ts';
import type { AcquisitionDimension, CohortAnchor, CohortUnit, RetentionMeasure } from './retention.sql.ts';

export const COHORT_UNITS = ['week', 'month'] as const satisfies readonly CohortUnit[];
export const COHORT_ANCHORS = ['first_conversion', 'first_seen'] as const satisfies readonly CohortAnchor[];
export const RETENTION_MEASURES = ['repeat_purchase', 'revenue', 'active'] as const satisfies readonly RetentionMeasure[];
export const ACQUISITION_BREAKDOWNS = ['channel', 'campaign', 'source_medium'] as const satisfies readonly AcquisitionDimension[];

/** A cohort-table request as the service takes it. */
export interface RetentionRequest {
  readonly unit: CohortUnit;
  readonly anchor: CohortAnchor;
  readonly measure: RetentionMeasure;
  readonly by: AcquisitionDimension | null;
  /** Anchors in [from, to) (epoch ms), widened to whole cohort periods; null: the last 12 periods. */
  readonly from: number | null;
  readonly to: number | null;
  readonly conversion: string | null;
}

const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { message: `must be one of ${values.join(', ')}` });

/** The retention request as the HTTP query and the CLI spell it (one schema for both). */
export const retentionQuerySchema = z
  .object({
    cohort: oneOf(COHORT_UNITS).default('week').meta({ description: 'the length of a cohort and of each period after it' }),
    anchor: oneOf(COHORT_ANCHORS).default('first_conversion').meta({ description: 'what puts a person in a cohort: their first conversion or first visit' }),
    measure: oneOf(RETENTION_MEASURES).default('repeat_purchase').meta({ description: 'what each cell counts: members who bought again, were active, or revenue per member' }),
    by: z
      .string()
      .transform((s) => s.trim().replace('-', '_'))
      .pipe(z.enum([...ACQUISITION_BREAKDOWNS, 'none'], { message: `must be one of ${ACQUISITION_BREAKDOWNS.join(', ')}, none` }))
      .optional()
      .meta({ description: `split each cohort by how its members were acquired: ${ACQUISITION_BREAKDOWNS.join(', ')} or none` }),
    from: z.string().optional().meta({ description: 'first cohort day (YYYY-MM-DD, UTC)' }),
    to: z.string().optional().meta({ description: 'last day, included (YYYY-MM-DD)' }),
    conversion: z.string().min(1).optional().meta({ description: 'a conversion definition’s name (default: the default one)' }),
  })
  .transform((q, ctx): RetentionRequest => {
    const from = q.from === undefined ? null : tryParse(() => parseBoundary(q.from!, 'from'), ctx, 'from');
    const to = q.to === undefined ? null : tryParse(() => parseBoundary(q.to!, 'to'), ctx, 'to');
    if (typeof from === 'number' && typeof to === 'number' && to <= from) {
      ctx.addIssue({ code: 'custom', message: 'must not be before from', path: ['to'] });
      return z.NEVER;
    }
    return {
      unit: q.cohort,
      anchor: q.anchor,
      measure: q.measure,
      by: q.by === undefined || q.by === 'none' ? null : q.by,
      from,
      to,
      conversion: q.conversion ?? null,
    };
  });

export type RetentionQuery = z.input<typeof retentionQuerySchema>;
