import { duckdbDialect, ident, join, raw, sql, type Dialect, type Sql } from '../store/index.ts';
import type { ChannelRule, Condition, ConditionField } from './rules-schema.ts';
import { UNASSIGNED_CHANNEL } from './default-rules.ts';
import { UNASSIGNED_RULE } from './classify.ts';
import { ruleIdOf } from './evaluate-rules.ts';
import {
  DEFAULT_SOURCE_CATEGORIES,
  NOISE_PREFIX_PATTERN,
  SITE_NAME_PATTERN,
  SOURCE_CATEGORY_ORDER,
  WWW_PREFIX_PATTERN,
  type SourceCategoryLists,
} from './source-categories.ts';

/**
 * The channel rules as SQL, so the store can classify stored visits in the engine (for example
 * after a user changes their rules) instead of pulling rows into Node. Two expression builders:
 *
 * - `compileSourceCategorySql` turns a source column into its category (`search`, `social`,
 *   `video`, `shopping` or NULL) with the same four lookups as `lookupSourceCategory`;
 * - `compileRulesToSqlCase` turns a rule table into a `CASE` over source, medium, campaign and
 *   source-category columns, giving the channel (or the matching rule's id).
 *
 * `buildChannelMappingSql` puts both together the fast way: it classifies each distinct
 * (source, medium, campaign) of a table once, giving a small mapping to join back. (Putting the
 * category in a subquery under the CASE is correct but slow: DuckDB inlines the category
 * expression into every rule that reads it, about 10x the work per row.)
 *
 * Every value (rule values, regexes, list entries, channel names) is a bound `?` parameter;
 * only column identifiers and engine function names are part of the text. The builders
 * normalise like the TypeScript classifier (`coalesce(lower(trim(col)), '')`), so raw stored
 * values classify the same in both. They classify already-derived source / medium / campaign:
 * referrer and click-id derivation and explicit channels happen in TypeScript at ingest.
 */

/** The columns (identifiers, or trusted SQL expressions) the CASE reads. */
export interface ChannelSqlColumns {
  readonly source: string | Sql;
  readonly medium: string | Sql;
  readonly campaign: string | Sql;
  /** Typically the alias of `compileSourceCategorySql`'s result in an inner query. */
  readonly sourceCategory: string | Sql;
}

export interface CompileRulesOptions {
  readonly dialect?: Dialect;
  /** `channel` (default): the channel name; `rule`: the id of the rule that matched. */
  readonly output?: 'channel' | 'rule';
}

/** The engine functions the channel SQL needs beyond the common `Dialect`. */
interface ChannelSqlFunctions {
  /** Case-insensitive regex search (not anchored unless the pattern is). */
  regexMatches(expr: Sql, pattern: string): Sql;
  /** `expr` with the first match of `pattern` removed. */
  regexRemoveFirst(expr: Sql, pattern: string): Sql;
  /** Capture group 1 of the first match, `''` when none. */
  regexGroup1(expr: Sql, pattern: string): Sql;
  contains(expr: Sql, value: string): Sql;
  startsWith(expr: Sql, value: string): Sql;
  endsWith(expr: Sql, value: string): Sql;
  /** A string constant bound as a parameter, typed so CASE branches agree. */
  text(value: string): Sql;
}

const DUCKDB_FUNCTIONS: ChannelSqlFunctions = {
  regexMatches: (expr, pattern) => sql`regexp_matches(${expr}, ${pattern}, 'i')`,
  regexRemoveFirst: (expr, pattern) => sql`regexp_replace(${expr}, ${pattern}, '')`,
  regexGroup1: (expr, pattern) => sql`regexp_extract(${expr}, ${pattern}, 1)`,
  contains: (expr, value) => sql`contains(${expr}, ${value})`,
  startsWith: (expr, value) => sql`starts_with(${expr}, ${value})`,
  endsWith: (expr, value) => sql`ends_with(${expr}, ${value})`,
  text: (value) => sql`CAST(${value} AS VARCHAR)`,
};

function functionsFor(dialect: Dialect): ChannelSqlFunctions {
  if (dialect.name === 'duckdb') return DUCKDB_FUNCTIONS;
  throw new Error(`channel classification in SQL is not implemented for the ${dialect.name} engine yet`);
}

function column(value: string | Sql): Sql {
  return typeof value === 'string' ? ident(value) : value;
}

/**
 * `coalesce(lower(trim(col)), '')`: the SQL twin of the classifier's normalisation. The cast
 * lets an all-NULL column (typed INTEGER by the engine) through.
 */
function normalised(expr: Sql): Sql {
  return sql`coalesce(lower(trim(CAST(${expr} AS VARCHAR))), '')`;
}

function compileCondition(condition: Condition, fields: Record<ConditionField, Sql>, fn: ChannelSqlFunctions): Sql {
  switch (condition.op) {
    case 'all':
      return sql`(${join(condition.conditions.map((c) => compileCondition(c, fields, fn)), ' AND ')})`;
    case 'any':
      return sql`(${join(condition.conditions.map((c) => compileCondition(c, fields, fn)), ' OR ')})`;
    case 'not':
      return sql`(NOT ${compileCondition(condition.condition, fields, fn)})`;
    case 'equals':
      return sql`(${fields[condition.field]} = ${condition.value.toLowerCase()})`;
    case 'in':
      return sql`(${fields[condition.field]} IN (${join(condition.values.map((v) => sql`${v.toLowerCase()}`))}))`;
    case 'matches':
      return fn.regexMatches(fields[condition.field], condition.pattern);
    case 'contains':
      return fn.contains(fields[condition.field], condition.value.toLowerCase());
    case 'startsWith':
      return fn.startsWith(fields[condition.field], condition.value.toLowerCase());
    case 'endsWith':
      return fn.endsWith(fields[condition.field], condition.value.toLowerCase());
  }
}

