/**
 * Per-channel credit accumulation shared by the models, and the assembly of an
 * `AttributionResult` from it. Pure: plain values in, plain values out.
 */
import type { AttributionResult, ChannelCredit, PathAggregate } from './types.ts';

/** Running credit per channel, in insertion order. */
export interface CreditLedger {
  index: Map<string, number>;
  names: string[];
  conversions: number[];
  value: number[];
}

/** Input totals and the part that no channel can receive (paths with no touch). */
export interface PathTotals {
  conversions: number;
  value: number;
  unattributedConversions: number;
  unattributedValue: number;
}

/** An empty ledger. */
export function createLedger(): CreditLedger {
  return { index: new Map(), names: [], conversions: [], value: [] };
}

/** Adds `conversions` and `value` to `channel` (creating it at 0 first). */
export function addCredit(ledger: CreditLedger, channel: string, conversions: number, value: number): void {
  let i = ledger.index.get(channel);
  if (i === undefined) {
    i = ledger.names.length;
    ledger.index.set(channel, i);
    ledger.names.push(channel);
    ledger.conversions.push(0);
    ledger.value.push(0);
  }
  ledger.conversions[i] += conversions;
  ledger.value[i] += value;
}

/**
 * Whether crediting a path can change any credit. A null path (no conversion, no value) only
 * adds zeros: after `registerChannels`, skipping it gives the very same ledger — and most paths
 * are null paths (long non-converting journeys), so the models skip them.
 */
export function carriesCredit(p: PathAggregate): boolean {
  return p.conversions !== 0 || p.value !== 0;
}

/** Makes sure every channel of every path appears in the ledger, even with zero credit. */
export function registerChannels(ledger: CreditLedger, paths: readonly PathAggregate[]): void {
  for (const p of paths) {
    // Runs of one channel are common (a string of impressions): look each run up once.
    let previous: string | undefined;
    for (const c of p.path) {
      if (c !== previous && !ledger.index.has(c)) addCredit(ledger, c, 0, 0);
      previous = c;
    }
  }
}

/** Σ conversions and Σ value over all paths; empty paths are counted as unattributed. */
export function sumPathTotals(paths: readonly PathAggregate[]): PathTotals {
  const t: PathTotals = { conversions: 0, value: 0, unattributedConversions: 0, unattributedValue: 0 };
  for (const p of paths) {
    t.conversions += p.conversions;
    t.value += p.value;
    if (p.path.length === 0) {
      t.unattributedConversions += p.conversions;
      t.unattributedValue += p.value;
    }
  }
  return t;
}

/** Compares channel names by code unit so the order never depends on the locale. */
export function compareChannels(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Options for `buildResult`. */
export interface BuildResultArgs {
  model: string;
  options: Record<string, unknown>;
  ledger: CreditLedger;
  totals: PathTotals;
  creditsSumToTotals?: boolean;
  conversionProbability?: number | null;
  removalEffects?: Map<string, number>;
}

/** Assembles the common result; channels are sorted by name. */
export function buildResult(args: BuildResultArgs): AttributionResult {
  const { ledger, totals } = args;
  const channels: ChannelCredit[] = ledger.names.map((channel, i) => ({
    channel,
    conversions: ledger.conversions[i],
    value: ledger.value[i],
    removalEffect: args.removalEffects?.get(channel) ?? null,
  }));
  channels.sort((a, b) => compareChannels(a.channel, b.channel));
  return {
    model: args.model,
    options: args.options,
    totalConversions: totals.conversions,
    totalValue: totals.value,
    conversionProbability: args.conversionProbability ?? null,
    creditsSumToTotals: args.creditsSumToTotals ?? true,
    unattributed: { conversions: totals.unattributedConversions, value: totals.unattributedValue },
    channels,
  };
}
