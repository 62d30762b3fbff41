import { z } from 'zod';
import { TributaryError } from '../errors/index.ts';
import { parseDate, parseDays } from '../attribution/index.ts';
import {
  DEFAULT_WINDOW_DAYS,
  FILTER_OPS,
  FUNNEL_MODES,
  FUNNEL_UNITS,
  FunnelSyntaxError,
  MAX_STEPS,
  MIN_STEPS,
  checkPropertyKey,
  parseBreakdown,
  parseFilters,
  parseStepText,
  splitStepList,
  type FunnelDefinition,
  type FunnelStep,
  type PropertyFilter,
} from './funnels-definition.ts';

/**
 * The funnel definition as the HTTP API (query string or JSON body), the CLI and saved funnels
 * spell it; one schema for all of them. Steps are a comma-separated string, or a list whose items
 * are step texts or objects `{ event | type + name, where }`; `where` items are filter texts or
 * `{ property, op, value }`.
 */

function attempt<T>(fn: () => T, ctx: z.RefinementCtx, path: ReadonlyArray<string | number> = []): T {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof FunnelSyntaxError) && !(err instanceof RangeError)) throw err;
    ctx.addIssue({ code: 'custom', message: err.message, path: [...path] });
    return z.NEVER;
  }
}

const filterObjectSchema = z
  .object({
    property: z.string().min(1),
    op: z.enum(FILTER_OPS),
    value: z.union([z.string(), z.number().refine(Number.isFinite, 'must be a finite number'), z.boolean()]),
  })
  .strict();

const stepObjectSchema = z
  .object({
    type: z.enum(['track', 'page', 'screen']).default('track'),
    event: z.string().trim().min(1).optional(),
    name: z.string().trim().min(1).optional(),
    where: z.array(z.unknown()).max(10, 'at most 10 filters per step').default([]),
  })
  .strict();

function stepFromObject(step: z.output<typeof stepObjectSchema>, ctx: z.RefinementCtx, index: number): FunnelStep {
  if (step.type === 'track' && step.event === undefined) {
    ctx.addIssue({ code: 'custom', message: 'a track step needs "event"', path: [index, 'event'] });
    return z.NEVER;
  }
  if (step.type !== 'track' && step.event !== undefined) {
    ctx.addIssue({ code: 'custom', message: `a ${step.type} step has a "name", not an "event"`, path: [index, 'event'] });
    return z.NEVER;
  }
  const where: PropertyFilter[] = [];
  step.where.forEach((f, i) => {
    const path = [index, 'where', i];
    if (typeof f === 'string') {
      // attempt() answers z.NEVER (no array) after recording a failure.
      const filters: unknown = attempt(() => parseFilters(f), ctx, path);
      if (Array.isArray(filters)) where.push(...(filters as PropertyFilter[]));
      return;
    }
    const parsed = filterObjectSchema.safeParse(f);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: [...path, ...issue.path] });
      return;
    }
    const o = parsed.data;
    const key = attempt(() => checkPropertyKey(o.property.replace(/^properties\./, '')), ctx, [...path, 'property']);
    if (o.op === 'contains' && typeof o.value !== 'string') ctx.addIssue({ code: 'custom', message: 'contains needs a string value', path: [...path, 'value'] });
    where.push({ key, op: o.op, value: o.value });
  });
  return { kind: step.type, event: step.type === 'track' ? step.event! : null, name: step.type === 'track' ? null : step.name ?? null, where };
}

function stepFromInput(item: unknown, ctx: z.RefinementCtx, index: number): FunnelStep {
  if (typeof item === 'string') return attempt(() => parseStepText(item), ctx, [index]);
  const parsed = stepObjectSchema.safeParse(item);
  if (!parsed.success) {
    const detail = typeof item === 'object' && item !== null && !Array.isArray(item) ? null : 'a step is a text or an object { event | type, name, where }';
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: detail ?? issue.message, path: [index, ...(detail ? [] : issue.path)] });
    return z.NEVER;
  }
  return stepFromObject(parsed.data, ctx, index);
}

