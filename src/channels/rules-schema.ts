import { z } from 'zod';

/**
 * The shape of a channel rule, as data. The default GA4 table (`default-rules.ts`) and rules a
 * user writes in configuration share this one schema, so user rules are validated exactly like
 * the defaults and every rule can be run both in TypeScript (`evaluate-rules.ts`) and in SQL
 * (`channel-case.sql.ts`).
 *
 * A condition is a leaf test on one field, or a combination (`all`, `any`, `not`). Every
 * condition carries an `op` so that a validation error points at the exact bad field
 * (`rules[2].conditions.conditions[0].pattern`) instead of "no union member matched".
 *
 * Matching is case-insensitive: field values are lower-cased and trimmed before testing, and
 * rule values are lower-cased when compiled. Regexes are searched (not anchored unless the
 * pattern says `^…$`), as JavaScript's `RegExp.test` and DuckDB's `regexp_matches` both do.
 */

/** Fields a condition can test. `sourceCategory` is `search`, `social`, `video`, `shopping` or empty. */
export const CONDITION_FIELDS = ['source', 'medium', 'campaign', 'sourceCategory'] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];

const fieldSchema = z.enum(CONDITION_FIELDS);

/**
 * Regex constructs JavaScript accepts but RE2 (DuckDB's engine) rejects. A rule must give the
 * same answer in both places, so these are refused up front rather than failing in the store.
 */
const RE2_UNSUPPORTED: ReadonlyArray<{ test: RegExp; what: string }> = [
  { test: /\(\?<?[=!]/, what: 'lookaround ((?=, (?!, (?<=, (?<!)' },
  { test: /\\[1-9]/, what: 'backreferences (\\1 …)' },
  { test: /\\k</, what: 'named backreferences (\\k<name>)' },
];

const patternSchema = z
  .string()
  .min(1)
  .superRefine((pattern, ctx) => {
    try {
      new RegExp(pattern, 'i');
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return;
    }
    for (const { test, what } of RE2_UNSUPPORTED) {
      if (test.test(pattern)) {
        ctx.addIssue({ code: 'custom', message: `regular expression uses ${what}, which the SQL engine (RE2) does not support` });
      }
    }
  });

const equalsSchema = z.strictObject({ op: z.literal('equals'), field: fieldSchema, value: z.string() });
const inSchema = z.strictObject({ op: z.literal('in'), field: fieldSchema, values: z.array(z.string()).min(1) });
const matchesSchema = z.strictObject({ op: z.literal('matches'), field: fieldSchema, pattern: patternSchema });
const containsSchema = z.strictObject({ op: z.literal('contains'), field: fieldSchema, value: z.string().min(1) });
const startsWithSchema = z.strictObject({ op: z.literal('startsWith'), field: fieldSchema, value: z.string().min(1) });
const endsWithSchema = z.strictObject({ op: z.literal('endsWith'), field: fieldSchema, value: z.string().min(1) });

/** A leaf test on one field. */
export type LeafCondition =
  | z.infer<typeof equalsSchema>
  | z.infer<typeof inSchema>
  | z.infer<typeof matchesSchema>
  | z.infer<typeof containsSchema>
  | z.infer<typeof startsWithSchema>
  | z.infer<typeof endsWithSchema>;

/**
 * A condition tree. Written out by hand because zod cannot infer a recursive type; the schema
 * below is checked against it (`z.ZodType<Condition>`).
 */
export type Condition =
  | LeafCondition
  | { op: 'all'; conditions: Condition[] }
  | { op: 'any'; conditions: Condition[] }
  | { op: 'not'; condition: Condition };

/** Validates a condition tree; discriminated on `op` so errors name the bad field's path. */
export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.discriminatedUnion('op', [
    equalsSchema,
    inSchema,
    matchesSchema,
    containsSchema,
    startsWithSchema,
    endsWithSchema,
    z.strictObject({ op: z.literal('all'), conditions: z.array(conditionSchema).min(1) }),
    z.strictObject({ op: z.literal('any'), conditions: z.array(conditionSchema).min(1) }),
    z.strictObject({ op: z.literal('not'), condition: conditionSchema }),
  ]),
);

/**
 * One rule: when `conditions` hold, the traffic belongs to `channel`. `id` names the rule in the
 * classifier's output (`rule`) so every answer can be explained; user rules without an id get
 * `user/<n>` (1-based) when resolved.
 */
export const channelRuleSchema = z.strictObject({
  id: z.string().min(1).max(100).optional(),
  channel: z.string().trim().min(1).max(100),
  description: z.string().max(500).optional(),
  conditions: conditionSchema,
});

/** A validated rule (the `channel` trimmed). */
export type ChannelRule = z.infer<typeof channelRuleSchema>;

/**
 * The `channels` section of the configuration: extra rules evaluated before the GA4 defaults,
 * or, with `replaceDefaults`, instead of them.
 */
export const channelConfigSchema = z.strictObject({
  rules: z.array(channelRuleSchema).default([]),
  replaceDefaults: z.boolean().default(false),
});

/** The validated `channels` configuration section, defaults applied. */
export type ChannelConfig = z.infer<typeof channelConfigSchema>;

/** One validation problem, with the dotted path of the offending field. */
export interface RuleIssue {
  readonly path: string;
  readonly message: string;
}

/** The outcome of `parseChannelConfig`: the config, or every issue found. */
export type ParseChannelConfigResult =
  | { readonly ok: true; readonly config: ChannelConfig }
  | { readonly ok: false; readonly issues: readonly RuleIssue[]; readonly message: string };

/** `['rules', 0, 'conditions', 'pattern']` → `rules[0].conditions.pattern`. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

/**
 * Validates the `channels` configuration section (untrusted input). Never throws: a bad rule is
 * reported with its path, e.g. `rules[0].conditions.field: Invalid option: expected one of …`.
 */
export function parseChannelConfig(input: unknown): ParseChannelConfigResult {
  const parsed = channelConfigSchema.safeParse(input ?? {});
  if (parsed.success) return { ok: true, config: parsed.data };
  const issues = parsed.error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message }));
  const message = `invalid channel rules: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`;
  return { ok: false, issues, message };
}
