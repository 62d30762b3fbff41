/**
 * Funnel definitions as plain values, and the small text grammar people type for steps:
 *
 *   Product Viewed                                   a track event by name
 *   page | page:Checkout | screen | screen:Cart      a page/screen view, optionally by name
 *   Product Viewed where properties.category = 'shoes' and properties.price > 50
 *
 * A filter is `properties.<key> <op> <value>`: key segments [A-Za-z0-9_] joined by dots (nested
 * JSON), op one of = != > < >= <= contains, value a quoted string ('…' or "…", a doubled quote
 * escapes it), a number, true or false. Numbers compare numerically, anything else as text.
 * Pure: no store, no clock.
 */

export const STEP_KINDS = ['track', 'page', 'screen'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const FILTER_OPS = ['=', '!=', '>', '<', '>=', '<=', 'contains'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];
export type FilterValue = string | number | boolean;

export interface PropertyFilter {
  /** Dotted path inside `properties` (segments [A-Za-z0-9_]). */
  readonly key: string;
  readonly op: FilterOp;
  readonly value: FilterValue;
}

export interface FunnelStep {
  readonly kind: StepKind;
  /** Track event name (kind `track`), else null. */
  readonly event: string | null;
  /** Page/screen name (kind `page`/`screen`); null matches every page/screen view. */
  readonly name: string | null;
  readonly where: readonly PropertyFilter[];
}

/** `strict`: each step after the previous one; `any`: every step inside the window, in any order. */
export const FUNNEL_MODES = ['strict', 'any'] as const;
export type FunnelMode = (typeof FUNNEL_MODES)[number];
export const FUNNEL_UNITS = ['person', 'session'] as const;
export type FunnelUnit = (typeof FUNNEL_UNITS)[number];

export type FunnelBreakdown = { readonly kind: 'channel' } | { readonly kind: 'campaign' } | { readonly kind: 'property'; readonly key: string };

export const MIN_STEPS = 2;
export const MAX_STEPS = 10;
export const DEFAULT_WINDOW_DAYS = 7;

export interface FunnelDefinition {
  readonly steps: readonly FunnelStep[];
  /** Conversion window from the first step, in days (> 0). */
  readonly windowDays: number;
  readonly mode: FunnelMode;
  readonly countBy: FunnelUnit;
  readonly breakdown: FunnelBreakdown | null;
  /** First-step times in [from, to) — epoch ms; null: unbounded. Later steps may fall after `to`. */
  readonly from: number | null;
  readonly to: number | null;
}

/** The definition as JSON (what is saved and echoed): steps in the text grammar. */
export interface FunnelSpec {
  readonly steps: string[];
  readonly window: string;
  readonly mode: FunnelMode;
  readonly countBy: FunnelUnit;
  readonly by?: string;
  readonly from?: string;
  readonly to?: string;
}

/** A problem in a definition, with the path of the offending field below the step. */
export class FunnelSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FunnelSyntaxError';
  }
}

const KEY = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/;

/** Validates a property key (`category`, `product.brand`). */
export function checkPropertyKey(key: string): string {
  if (!KEY.test(key)) throw new FunnelSyntaxError(`"${key}" is not a property key (letters, digits and _ in dot-separated parts)`);
  return key;
}

/** Splits on commas outside quotes ("A,B where properties.x = 'a,b'" → 2 parts). */
export function splitStepList(text: string): string[] {
  const parts: string[] = [];
  let quote: string | null = null;
  let current = '';
  for (const ch of text) {
    if (quote !== null) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === ',') {
      parts.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  parts.push(current.trim());
  return parts.length === 1 && parts[0] === '' ? [] : parts;
}

const FILTER_HEAD = /\s*properties\.([A-Za-z0-9_.]+)\s*(!=|>=|<=|=|>|<|contains\b)\s*/iy;
const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const WORD = /(true|false)\b/iy;
const AND = /\s*and\s+/iy;
const SPACE = /\s*/y;

function readValue(text: string, at: number): { value: FilterValue; end: number } {
  const q = text[at];
  if (q === "'" || q === '"') {
    let value = '';
    let i = at + 1;
    for (;;) {
      const close = text.indexOf(q, i);
      if (close < 0) throw new FunnelSyntaxError(`unterminated quoted value in "${text}"`);
      value += text.slice(i, close);
      if (text[close + 1] === q) {
        value += q;
        i = close + 2;
        continue;
      }
      return { value, end: close + 1 };
    }
  }
  for (const [re, convert] of [
    [NUMBER, (s: string) => Number(s)],
    [WORD, (s: string) => s.toLowerCase() === 'true'],
  ] as const) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (m) return { value: convert(m[0]), end: at + m[0].length };
  }
  throw new FunnelSyntaxError(`expected a quoted string, a number, true or false at "${text.slice(at)}"`);
}

