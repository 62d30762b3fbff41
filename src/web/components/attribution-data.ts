import type { AttributionChannel, AttributionComparison, AttributionModelResult, CompareModel } from '../api/attribution.ts';
import type { AttributionMetric } from './attribution-controls.tsx';

/** The comparison narrowed to the chosen models, with one channel list shared by chart and table. */
export interface ModelComparison {
  /** Chosen models present in the answer, in the server's order. */
  readonly results: readonly AttributionModelResult[];
  /** Channels (or campaigns) by the chosen models' total credit on the metric, largest first. */
  readonly labels: readonly string[];
  /** Spend per label (the same under every model); null when the grouping has none. */
  readonly spend: ReadonlyMap<string, number | null>;
  cell(label: string, model: string): AttributionChannel | undefined;
}

/** Works on the store's comparison and on a path file's answer alike (both carry `results` and `channels`). */
export function compareModels(data: Pick<AttributionComparison, 'results' | 'channels'>, models: readonly CompareModel[], metric: AttributionMetric): ModelComparison {
  const results = data.results.filter((r) => (models as readonly string[]).includes(r.model));
  const index = new Map<string, AttributionChannel>();
  const spend = new Map<string, number | null>();
  const weight = new Map<string, number>();
  for (const r of data.results) {
    for (const c of r.channels) {
      index.set(`${r.model}\u0000${c.channel}`, c);
      if (!spend.has(c.channel)) spend.set(c.channel, c.spend);
    }
  }
  for (const r of results) {
    for (const c of r.channels) weight.set(c.channel, (weight.get(c.channel) ?? 0) + c[metric]);
  }
  // Every label of the answer is listed: one without credit under the chosen models shows zeros.
  const labels = [...data.channels].sort((a, b) => (weight.get(b) ?? 0) - (weight.get(a) ?? 0) || a.localeCompare(b));
  return { results, labels, spend, cell: (label, model) => index.get(`${model}\u0000${label}`) };
}
