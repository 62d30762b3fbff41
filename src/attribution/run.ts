/** Runs attribution models by name over path aggregates or timed journeys. */
import { attributeChannelWeights, type ChannelWeightsOptions } from './channel-weights.ts';
import { attributeFractribution } from './fractribution.ts';
import { isTimedInput, toPathAggregates } from './input.ts';
import { attributeMarkov, type MarkovOptions } from './markov.ts';
import { attributeInverseJ, attributeJCurve, attributePositionBased, U_SHAPED, type PositionWeights } from './position.ts';
import {
  attributeFirstTouch,
  attributeLastNonDirect,
  attributeLastTouch,
  attributeLinear,
  attributeParticipation,
  type LastNonDirectOptions,
} from './rules.ts';
import { attributeShaoLi, type ShaoLiResult } from './shao-li.ts';
import { attributeShapley, type ShapleyOptions } from './shapley.ts';
import { attributeTimeDecay, type TimeDecayOptions } from './time-decay.ts';
import { carriesCredit } from './ledger.ts';
import type { AttributionInput, AttributionResult, MarkovResult, PathAggregate, ShapleyResult } from './types.ts';

/** Every model `runModel` knows. */
export const MODEL_NAMES = [
  'first',
  'last',
  'last-non-direct',
  'linear',
  'participation',
  'position',
  'j-curve',
  'inverse-j',
  'time-decay',
  'markov',
  'shapley',
  'custom-weights',
  'shao-li',
  'fractribution',
] as const;

/** A model name. */
export type ModelName = (typeof MODEL_NAMES)[number];

type NoOptions = Record<string, never>;

/** Options accepted by each model. */
export interface ModelOptionsMap {
  first: NoOptions;
  last: NoOptions;
  'last-non-direct': LastNonDirectOptions;
  linear: NoOptions;
  participation: NoOptions;
  /** Default weights: U-shaped 40/20/40. */
  position: { weights?: PositionWeights };
  'j-curve': NoOptions;
  'inverse-j': NoOptions;
  'time-decay': TimeDecayOptions;
  markov: MarkovOptions;
  shapley: ShapleyOptions;
  'custom-weights': ChannelWeightsOptions;
  'shao-li': NoOptions;
  fractribution: NoOptions;
}

/** Result type of each model. */
export type ModelResult<N extends ModelName> = N extends 'markov'
  ? MarkovResult
  : N extends 'shapley'
    ? ShapleyResult
    : N extends 'shao-li'
      ? ShaoLiResult
      : AttributionResult;

/** True when `name` is a known model name. */
export function isModelName(name: string): name is ModelName {
  return (MODEL_NAMES as readonly string[]).includes(name);
}

function runOnPaths(name: ModelName, paths: readonly PathAggregate[], options: unknown): AttributionResult {
  const o = (options ?? {}) as Record<string, unknown>;
  switch (name) {
    case 'first': return attributeFirstTouch(paths);
    case 'last': return attributeLastTouch(paths);
    case 'last-non-direct': return attributeLastNonDirect(paths, o as LastNonDirectOptions);
    case 'linear': return attributeLinear(paths);
    case 'participation': return attributeParticipation(paths);
    case 'position': return attributePositionBased(paths, (o as { weights?: PositionWeights }).weights ?? U_SHAPED);
    case 'j-curve': return attributeJCurve(paths);
    case 'inverse-j': return attributeInverseJ(paths);
    case 'markov': return attributeMarkov(paths, o as MarkovOptions);
    case 'shapley': return attributeShapley(paths, o as ShapleyOptions);
    case 'shao-li': return attributeShaoLi(paths);
    case 'fractribution': return attributeFractribution(paths);
    case 'custom-weights':
      if (typeof o.weights !== 'object' || o.weights === null) {
        throw new TypeError('custom-weights needs options.weights, a table of weight per channel');
      }
      return attributeChannelWeights(paths, o as unknown as ChannelWeightsOptions);
    case 'time-decay':
      throw new TypeError('time-decay needs timed journeys (TimedJourney[] with touch timestamps), not path aggregates');
  }
}

/**
 * Runs one model by name. Timed journeys are accepted by every model (their timestamps are
 * dropped for the others); `time-decay` requires them. Unknown names are a RangeError.
 */
export function runModel<N extends ModelName>(
  name: N,
  input: AttributionInput,
  options?: ModelOptionsMap[N],
): ModelResult<N> {
  if (!isModelName(name)) throw new RangeError(`unknown attribution model "${String(name)}" (known: ${MODEL_NAMES.join(', ')})`);
  if (name === 'time-decay' && isTimedInput(input)) {
    return attributeTimeDecay(input, (options ?? {}) as TimeDecayOptions) as ModelResult<N>;
  }
  return runOnPaths(name, toPathAggregates(input), options) as ModelResult<N>;
}

/** Options of `runAll`: per-model options and, optionally, which models to run. */
export type RunAllOptions = { [N in ModelName]?: ModelOptionsMap[N] } & { models?: readonly ModelName[] };

/** Results of `runAll`, with the models that could not run on this input and why. */
export interface RunAllResult {
  results: AttributionResult[];
  skipped: { model: ModelName; reason: string }[];
}

/**
 * Models whose credits do not depend on null paths (no conversion, no value) beyond listing
 * every channel of every path (with zero credit when it earned none).
 */
const NULL_BLIND: ReadonlySet<ModelName> = new Set<ModelName>(['first', 'last', 'last-non-direct', 'linear', 'participation', 'position', 'j-curve', 'inverse-j']);

/**
 * The paths that carry credit, plus one null path listing every channel: for a NULL_BLIND model
 * the very same result as all the paths (null paths only add zeros and channel names), with a
 * fraction of the work when most journeys do not convert.
 */
function creditPathsOf(paths: readonly PathAggregate[]): PathAggregate[] {
  const seen = new Set<string>();
  const channels: string[] = [];
  const out: PathAggregate[] = [];
  for (const p of paths) {
    if (carriesCredit(p)) out.push(p);
    let previous: string | undefined;
    for (const c of p.path) {
      if (c !== previous && !seen.has(c)) {
        seen.add(c);
        channels.push(c);
      }
      previous = c;
    }
  }
  if (channels.length > 0) out.push({ path: channels, conversions: 0, value: 0, nulls: 0 });
  return out;
}

/**
 * Runs every model (or `options.models`) on the same input. Skips, with a reason, time-decay
 * without timestamps and custom-weights without a weight table.
 */
export function runAll(input: AttributionInput, options: RunAllOptions = {}): RunAllResult {
  const paths = toPathAggregates(input);
  let creditPaths: PathAggregate[] | null = null;
  const out: RunAllResult = { results: [], skipped: [] };
  for (const name of options.models ?? MODEL_NAMES) {
    if (name === 'time-decay' && !isTimedInput(input)) {
      out.skipped.push({ model: name, reason: 'needs timed journeys (touch timestamps)' });
    } else if (name === 'custom-weights' && !options['custom-weights']) {
      out.skipped.push({ model: name, reason: 'needs options["custom-weights"].weights' });
    } else if (name === 'time-decay' && isTimedInput(input)) {
      out.results.push(attributeTimeDecay(input, options['time-decay'] ?? {}));
    } else if (NULL_BLIND.has(name)) {
      creditPaths ??= creditPathsOf(paths);
      out.results.push(runOnPaths(name, creditPaths, options[name]));
    } else {
      out.results.push(runOnPaths(name, paths, options[name]));
    }
  }
  return out;
}