/** Parses one filter or several joined by `and` (`properties.category = 'shoes' and properties.price > 50`). */
export function parseFilters(text: string): PropertyFilter[] {
  const filters: PropertyFilter[] = [];
  let at = 0;
  for (;;) {
    FILTER_HEAD.lastIndex = at;
    const head = FILTER_HEAD.exec(text);
    if (!head) throw new FunnelSyntaxError(`expected "properties.<key> <op> <value>" (op: ${FILTER_OPS.join(' ')}) at "${text.slice(at).trim()}"`);
    const key = checkPropertyKey(head[1]);
    const op = head[2].toLowerCase() as FilterOp;
    const { value, end } = readValue(text, at + head[0].length);
    if (op === 'contains' && typeof value !== 'string') throw new FunnelSyntaxError(`contains needs a quoted string (properties.${key})`);
    filters.push({ key, op, value });
    AND.lastIndex = end;
    const and = AND.exec(text);
    if (and) {
      at = end + and[0].length;
      continue;
    }
    SPACE.lastIndex = end;
    const rest = end + (SPACE.exec(text)?.[0].length ?? 0);
    if (rest !== text.length) throw new FunnelSyntaxError(`unexpected "${text.slice(rest)}" after a filter (join filters with "and")`);
    return filters;
  }
}

const PAGE_HEAD = /^(page|screen)(?::(.*))?$/;
const WHERE = /\s+where\s+/i;

/** Parses one step in the text grammar. */
export function parseStepText(text: string): FunnelStep {
  const trimmed = text.trim();
  if (trimmed === '') throw new FunnelSyntaxError('empty step');
  const where = WHERE.exec(trimmed);
  const head = (where ? trimmed.slice(0, where.index) : trimmed).trim();
  const filters = where ? parseFilters(trimmed.slice(where.index + where[0].length)) : [];
  if (head === '') throw new FunnelSyntaxError(`step "${trimmed}" names no event`);
  const page = PAGE_HEAD.exec(head);
  if (page) {
    const name = page[2]?.trim() ?? '';
    return { kind: page[1] as StepKind, event: null, name: name === '' ? null : name, where: filters };
  }
  return { kind: 'track', event: head, name: null, where: filters };
}

function formatValue(value: FilterValue): string {
  return typeof value === 'string' ? `'${value.replaceAll("'", "''")}'` : String(value);
}

export function formatFilter(f: PropertyFilter): string {
  return `properties.${f.key} ${f.op} ${formatValue(f.value)}`;
}

/** The step in the text grammar; `parseStepText(formatStep(s))` gives `s` back. */
export function formatStep(step: FunnelStep): string {
  const head = step.kind === 'track' ? step.event ?? '' : step.name === null ? step.kind : `${step.kind}:${step.name}`;
  return step.where.length === 0 ? head : `${head} where ${step.where.map(formatFilter).join(' and ')}`;
}

/** `channel`, `campaign` or `properties.<key>` (a property of the first step's event). */
export function parseBreakdown(text: string): FunnelBreakdown {
  const t = text.trim();
  if (t === 'channel' || t === 'campaign') return { kind: t };
  if (t.startsWith('properties.')) return { kind: 'property', key: checkPropertyKey(t.slice('properties.'.length)) };
  throw new FunnelSyntaxError(`"${text}" is not a breakdown (channel, campaign or properties.<key>)`);
}

export function formatBreakdown(b: FunnelBreakdown): string {
  return b.kind === 'property' ? `properties.${b.key}` : b.kind;
}

/** The definition as saved and echoed (window in days, times as ISO). */
export function toFunnelSpec(d: FunnelDefinition): FunnelSpec {
  return {
    steps: d.steps.map(formatStep),
    window: `${d.windowDays}d`,
    mode: d.mode,
    countBy: d.countBy,
    ...(d.breakdown ? { by: formatBreakdown(d.breakdown) } : {}),
    ...(d.from !== null ? { from: new Date(d.from).toISOString() } : {}),
    ...(d.to !== null ? { to: new Date(d.to).toISOString() } : {}),
  };
}
