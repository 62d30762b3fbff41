/**
 * Shared test helpers: the vendored worked examples (fractions parsed to numbers) and the
 * toy data set they were computed on.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AttributionResult, PathAggregate } from '../../src/attribution/index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The vendored golden file, parsed. */
export const GOLDEN = JSON.parse(
  readFileSync(path.join(here, '../fixtures/golden/attribution-worked-examples.json'), 'utf8'),
) as {
  heuristics_adobe_journey: {
    journey_days_before_conversion: [string, number][];
    value: number;
    credit: Record<string, Record<string, number>>;
  };
  markov_order1: {
    rows: [string, number, number][];
    p_conv: string;
    removal_effect: Record<string, string>;
    attributed_conversions: Record<string, string>;
  };
  shapley: {
    zhao_full: Record<string, string>;
    zhao_simplified: Record<string, string>;
    cr_game_full: Record<string, string>;
    cr_game_normalised_to_conversions: Record<string, number>;
  };
  ordered_shapley: Record<string, string>;
  shao_li: Record<string, string>;
  fractribution: Record<string, string>;
};

/** "23/36" → 0.638…, "0" → 0. */
export function fraction(text: string): number {
  const [num, den] = text.split('/');
  return den === undefined ? Number(num) : Number(num) / Number(den);
}

/** The five-path toy data set; value = 10 × conversions so value credit is checked too. */
export const TOY_PATHS: PathAggregate[] = GOLDEN.markov_order1.rows.map(([p, conversions, nulls]) => ({
  path: p.split(' > '),
  conversions,
  value: 10 * conversions,
  nulls,
}));

/** Channel → credit of a result. */
export function creditOf(r: AttributionResult, field: 'conversions' | 'value' = 'conversions'): Record<string, number> {
  return Object.fromEntries(r.channels.map((c) => [c.channel, c[field]]));
}

/** Σ credit over channels plus unattributed, for conversions and value. */
export function creditTotals(r: AttributionResult): { conversions: number; value: number } {
  let conversions = r.unattributed.conversions;
  let value = r.unattributed.value;
  for (const c of r.channels) {
    conversions += c.conversions;
    value += c.value;
  }
  return { conversions, value };
}

/** Absolute path of the shared PathData.csv (ChannelAttribution's example data, GPL-3). */
export const PATH_DATA_CSV = path.resolve(process.cwd(), '../shared/data/attribution/PathData.csv');
