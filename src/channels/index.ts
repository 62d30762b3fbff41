/**
 * Channels: GA4's default channel grouping as data, a pure classifier, and the same rules as
 * SQL for the store. See README.md in this folder.
 */
export { classifyChannel, toRuleFields, UNASSIGNED_RULE, type ChannelResult, type ClassifyOptions } from './classify.ts';
export {
  DEFAULT_RULES,
  GA4_CHANNELS,
  UNASSIGNED_CHANNEL,
  PAID_MEDIUM_PATTERN,
  SHOPPING_CAMPAIGN_PATTERN,
  EMAIL_VALUES,
} from './default-rules.ts';
export { evaluateCondition, findMatchingRule, resolveRules, ruleIdOf, type RuleFields, type RuleMatch } from './evaluate-rules.ts';
export {
  mapExplicitChannel,
  normaliseChannelKey,
  titleCaseChannel,
  OFFLINE_CHANNEL,
  EXPLICIT_CHANNEL_ALIASES,
  type ExplicitChannel,
} from './explicit-channel.ts';
export {
  channelConfigSchema,
  channelRuleSchema,
  conditionSchema,
  parseChannelConfig,
  formatIssuePath,
  CONDITION_FIELDS,
  type ChannelConfig,
  type ChannelRule,
  type Condition,
  type ConditionField,
  type LeafCondition,
  type ParseChannelConfigResult,
  type RuleIssue,
} from './rules-schema.ts';
export {
  DEFAULT_SOURCE_CATEGORIES,
  SOURCE_CATEGORY_ORDER,
  NOISE_PREFIX_PATTERN,
  SITE_NAME_PATTERN,
  WWW_PREFIX_PATTERN,
  lookupSourceCategory,
  siteNameOf,
  stripNoisePrefixes,
  normaliseValue,
  type SourceCategory,
  type SourceCategoryLists,
} from './source-categories.ts';
export {
  deriveTrafficSource,
  referrerHost,
  normaliseHost,
  isOwnHost,
  CLICK_IDS,
  type ChannelInput,
  type ClickIdMapping,
  type TrafficSource,
  type TrafficSourceOptions,
  type TrafficSourceOrigin,
} from './traffic-source.ts';
export {
  buildChannelMappingSql,
  compileRulesToSqlCase,
  compileSourceCategorySql,
  type ChannelMappingOptions,
  type ChannelMappingSource,
  type ChannelSqlColumns,
  type CompileRulesOptions,
} from './channel-case.sql.ts';
export {
  DeriveService,
  DEFAULT_DERIVE_OPTIONS,
  classifyTrafficKey,
  readConversionCopy,
  type ConversionCopy,
  type DeriveOptions,
  type DeriveReport,
} from './derive-service.ts';
export { VISITOR_KEY, trafficHitsSql } from './derive.sql.ts';
export {
  conversionDefinitionSchema,
  getConversionDefinition,
  listConversionDefinitions,
  removeConversionDefinition,
  saveConversionDefinition,
  type ConversionDefinition,
} from './conversions.ts';