/**
 * A SQL expression giving each row's channel under `rules` (first match wins, else
 * "Unassigned"), or with `output: 'rule'` the matching rule's id (else `unassigned`), exactly as
 * `classifyChannel` reports them for the same source / medium / campaign. DuckDB only for now;
 * other engines throw.
 */
export function compileRulesToSqlCase(
  rules: readonly ChannelRule[],
  columns: ChannelSqlColumns,
  options: CompileRulesOptions = {},
): Sql {
  const fn = functionsFor(options.dialect ?? duckdbDialect);
  const fields: Record<ConditionField, Sql> = {
    source: normalised(column(columns.source)),
    medium: normalised(column(columns.medium)),
    campaign: normalised(column(columns.campaign)),
    sourceCategory: normalised(column(columns.sourceCategory)),
  };
  const outputRule = options.output === 'rule';
  const fallback = fn.text(outputRule ? UNASSIGNED_RULE : UNASSIGNED_CHANNEL);
  if (rules.length === 0) return fallback;
  const branches = rules.map(
    (rule, i) => sql`WHEN ${compileCondition(rule.conditions, fields, fn)} THEN ${fn.text(outputRule ? ruleIdOf(rule, i) : rule.channel)}`,
  );
  return sql`(CASE ${join(branches, ' ')} ELSE ${fallback} END)`;
}

/** Entries of each category, normalised and de-duplicated across categories (first category wins, as in the TypeScript index). */
function dedupedLists(lists: SourceCategoryLists): Array<{ category: string; keys: string[] }> {
  const seen = new Set<string>();
  return SOURCE_CATEGORY_ORDER.map((category) => {
    const keys: string[] = [];
    for (const entry of lists[category]) {
      const key = entry.trim().toLowerCase();
      if (key !== '' && !seen.has(key)) {
        seen.add(key);
        keys.push(key);
      }
    }
    return { category, keys };
  });
}

/**
 * A SQL expression giving the source category of a source column (`search`, `social`, `video`,
 * `shopping`, or NULL), the same answer as `lookupSourceCategory`: the value, then the value
 * without `www.`, then without any noise prefix, then its site name, each looked up in the lists. The lists travel as
 * bound parameters in `IN (?, …)` lists (a few hundred for the defaults; DuckDB folds them into
 * constants once per query), so no lookup table has to be created or kept in sync.
 */
export function compileSourceCategorySql(
  source: string | Sql,
  lists: SourceCategoryLists = DEFAULT_SOURCE_CATEGORIES,
  dialect: Dialect = duckdbDialect,
): Sql {
  const fn = functionsFor(dialect);
  const groups = dedupedLists(lists).filter((g) => g.keys.length > 0);
  const categoryOf = (candidate: Sql): Sql => {
    if (groups.length === 0) return raw('CAST(NULL AS VARCHAR)');
    const branches = groups.map(
      (g) => sql`WHEN ${candidate} IN (${join(g.keys.map((k) => sql`${k}`))}) THEN ${fn.text(g.category)}`,
    );
    return sql`(CASE ${join(branches, ' ')} END)`;
  };
  const value = normalised(column(source));
  const withoutWww = fn.regexRemoveFirst(value, WWW_PREFIX_PATTERN);
  const core = fn.regexRemoveFirst(value, NOISE_PREFIX_PATTERN);
  const name = fn.regexGroup1(core, SITE_NAME_PATTERN);
  return sql`coalesce(${join([value, withoutWww, core, name].map(categoryOf))})`;
}

/** Where `buildChannelMappingSql` reads visits from. */
export interface ChannelMappingSource {
  /** A table name, or a trusted subquery such as `(SELECT … FROM events WHERE …)`. */
  readonly from: string | Sql;
  /** Column names in `from`; default `source`, `medium`, `campaign`. */
  readonly columns?: { readonly source?: string; readonly medium?: string; readonly campaign?: string };
}

export interface ChannelMappingOptions {
  readonly dialect?: Dialect;
  readonly lists?: SourceCategoryLists;
}

/**
 * A query giving one row per distinct (source, medium, campaign) of `from`, with columns
 * `source`, `medium`, `campaign` (as stored), `source_category`, `channel` and `rule`. Each
 * combination is classified once, so the cost follows the number of distinct combinations, not
 * of visits. Join it back with `IS NOT DISTINCT FROM` on the three columns (NULLs match).
 */
export function buildChannelMappingSql(
  rules: readonly ChannelRule[],
  source: ChannelMappingSource,
  options: ChannelMappingOptions = {},
): Sql {
  const dialect = options.dialect ?? duckdbDialect;
  const from = typeof source.from === 'string' ? ident(source.from) : source.from;
  const src = ident(source.columns?.source ?? 'source');
  const med = ident(source.columns?.medium ?? 'medium');
  const camp = ident(source.columns?.campaign ?? 'campaign');
  const columns: ChannelSqlColumns = { source: 'source', medium: 'medium', campaign: 'campaign', sourceCategory: 'source_category' };
  const channel = compileRulesToSqlCase(rules, columns, { dialect, output: 'channel' });
  const rule = compileRulesToSqlCase(rules, columns, { dialect, output: 'rule' });
  const category = compileSourceCategorySql('source', options.lists, dialect);
  return sql`SELECT source, medium, campaign, source_category, ${channel} AS channel, ${rule} AS rule
FROM (SELECT source, medium, campaign, ${category} AS source_category
      FROM (SELECT DISTINCT ${src} AS source, ${med} AS medium, ${camp} AS campaign FROM ${from}) AS distinct_visits) AS categorised`;
}
