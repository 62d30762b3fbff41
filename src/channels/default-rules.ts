import type { ChannelRule } from './rules-schema.ts';

/**
 * GA4's default channel group as data, transcribed from the Google Analytics help page
 * "[GA4] Default channel group" (support.google.com/analytics/answer/9756891), section
 * "Channel definitions" for manually tagged and referral traffic. Order matters: the first rule
 * whose conditions hold decides the channel, and traffic no rule claims is "Unassigned".
 *
 * Where the help page says "matches regex" it means the whole value (GA4 regexes are full
 * matches), so the patterns here are anchored `^…$`; "is one of" and "=" with a list of
 * alternatives become `in`. "Source matches a list of … sites" becomes a test on
 * `sourceCategory`, filled from `source-categories.ts`.
 *
 * Not modelled: GA4's rules for Google Ads, DV360, SA360 and CM360 traffic, which use ad-network
 * metadata we never receive (they need the ad platform's own data, not a URL).
 */

/** GA4's "paid medium" test, shared by the paid channels: anything with `cp` (cpc, cpm, cpv…), ppc, retargeting, paid… */
export const PAID_MEDIUM_PATTERN = '^(.*cp.*|ppc|retargeting|paid.*)$';

/** GA4's shopping-campaign test: the campaign name contains `shopping`, or `shop` at a word start (not `eshop`). */
export const SHOPPING_CAMPAIGN_PATTERN = '^(.*(([^a-df-z]|^)shop|shopping).*)$';

/** Spellings GA4 accepts for e-mail in source or medium. */
export const EMAIL_VALUES: readonly string[] = ['email', 'e-mail', 'e_mail', 'e mail'];

/** The channel every unmatched visit gets. Not a rule: it is what "no rule matched" means. */
export const UNASSIGNED_CHANNEL = 'Unassigned';

/** The channels of GA4's default group, in rule order, then the fallback. */
export const GA4_CHANNELS = [
  'Direct', 'Cross-network', 'Paid Shopping', 'Paid Search', 'Paid Social', 'Paid Video', 'Display',
  'Paid Other', 'Organic Shopping', 'Organic Social', 'Organic Video', 'Organic Search', 'Referral',
  'Email', 'Affiliates', 'Audio', 'SMS', 'Mobile Push Notifications', UNASSIGNED_CHANNEL,
] as const;

const paidMedium = { op: 'matches', field: 'medium', pattern: PAID_MEDIUM_PATTERN } as const;
const shoppingCampaign = { op: 'matches', field: 'campaign', pattern: SHOPPING_CAMPAIGN_PATTERN } as const;

