import { z } from 'zod';
import { parseDate, parseDays, STEP_SEPARATOR, type JourneyGranularity } from '../attribution/index.ts';

/**
 * Journeys and paths: the request schema and the pure shaping of the engine's aggregates into
 * top paths, timing distributions and Sankey flows. The journeys are attribution's (see
 * src/attribution/journeys.sql.ts): a person's touches after the previous conversion within the
 * lookback before a conversion; touches after the last conversion form a null journey.
 */

export const DEFAULT_TOP_PATHS = 10;
export const MAX_TOP_PATHS = 100;
export const DEFAULT_FLOW_DEPTH = 4;
export const MAX_FLOW_DEPTH = 10;
/** Displayed between steps of a path. */
export const PATH_JOIN = ' > ';

export interface JourneysRequest {
  readonly lookbackDays: number;
  /** Journeys ending in [from, to) — epoch ms; null: unbounded. */
  readonly from: number | null;
  readonly to: number | null;
  readonly granularity: JourneyGranularity;
  /** Conversion definition name; null: the default one. */
  readonly conversion: string | null;
  /** Paths per list (top paths). */
  readonly limit: number;
  /** Sankey steps (flows). */
  readonly depth: number;
}

function tryParse<T>(fn: () => T, ctx: z.RefinementCtx, path: string): T {
  try {
    return fn();
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message, path: [path] });
    return z.NEVER;
  }
}

/** The journeys request as the HTTP query string and the CLI spell it. */
export const journeysQuerySchema = z
  .object({
    lookback: z.string().default('30d').meta({ description: 'how far before a conversion its touches count, in days (`30d`)' }),
    from: z.string().optional().meta({ description: 'first conversion day (YYYY-MM-DD, UTC); default: all' }),
    to: z.string().optional().meta({ description: 'last conversion day, included' }),
    by: z.enum(['channel', 'campaign', 'source-medium']).default('channel').meta({ description: 'what a journey step is' }),
    conversion: z.string().min(1).optional().meta({ description: 'a conversion definition’s name (default: the default one)' }),
    limit: z.coerce
      .number()
      .int('must be a whole number')
      .min(1, `must be 1 to ${MAX_TOP_PATHS}`)
      .max(MAX_TOP_PATHS, `must be 1 to ${MAX_TOP_PATHS}`)
      .default(DEFAULT_TOP_PATHS)
      .meta({ description: 'top paths: how many' }),
    depth: z.coerce
      .number()
      .int('must be a whole number')
      .min(1, `must be 1 to ${MAX_FLOW_DEPTH}`)
      .max(MAX_FLOW_DEPTH, `must be 1 to ${MAX_FLOW_DEPTH}`)
      .default(DEFAULT_FLOW_DEPTH)
      .meta({ description: 'flows: how many steps from the start of a journey' }),
  })
  .transform(
    (q, ctx): JourneysRequest => ({
      lookbackDays: tryParse(() => parseDays(q.lookback, 'lookback'), ctx, 'lookback'),
      from: q.from === undefined ? null : tryParse(() => parseDate(q.from!, 'from', false), ctx, 'from'),
      to: q.to === undefined ? null : tryParse(() => parseDate(q.to!, 'to', true), ctx, 'to'),
      granularity: q.by === 'source-medium' ? 'source_medium' : q.by,
      conversion: q.conversion ?? null,
      limit: q.limit,
      depth: q.depth,
    }),
  );
export type JourneysQuery = z.input<typeof journeysQuerySchema>;

// ---------------------------------------------------------------- top paths

export interface PathRow {
  /** Steps joined by " > ". */
  readonly path: string;
  readonly steps: readonly string[];
  readonly journeys: number;
  readonly conversions: number;
  readonly nulls: number;
  /** conversions / (conversions + nulls) of this path. */
  readonly conversionRate: number;
  readonly value: number;
}

export interface TopPathsReport {
  readonly conversion: string;
  readonly lookbackDays: number;
  readonly by: JourneyGranularity;
  readonly totals: {
    readonly journeys: number;
    readonly conversions: number;
    readonly nulls: number;
    readonly conversionRate: number | null;
    readonly value: number;
    /** Distinct paths of journeys with at least one touch. */
    readonly uniquePaths: number;
    /** Conversions with no touch in the lookback window (in no path list). */
    readonly conversionsWithoutTouches: number;
    readonly valueWithoutTouches: number;
  };
  /** Most converting paths first (ties by path, steps compared in order). */
  readonly converting: readonly PathRow[];
  /** Paths with the most journeys that did not convert first. */
  readonly nonConverting: readonly PathRow[];
}