// Items are checked one by one (not with a union) so an error names the step and its field.
const stepsSchema = z.unknown().meta({
  description:
    'The steps in order: a comma-separated list (`Product Viewed,page:/cart,Order Completed[revenue>50]`) or, in a JSON body, an array of texts or objects `{ event | type, name, where }`.',
}).transform((input, ctx): FunnelStep[] => {
  if (typeof input !== 'string' && !Array.isArray(input)) {
    ctx.addIssue({ code: 'custom', message: input === undefined ? 'required: a comma-separated list or an array of steps' : 'expected a comma-separated list or an array of steps' });
    return z.NEVER;
  }
  const items: unknown[] = typeof input === 'string' ? splitStepList(input) : input;
  if (items.length < MIN_STEPS || items.length > MAX_STEPS) {
    ctx.addIssue({ code: 'custom', message: `a funnel has ${MIN_STEPS} to ${MAX_STEPS} steps (got ${items.length})` });
    return z.NEVER;
  }
  return items.map((item, i) => stepFromInput(item, ctx, i));
});

/** Every field of a definition; `saved` and paging are handled by the caller. */
export const funnelDefinitionSchema = z
  .object({
    steps: stepsSchema,
    window: z.union([z.string(), z.number()]).default(`${DEFAULT_WINDOW_DAYS}d`),
    mode: z.enum(FUNNEL_MODES).default('strict'),
    countBy: z.enum(FUNNEL_UNITS).default('person'),
    by: z.string().min(1).optional(),
    from: z.string().min(1).optional(),
    to: z.string().min(1).optional(),
  })
  .strict()
  .transform(
    (d, ctx): FunnelDefinition => ({
      steps: d.steps,
      windowDays: attempt(() => parseDays(String(d.window), 'window'), ctx, ['window']),
      mode: d.mode,
      countBy: d.countBy,
      breakdown: d.by === undefined ? null : attempt(() => parseBreakdown(d.by!), ctx, ['by']),
      from: d.from === undefined ? null : attempt(() => parseDate(d.from!, 'from', false), ctx, ['from']),
      to: d.to === undefined ? null : attempt(() => parseDate(d.to!, 'to', true), ctx, ['to']),
    }),
  );

/** The definition's JSON/query-string input form. */
export type FunnelDefinitionInput = z.input<typeof funnelDefinitionSchema>;

/** A zod failure as the API's 400: "steps.1.where.0: message", every issue in details. */
export function badRequestFrom(error: z.ZodError, fallback = 'definition'): TributaryError {
  const issue = error.issues[0];
  const path = issue.path.join('.') || fallback;
  // parseDays/parseDate messages already start with the field name.
  const message = issue.message.startsWith(`${path}:`) ? issue.message : `${path}: ${issue.message}`;
  return new TributaryError('bad_request', message, { issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
}

/** Parses a definition (unknown input) or throws a 400 naming the field. */
export function parseFunnelDefinition(input: unknown): FunnelDefinition {
  const parsed = funnelDefinitionSchema.safeParse(input ?? {});
  if (!parsed.success) throw badRequestFrom(parsed.error);
  const d = parsed.data;
  if (d.from !== null && d.to !== null && d.to <= d.from) throw new TributaryError('bad_request', 'to: must be after from');
  return d;
}

export const SAVED_NAME = z
  .string()
  .trim()
  .min(1, 'required')
  .max(100, 'at most 100 characters')
  .regex(/^[^\u0000-\u001f]+$/, 'no control characters');

/** Paging through the people who dropped after a step. */
export const droppedPageSchema = z.object({
  step: z.coerce.number({ error: 'required: the step number (1 = dropped between steps 1 and 2)' }).int('must be a whole number').min(1, 'must be at least 1'),
  limit: z.coerce.number().int().min(1, 'must be 1 to 1000').max(1000, 'must be 1 to 1000').default(100),
  cursor: z.string().min(1).optional(),
});
export type DroppedPage = z.output<typeof droppedPageSchema>;

/** Splits a request into its saved-funnel name, paging and definition fields. */
export function splitFunnelInput(input: unknown): { saved: string | null; rest: Record<string, unknown> } {
  if (input === null || input === undefined) return { saved: null, rest: {} };
  if (typeof input !== 'object' || Array.isArray(input)) throw new TributaryError('bad_request', 'definition: expected a JSON object');
  const { saved, ...rest } = input as Record<string, unknown>;
  if (saved === undefined) return { saved: null, rest };
  const name = SAVED_NAME.safeParse(saved);
  if (!name.success) throw badRequestFrom(new z.ZodError(name.error.issues.map((i) => ({ ...i, path: ['saved', ...i.path] }))));
  if (rest.steps !== undefined) throw new TributaryError('bad_request', 'steps: give either steps or a saved funnel name, not both');
  return { saved: name.data, rest };
}
