import { DEFAULT_RULES } from './default-rules.ts';
import type { ChannelConfig, ChannelRule, Condition } from './rules-schema.ts';

/**
 * Runs a rule table against one visit's fields in TypeScript. `channel-case.sql.ts` compiles the
 * same table to SQL; both must agree on every input (a test runs both).
 */

/**
 * The values conditions test, already normalised: lower-case, trimmed, and `''` for absent
 * (never null, so that "absent" compares like the empty string in SQL's `coalesce(x, '')`).
 */
export interface RuleFields {
  readonly source: string;
  readonly medium: string;
  readonly campaign: string;
  /** `search` | `social` | `video` | `shopping`, or `''` when the source has no category. */
  readonly sourceCategory: string;
}

/** The rule that matched and the name the classifier reports for it. */
export interface RuleMatch {
  readonly rule: ChannelRule;
  readonly ruleId: string;
}

const regexCache = new Map<string, RegExp>();

function compiled(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'i');
    regexCache.set(pattern, re);
  }
  return re;
}

/**
 * Whether a condition holds. Rule values are lower-cased before comparing (fields already are),
 * so `equals "Email"` and `equals "email"` mean the same; regexes run case-insensitively.
 * `all` of nothing is true and `any` of nothing false, though the schema forbids empty lists.
 */
export function evaluateCondition(condition: Condition, fields: RuleFields): boolean {
  switch (condition.op) {
    case 'all':
      return condition.conditions.every((c) => evaluateCondition(c, fields));
    case 'any':
      return condition.conditions.some((c) => evaluateCondition(c, fields));
    case 'not':
      return !evaluateCondition(condition.condition, fields);
    case 'equals':
      return fields[condition.field] === condition.value.toLowerCase();
    case 'in':
      return condition.values.some((v) => v.toLowerCase() === fields[condition.field]);
    case 'matches':
      return compiled(condition.pattern).test(fields[condition.field]);
    case 'contains':
      return fields[condition.field].includes(condition.value.toLowerCase());
    case 'startsWith':
      return fields[condition.field].startsWith(condition.value.toLowerCase());
    case 'endsWith':
      return fields[condition.field].endsWith(condition.value.toLowerCase());
  }
}

/** The name a rule is reported under: its `id`, or `rule[<index>]` for an anonymous rule. */
export function ruleIdOf(rule: ChannelRule, index: number): string {
  return rule.id ?? `rule[${index}]`;
}

/** The first rule whose conditions hold, or null (the caller reports Unassigned). */
export function findMatchingRule(rules: readonly ChannelRule[], fields: RuleFields): RuleMatch | null {
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (evaluateCondition(rule.conditions, fields)) return { rule, ruleId: ruleIdOf(rule, i) };
  }
  return null;
}

/**
 * The ordered rule table a configuration asks for: the user's rules first (each without an id
 * named `user/<n>`, 1-based), then GA4's defaults unless `replaceDefaults` is set.
 */
export function resolveRules(config: Pick<ChannelConfig, 'rules' | 'replaceDefaults'>): ChannelRule[] {
  const user = config.rules.map((rule, i) => (rule.id ? rule : { ...rule, id: `user/${i + 1}` }));
  return config.replaceDefaults ? user : [...user, ...DEFAULT_RULES];
}