/** One row of `topPathsSql`. */
export interface TopPathsSqlRow {
  kind: 'total' | 'none' | 'converting' | 'non_converting';
  path: string | null;
  conversions: number;
  nulls: number;
  value: number;
  paths: number;
}

/** Ties are ordered as the engine orders them: by the steps joined with STEP_SEPARATOR. */
function compareSteps(a: readonly string[], b: readonly string[]): number {
  const x = a.join(STEP_SEPARATOR);
  const y = b.join(STEP_SEPARATOR);
  return x < y ? -1 : x > y ? 1 : 0;
}

function toPathRow(r: TopPathsSqlRow): PathRow {
  const steps = (r.path ?? '').split(STEP_SEPARATOR);
  const journeys = r.conversions + r.nulls;
  return { path: steps.join(PATH_JOIN), steps, journeys, conversions: r.conversions, nulls: r.nulls, conversionRate: journeys > 0 ? r.conversions / journeys : 0, value: r.value };
}

export function assembleTopPaths(meta: Pick<TopPathsReport, 'conversion' | 'lookbackDays' | 'by'>, rows: readonly TopPathsSqlRow[]): TopPathsReport {
  const total = rows.find((r) => r.kind === 'total');
  const none = rows.find((r) => r.kind === 'none');
  const conversions = total?.conversions ?? 0;
  const nulls = total?.nulls ?? 0;
  const byRank = (kind: TopPathsSqlRow['kind'], key: 'conversions' | 'nulls') =>
    rows
      .filter((r) => r.kind === kind)
      .map(toPathRow)
      .sort((a, b) => b[key] - a[key] || compareSteps(a.steps, b.steps));
  return {
    ...meta,
    totals: {
      journeys: conversions + nulls,
      conversions,
      nulls,
      conversionRate: conversions + nulls > 0 ? conversions / (conversions + nulls) : null,
      value: total?.value ?? 0,
      uniquePaths: total?.paths ?? 0,
      conversionsWithoutTouches: none?.conversions ?? 0,
      valueWithoutTouches: none?.value ?? 0,
    },
    converting: byRank('converting', 'conversions'),
    nonConverting: byRank('non_converting', 'nulls'),
  };
}

// ---------------------------------------------------------------- timing

export interface Bin {
  readonly label: string;
  /** Inclusive lower bound. */
  readonly from: number;
  /** Exclusive upper bound; null: no upper bound. */
  readonly to: number | null;
}

/** Whole days from the journey's first touch to the conversion (floor of the elapsed time). */
export const DAY_BINS: readonly Bin[] = [
  { label: '0', from: 0, to: 1 },
  { label: '1', from: 1, to: 2 },
  { label: '2–3', from: 2, to: 4 },
  { label: '4–7', from: 4, to: 8 },
  { label: '8–14', from: 8, to: 15 },
  { label: '15–30', from: 15, to: 31 },
  { label: '31+', from: 31, to: null },
];

/** Touches in the converting journey. */
export const TOUCH_BINS: readonly Bin[] = [
  { label: '1', from: 1, to: 2 },
  { label: '2', from: 2, to: 3 },
  { label: '3', from: 3, to: 4 },
  { label: '4', from: 4, to: 5 },
  { label: '5', from: 5, to: 6 },
  { label: '6–10', from: 6, to: 11 },
  { label: '11+', from: 11, to: null },
];

export interface Distribution {
  readonly median: number | null;
  readonly p90: number | null;
  readonly mean: number | null;
  readonly histogram: ReadonlyArray<Bin & { readonly journeys: number }>;
}

export interface TimingReport {
  readonly conversion: string;
  readonly lookbackDays: number;
  /** Converting journeys with at least one touch (the distributions' population). */
  readonly journeys: number;
  readonly conversionsWithoutTouches: number;
  /** Days from the first touch in the journey to the conversion (fractional for median/p90/mean). */
  readonly daysToConvert: Distribution;
  readonly touchesToConvert: Distribution;
}

/** One row of `pathTimingSql`: quantiles as [median, p90], bins as `d0`.., `k0`... */
export type TimingSqlRow = Record<string, unknown> & { journeys: number; without_touches: number };

