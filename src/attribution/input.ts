/**
 * Telling the two input forms apart and turning timed journeys into path aggregates.
 */
import type { AttributionInput, PathAggregate, TimedJourney } from './types.ts';

/** True when the input is a list of timed journeys (an empty list counts as path aggregates). */
export function isTimedInput(input: AttributionInput): input is readonly TimedJourney[] {
  const first: unknown = input[0];
  return typeof first === 'object' && first !== null && 'touches' in first;
}

/**
 * Drops the timestamps: one aggregate per journey (no merging of equal paths is needed, every
 * model sums over its input). `nulls` defaults to 0.
 */
export function toPathAggregates(input: AttributionInput): readonly PathAggregate[] {
  if (!isTimedInput(input)) return input;
  return input.map((j) => ({
    path: j.touches.map((t) => t.channel),
    conversions: j.conversions,
    value: j.value,
    nulls: j.nulls ?? 0,
  }));
}