/** The default rule table. Each rule's `id` is what the classifier reports as `rule`. */
export const DEFAULT_RULES: readonly ChannelRule[] = [
  {
    id: 'ga4/direct',
    channel: 'Direct',
    description: 'Source is exactly "(direct)" and medium is "(not set)" or "(none)": typed URLs, bookmarks, untagged apps.',
    conditions: {
      op: 'all',
      conditions: [
        { op: 'equals', field: 'source', value: '(direct)' },
        { op: 'in', field: 'medium', values: ['(not set)', '(none)'] },
      ],
    },
  },
  {
    id: 'ga4/cross-network',
    channel: 'Cross-network',
    description: 'Campaign name contains "cross-network" (Google Ads Performance Max, Demand Gen, Smart Shopping).',
    conditions: { op: 'contains', field: 'campaign', value: 'cross-network' },
  },
  {
    id: 'ga4/paid-shopping',
    channel: 'Paid Shopping',
    description: 'Source is a shopping site or the campaign name is a shopping campaign, and the medium is paid.',
    conditions: {
      op: 'all',
      conditions: [
        { op: 'any', conditions: [{ op: 'equals', field: 'sourceCategory', value: 'shopping' }, shoppingCampaign] },
        paidMedium,
      ],
    },
  },
  {
    id: 'ga4/paid-search',
    channel: 'Paid Search',
    description: 'Source is a search engine and the medium is paid.',
    conditions: { op: 'all', conditions: [{ op: 'equals', field: 'sourceCategory', value: 'search' }, paidMedium] },
  },
  {
    id: 'ga4/paid-social',
    channel: 'Paid Social',
    description: 'Source is a social network and the medium is paid.',
    conditions: { op: 'all', conditions: [{ op: 'equals', field: 'sourceCategory', value: 'social' }, paidMedium] },
  },
  {
    id: 'ga4/paid-video',
    channel: 'Paid Video',
    description: 'Source is a video site and the medium is paid.',
    conditions: { op: 'all', conditions: [{ op: 'equals', field: 'sourceCategory', value: 'video' }, paidMedium] },
  },
  {
    id: 'ga4/display',
    channel: 'Display',
    description: 'Medium is one of display, banner, expandable, interstitial, cpm.',
    conditions: { op: 'in', field: 'medium', values: ['display', 'banner', 'expandable', 'interstitial', 'cpm'] },
  },
  {
    id: 'ga4/paid-other',
    channel: 'Paid Other',
    description: 'The medium is paid but the source is not a known shopping, search, social or video site.',
    conditions: paidMedium,
  },
  {
    id: 'ga4/organic-shopping',
    channel: 'Organic Shopping',
    description: 'Source is a shopping site, or the campaign name is a shopping campaign.',
    conditions: { op: 'any', conditions: [{ op: 'equals', field: 'sourceCategory', value: 'shopping' }, shoppingCampaign] },
  },
  {
    id: 'ga4/organic-social',
    channel: 'Organic Social',
    description: 'Source is a social network, or the medium is social, social-network, social-media, sm, social network or social media.',
    conditions: {
      op: 'any',
      conditions: [
        { op: 'equals', field: 'sourceCategory', value: 'social' },
        { op: 'in', field: 'medium', values: ['social', 'social-network', 'social-media', 'sm', 'social network', 'social media'] },
      ],
    },
  },
  {
    id: 'ga4/organic-video',
    channel: 'Organic Video',
    description: 'Source is a video site, or the medium contains "video".',
    conditions: {
      op: 'any',
      conditions: [
        { op: 'equals', field: 'sourceCategory', value: 'video' },
        { op: 'matches', field: 'medium', pattern: '^(.*video.*)$' },
      ],
    },
  },
  {
    id: 'ga4/organic-search',
    channel: 'Organic Search',
    description: 'Source is a search engine, or the medium is exactly "organic".',
    conditions: {
      op: 'any',
      conditions: [
        { op: 'equals', field: 'sourceCategory', value: 'search' },
        { op: 'equals', field: 'medium', value: 'organic' },
      ],
    },
  },
  {
    id: 'ga4/referral',
    channel: 'Referral',
    description: 'Medium is referral, app or link (links from other sites and apps).',
    conditions: { op: 'in', field: 'medium', values: ['referral', 'app', 'link'] },
  },
  {
    id: 'ga4/email',
    channel: 'Email',
    description: 'Source or medium is email, e-mail, e_mail or e mail.',
    conditions: {
      op: 'any',
      conditions: [
        { op: 'in', field: 'source', values: [...EMAIL_VALUES] },
        { op: 'in', field: 'medium', values: [...EMAIL_VALUES] },
      ],
    },
  },
  {
    id: 'ga4/affiliates',
    channel: 'Affiliates',
    description: 'Medium is exactly "affiliate".',
    conditions: { op: 'equals', field: 'medium', value: 'affiliate' },
  },
  {
    id: 'ga4/audio',
    channel: 'Audio',
    description: 'Medium is exactly "audio" (podcast and streaming-audio ads).',
    conditions: { op: 'equals', field: 'medium', value: 'audio' },
  },
  {
    id: 'ga4/sms',
    channel: 'SMS',
    description: 'Source or medium is exactly "sms".',
    conditions: {
      op: 'any',
      conditions: [
        { op: 'equals', field: 'source', value: 'sms' },
        { op: 'equals', field: 'medium', value: 'sms' },
      ],
    },
  },
  {
    id: 'ga4/mobile-push-notifications',
    channel: 'Mobile Push Notifications',
    description: 'Medium ends with "push" or contains "mobile" or "notification", or the source is "firebase".',
    conditions: {
      op: 'any',
      conditions: [
        { op: 'endsWith', field: 'medium', value: 'push' },
        { op: 'contains', field: 'medium', value: 'mobile' },
        { op: 'contains', field: 'medium', value: 'notification' },
        { op: 'equals', field: 'source', value: 'firebase' },
      ],
    },
  },
];
