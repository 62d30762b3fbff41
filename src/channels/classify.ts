import { DEFAULT_RULES, UNASSIGNED_CHANNEL } from './default-rules.ts';
import { findMatchingRule, type RuleFields } from './evaluate-rules.ts';
import { mapExplicitChannel } from './explicit-channel.ts';
import type { ChannelRule } from './rules-schema.ts';
import { DEFAULT_SOURCE_CATEGORIES, lookupSourceCategory, type SourceCategoryLists } from './source-categories.ts';
import { deriveTrafficSource, type ChannelInput, type TrafficSourceOptions } from './traffic-source.ts';

/** Which channel a visit belongs to, with the source/medium it was judged on and why. */
export interface ChannelResult {
  readonly channel: string;
  readonly source: string;
  readonly medium: string;
  readonly campaign: string | null;
  /**
   * What decided: a rule id (`ga4/paid-search`, `user/1`, …), `explicit` (a known explicit
   * channel), `explicit/verbatim` (an unknown explicit channel kept as given) or `unassigned`.
   */
  readonly rule: string;
}

/** Per-deployment settings: the site's own hosts and the source category lists. */
export type ClassifyOptions = TrafficSourceOptions;

/** Rule id reported when no rule matched. */
export const UNASSIGNED_RULE = 'unassigned';

/** The condition fields of a source / medium / campaign triple, normalised as rules expect. */
export function toRuleFields(
  traffic: { readonly source: string | null; readonly medium: string | null; readonly campaign: string | null },
  lists: SourceCategoryLists = DEFAULT_SOURCE_CATEGORIES,
): RuleFields {
  return {
    source: traffic.source?.trim().toLowerCase() ?? '',
    medium: traffic.medium?.trim().toLowerCase() ?? '',
    campaign: traffic.campaign?.trim().toLowerCase() ?? '',
    sourceCategory: lookupSourceCategory(traffic.source, lists) ?? '',
  };
}

/**
 * Classifies one visit into a channel. Pure: same input, same answer.
 *
 * 1. An explicit channel (`input.explicitChannel`) wins: known names map to GA4's (or Offline),
 *    unknown ones are kept title-cased (see `mapExplicitChannel`).
 * 2. Otherwise source / medium / campaign are derived (`deriveTrafficSource`: utm tags, click
 *    ids, referrer, direct) and `rules` are tried in order; the first match decides.
 * 3. No match: "Unassigned".
 *
 * `rules` is the whole ordered table, GA4's defaults unless given; build it from configuration
 * with `resolveRules` (user rules first, then the defaults, or the user's alone).
 */
export function classifyChannel(
  input: ChannelInput,
  rules: readonly ChannelRule[] = DEFAULT_RULES,
  options: ClassifyOptions = {},
): ChannelResult {
  const traffic = deriveTrafficSource(input, options);
  const base = { source: traffic.source, medium: traffic.medium, campaign: traffic.campaign };

  const explicit = mapExplicitChannel(input.explicitChannel);
  if (explicit) return { ...base, channel: explicit.channel, rule: explicit.known ? 'explicit' : 'explicit/verbatim' };

  const match = findMatchingRule(rules, toRuleFields(traffic, options.sourceCategories));
  if (match) return { ...base, channel: match.rule.channel, rule: match.ruleId };
  return { ...base, channel: UNASSIGNED_CHANNEL, rule: UNASSIGNED_RULE };
}
