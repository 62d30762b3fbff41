import type { AttributionResult } from './types.ts';

/** One channel's line in a report: the model's credit joined with spend over the same period. */
export interface ReportChannel {
  channel: string;
  conversions: number;
  value: number;
  removalEffect: number | null;
  spend: number | null;
  /** spend / attributed conversions; null without spend or credit. */
  costPerConversion: number | null;
  /** attributed value / spend; null without spend. */
  roas: number | null;
}

export interface ReportResult {
  model: string;
  options: Record<string, unknown>;
  totalConversions: number;
  totalValue: number;
  conversionProbability: number | null;
  /** Conversions and value of journeys with no touch in the lookback window. */
  unattributed: { conversions: number; value: number };
  /** False for participation, whose credits overlap by design. */
  creditsSumToTotals: boolean;
  channels: ReportChannel[];
}

/**
 * A model's result as users read it: channels by credit (largest first), with spend, cost per
 * attributed conversion and ROAS. `spend` maps a label (channel or campaign) to its spend; pass
 * null when there is no spend data (path files).
 */
export function toReportResult(result: AttributionResult, spend: ReadonlyMap<string, number> | null): ReportResult {
  const channels = result.channels
    .map((c): ReportChannel => {
      const s = spend ? (spend.get(c.channel) ?? 0) : null;
      return {
        channel: c.channel,
        conversions: c.conversions,
        value: c.value,
        removalEffect: c.removalEffect,
        spend: s,
        costPerConversion: s !== null && s > 0 && c.conversions > 0 ? s / c.conversions : null,
        roas: s !== null && s > 0 ? c.value / s : null,
      };
    })
    .sort((a, b) => b.conversions - a.conversions || a.channel.localeCompare(b.channel));
  return {
    model: result.model,
    options: result.options,
    totalConversions: result.totalConversions,
    totalValue: result.totalValue,
    conversionProbability: result.conversionProbability,
    unattributed: result.unattributed,
    creditsSumToTotals: result.creditsSumToTotals,
    channels,
  };
}

/** Channels × models: conversions per model side by side (the `compare` view). */
export function compareResults(results: readonly ReportResult[]): { channels: string[]; models: string[]; rows: Array<Record<string, number | string>> } {
  const channels = [...new Set(results.flatMap((r) => r.channels.map((c) => c.channel)))].sort();
  const rows = channels.map((channel) => {
    const row: Record<string, number | string> = { channel };
    for (const r of results) row[r.model] = r.channels.find((c) => c.channel === channel)?.conversions ?? 0;
    return row;
  });
  return { channels, models: results.map((r) => r.model), rows };
}
