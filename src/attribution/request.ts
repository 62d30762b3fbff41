import { z } from 'zod';
import { MAX_MARKOV_ORDER } from './markov-chain.ts';
import { DEFAULT_MODELS, REPORT_MODELS, type AttributionRequest } from './service.ts';
import type { ModelName } from './run.ts';

const DURATION = /^(\d+(?:\.\d+)?)\s*(d|day|days|h|hour|hours|w|week|weeks)?$/i;

/** "30d", "12h", "2w" or a bare number of days → days. Throws on anything else or ≤ 0. */
export function parseDays(text: string, field: string): number {
  const match = DURATION.exec(text.trim());
  if (!match) throw new RangeError(`${field}: "${text}" is not a duration (use e.g. 30d, 12h, 2w)`);
  const n = Number(match[1]);
  const unit = (match[2] ?? 'd').toLowerCase()[0];
  const days = unit === 'h' ? n / 24 : unit === 'w' ? n * 7 : n;
  if (!(days > 0)) throw new RangeError(`${field}: "${text}" is an empty window (it must be longer than zero)`);
  return days;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A YYYY-MM-DD day (UTC) or ISO time → epoch ms; `endOfDay` makes a bare day inclusive. */
export function parseDate(text: string, field: string, endOfDay: boolean): number {
  const ms = DATE.test(text) ? Date.parse(text + 'T00:00:00Z') + (endOfDay ? 86_400_000 : 0) : Date.parse(text);
  if (Number.isNaN(ms)) throw new RangeError(`${field}: "${text}" is not a date (use YYYY-MM-DD)`);
  return ms;
}

const modelSchema = z
  .string()
  .default('all')
  .transform((s, ctx): ModelName[] => {
    const names = s.split(',').map((x) => x.trim()).filter(Boolean);
    if (names.length === 0 || names.includes('all')) return [...DEFAULT_MODELS];
    for (const n of names) {
      if (!(REPORT_MODELS as readonly string[]).includes(n)) {
        ctx.addIssue({ code: 'custom', message: `unknown model "${n}" (one of ${REPORT_MODELS.join(', ')}, all)` });
        return z.NEVER;
      }
    }
    return names as ModelName[];
  });

function tryParse<T>(fn: () => T, ctx: z.RefinementCtx): T {
  try {
    return fn();
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
}

/**
 * The attribution request as the HTTP query string and the CLI spell it (strings in, typed
 * request out); one schema for both so they accept the same things.
 */
const modelFields = {
  model: modelSchema.meta({ description: `comma-separated: ${REPORT_MODELS.join(', ')}; or all` }),
  order: z.coerce
    .number()
    .int()
    .min(1, `order: must be 1 to ${MAX_MARKOV_ORDER}`)
    .max(MAX_MARKOV_ORDER, `order: must be 1 to ${MAX_MARKOV_ORDER}`)
    .default(1)
    .meta({ description: 'Markov chain order (how many past steps a transition looks at)' }),
  nulls: z.union([z.boolean(), z.stringbool()]).default(true).meta({ description: 'Markov: count journeys that did not convert' }),
};

/**
 * The options that apply to a path file (ChannelAttribution layout): its rows are journeys
 * already, so there is no range, lookback, grouping or conversion to choose.
 */
export const pathFileQuerySchema = z
  .strictObject(modelFields, { error: (issue) => (issue.code === 'unrecognized_keys' ? `${issue.keys.join(', ')} ${issue.keys.length > 1 ? 'are not options' : 'is not an option'} for a path file (its rows are journeys already)` : undefined) })
  .transform((q): Pick<AttributionRequest, 'models' | 'order' | 'includeNulls'> => ({ models: q.model, order: q.order, includeNulls: q.nulls }));

export const attributionQuerySchema = z
  .object({
    ...modelFields,
    lookback: z.string().default('30d').meta({ description: 'how far before a conversion its touches count, in days (`30d`)' }),
    halfLife: z.string().default('7d').meta({ description: 'time decay: the age at which a touch counts half, in days (`7d`)' }),
    from: z.string().optional().meta({ description: 'first conversion day (YYYY-MM-DD, UTC); default: all' }),
    to: z.string().optional().meta({ description: 'last conversion day, included' }),
    by: z.enum(['channel', 'campaign', 'source-medium']).default('channel').meta({ description: 'credit per channel, campaign or source / medium' }),
    conversion: z.string().min(1).optional().meta({ description: 'a conversion definition’s name (default: the default one)' }),
  })
  .transform((q, ctx): AttributionRequest => ({
    models: q.model,
    order: q.order,
    includeNulls: q.nulls,
    lookbackDays: tryParse(() => parseDays(q.lookback, 'lookback'), ctx),
    halfLifeDays: tryParse(() => parseDays(q.halfLife, 'halfLife'), ctx),
    from: q.from === undefined ? null : tryParse(() => parseDate(q.from!, 'from', false), ctx),
    to: q.to === undefined ? null : tryParse(() => parseDate(q.to!, 'to', true), ctx),
    granularity: q.by === 'source-medium' ? 'source_medium' : q.by,
    conversion: q.conversion ?? null,
  }));

export type AttributionQuery = z.input<typeof attributionQuerySchema>;