function distribution(row: TimingSqlRow, q: string, mean: string, prefix: string, bins: readonly Bin[]): Distribution {
  const quantiles = row[q] as [number, number] | null;
  return {
    median: quantiles ? Number(quantiles[0]) : null,
    p90: quantiles ? Number(quantiles[1]) : null,
    mean: row[mean] === null || row[mean] === undefined ? null : Number(row[mean]),
    histogram: bins.map((b, i) => ({ ...b, journeys: Number(row[`${prefix}${i}`] ?? 0) })),
  };
}

export function assembleTiming(meta: Pick<TimingReport, 'conversion' | 'lookbackDays'>, row: TimingSqlRow): TimingReport {
  return {
    ...meta,
    journeys: Number(row.journeys),
    conversionsWithoutTouches: Number(row.without_touches),
    daysToConvert: distribution(row, 'days_q', 'days_mean', 'd', DAY_BINS),
    touchesToConvert: distribution(row, 'touches_q', 'touches_mean', 'k', TOUCH_BINS),
  };
}

// ---------------------------------------------------------------- flows

export const CONVERSION_NODE = 'conversion';
export const DROP_NODE = 'drop';

export interface FlowNode {
  /** `${step}:${channel}`, or "conversion" / "drop". */
  readonly id: string;
  readonly step: number | null;
  readonly label: string;
  /** Journeys passing through the node. */
  readonly journeys: number;
}

export interface FlowLink {
  readonly source: string;
  readonly target: string;
  readonly journeys: number;
}

export interface FlowsReport {
  readonly conversion: string;
  readonly lookbackDays: number;
  readonly depth: number;
  /** Journeys with at least one touch: Σ links out of step-1 nodes. */
  readonly journeys: number;
  readonly conversions: number;
  readonly drops: number;
  readonly nodes: readonly FlowNode[];
  readonly links: readonly FlowLink[];
}

/** One row of `pathFlowsSql`: a link from `k:src` to `(k+1):dst`, or to the outcome when terminal. */
export interface FlowSqlRow {
  k: number;
  src: string;
  dst: string;
  terminal: boolean;
  journeys: number;
}

const nodeId = (step: number, label: string): string => `${step}:${label}`;

/**
 * Sankey nodes and links: step-k nodes for k ≤ depth; each journey runs 1:c1 → 2:c2 → … →
 * min(len, depth):c → conversion | drop. Nodes count the journeys through them (links in, or
 * out for step 1), so every node's in-flow equals its out-flow.
 */
export function assembleFlows(meta: Pick<FlowsReport, 'conversion' | 'lookbackDays' | 'depth'>, rows: readonly FlowSqlRow[]): FlowsReport {
  const links: FlowLink[] = rows
    .map((r) => ({ source: nodeId(r.k, r.src), target: r.terminal ? r.dst : nodeId(r.k + 1, r.dst), journeys: Number(r.journeys) }))
    .sort((a, b) => b.journeys - a.journeys || (a.source + a.target < b.source + b.target ? -1 : 1));
  const nodes = new Map<string, { step: number | null; label: string; journeys: number }>();
  const add = (id: string, step: number | null, label: string, journeys: number) => {
    const node = nodes.get(id) ?? nodes.set(id, { step, label, journeys: 0 }).get(id)!;
    node.journeys += journeys;
  };
  for (const r of rows) {
    if (r.k === 1) add(nodeId(1, r.src), 1, r.src, Number(r.journeys));
    if (r.terminal) add(r.dst, null, r.dst, Number(r.journeys));
    else add(nodeId(r.k + 1, r.dst), r.k + 1, r.dst, Number(r.journeys));
  }
  const ordered = [...nodes.entries()]
    .map(([id, n]) => ({ id, ...n }))
    .sort((a, b) => (a.step ?? 99) - (b.step ?? 99) || b.journeys - a.journeys || (a.id < b.id ? -1 : 1));
  const sum = (pred: (l: FlowLink) => boolean) => links.filter(pred).reduce((s, l) => s + l.journeys, 0);
  return {
    ...meta,
    journeys: sum((l) => l.source.startsWith('1:')),
    conversions: sum((l) => l.target === CONVERSION_NODE),
    drops: sum((l) => l.target === DROP_NODE),
    nodes: ordered,
    links,
  };
}
