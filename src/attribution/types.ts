/**
 * Shapes shared by the pure attribution models.
 *
 * Units: `conversions` and `nulls` are counts of journeys (may be fractional when they come from
 * weighted data), `value` is conversion value in the account's currency, timestamps are
 * milliseconds since the Unix epoch. Models never round: floating sums of the per-channel credit
 * equal the input totals within about 1e-9 relative.
 */

/**
 * One unique channel sequence with how many journeys followed it.
 * `conversions` journeys ended in a conversion worth `value` in total; `nulls` journeys did not
 * convert. `path` lists channels in touch order; repeats are kept.
 */
export interface PathAggregate {
  path: string[];
  conversions: number;
  value: number;
  nulls: number;
}

/** One touch of a timed journey. `at` is ms since the epoch. */
export interface TimedTouch {
  channel: string;
  at: number;
}

/**
 * A journey whose touch times are known (needed by time decay).
 * Touches are in chronological order. `conversionAt` is the conversion time in ms (may be null
 * for a journey that did not convert). `nulls` (default 0) counts non-converting journeys this
 * record stands for, so a non-converting journey is `{ conversions: 0, nulls: 1 }`.
 */
export interface TimedJourney {
  touches: TimedTouch[];
  conversionAt: number | null;
  conversions: number;
  value: number;
  nulls?: number;
}

/** Either input form; models that need no timestamps accept both. */
export type AttributionInput = readonly PathAggregate[] | readonly TimedJourney[];

/** Credit given to one channel. `removalEffect` is set by the Markov model only. */
export interface ChannelCredit {
  channel: string;
  conversions: number;
  value: number;
  removalEffect: number | null;
}

/**
 * What every model returns.
 * - `totalConversions` / `totalValue`: the input totals (all paths, including empty ones).
 * - `unattributed`: conversions and value of paths with no touch; nothing can be credited for
 *   them. For every model except participation,
 *   Σ channels + unattributed = totals (within float rounding).
 * - `creditsSumToTotals`: false when credits overlap by design (participation gives each channel
 *   of a path the whole conversion, so the channel sum exceeds the totals).
 * - `conversionProbability`: P(conversion from the start state) for Markov, null otherwise.
 */
export interface AttributionResult {
  model: string;
  options: Record<string, unknown>;
  totalConversions: number;
  totalValue: number;
  conversionProbability: number | null;
  creditsSumToTotals: boolean;
  unattributed: { conversions: number; value: number };
  channels: ChannelCredit[];
}

/** One non-zero transition probability of a Markov chain; states are labelled `A > B`. */
export interface TransitionEntry {
  from: string;
  to: string;
  count: number;
  probability: number;
}

/** Markov result: adds the transition matrix when asked for. */
export interface MarkovResult extends AttributionResult {
  stateCount: number;
  transitionMatrix?: TransitionEntry[];
}

/** Credit of one channel at one position (1-based rank of its first touch). */
export interface PositionCredit {
  channel: string;
  position: number;
  conversions: number;
  value: number;
}

/** Shapley result: states the coalition game and, on request, per-position credit. */
export interface ShapleyResult extends AttributionResult {
  game: { name: string; worth: string; method: string };
  /** Raw Shapley values before normalisation (equal to `channels[].conversions` for game (a)). */
  shapleyValues: { channel: string; value: number }[];
  positions?: PositionCredit[];
}

/** Start, conversion and null state labels used in transition matrices. */
export const START_STATE = '(start)';
export const CONVERSION_STATE = '(conversion)';
export const NULL_STATE = '(null)';
