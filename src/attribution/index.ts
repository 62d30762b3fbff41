/**
 * Attribution: the capability's public face. Pure models over path aggregates (or timed
 * journeys for time decay), a path-file parser, and a dispatcher by model name.
 */
export * from './types.ts';
export { attributeChannelWeights, type ChannelWeightsOptions } from './channel-weights.ts';
export { attributeFractribution } from './fractribution.ts';
export { isTimedInput, toPathAggregates } from './input.ts';
export { attributeMarkov, validateMarkovOrder, type MarkovOptions } from './markov.ts';
export { MAX_MARKOV_ORDER } from './markov-chain.ts';
export { createPathFileParser, parsePathFile, parsePathFileLines, PathFileError, PATH_FILE_COLUMNS } from './paths.ts';
export * from './position.ts';
export * from './rules.ts';
export { attributeShaoLi, type ShaoLiResult } from './shao-li.ts';
export { attributeShapley, computeOrderedShapley, type ShapleyGame, type ShapleyMethod, type ShapleyOptions } from './shapley.ts';
export { computeSubsetShapley, MAX_SUBSET_PLAYERS, zetaTransform } from './subset-shapley.ts';
export { attributeTimeDecay, computeTimeDecayShares, DAY_MS, type TimeDecayOptions } from './time-decay.ts';
export * from './run.ts';
export * from './report.ts';
export { attributeFromStore, attributePaths, readPathFile, loadPathAggregates, resolveJourneyQuery, REPORT_MODELS, DEFAULT_MODELS, type AttributionRequest } from './service.ts';
export { getConversionDefinition, type ConversionDefinition } from '../channels/index.ts';
export { pathAggregateSql, timeDecaySql, journeyCtesSql, journeyPathsSql, stepLabelNo, stepMs, labelName, STEP_SEPARATOR, type JourneyQuery, type JourneyGranularity } from './journeys.sql.ts';
export { attributionQuerySchema, pathFileQuerySchema, parseDays, parseDate, type AttributionQuery } from './request.ts';
