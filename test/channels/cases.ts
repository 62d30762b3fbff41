import type { ChannelInput } from '../../src/channels/index.ts';

/**
 * Shared classification cases: for every GA4 channel at least one visit that must land in it and
 * one near miss that must not (its expected channel says where it goes instead). Expected
 * values come from reading GA4's published definitions ("[GA4] Default channel group", Google
 * Analytics help); they are used by the rule tests and, for the SQL form, by the DuckDB
 * agreement test.
 */
export interface ChannelCase {
  readonly name: string;
  readonly input: ChannelInput;
  readonly channel: string;
  readonly rule: string;
  /** The GA4 channel this case exercises (positive) or guards (near miss). */
  readonly about: string;
  readonly kind: 'positive' | 'near-miss';
}

const c = (
  about: string,
  kind: ChannelCase['kind'],
  name: string,
  input: ChannelInput,
  channel: string,
  rule: string,
): ChannelCase => ({ about, kind, name, input, channel, rule });

export const CHANNEL_CASES: readonly ChannelCase[] = [
  c('Direct', 'positive', 'nothing at all', {}, 'Direct', 'ga4/direct'),
  c('Direct', 'positive', '(direct) / (not set)', { source: '(direct)', medium: '(not set)' }, 'Direct', 'ga4/direct'),
  c('Direct', 'near-miss', '(direct) with a real medium', { source: '(direct)', medium: 'referral' }, 'Referral', 'ga4/referral'),
  c('Direct', 'near-miss', '"direct" without parentheses', { source: 'direct', medium: '(none)' }, 'Unassigned', 'unassigned'),

  c('Cross-network', 'positive', 'campaign contains cross-network', { source: 'google', medium: 'cpc', campaign: 'Brand Cross-Network PMax' }, 'Cross-network', 'ga4/cross-network'),
  c('Cross-network', 'near-miss', 'cross network without the hyphen', { source: 'google', medium: 'cpc', campaign: 'cross network' }, 'Paid Search', 'ga4/paid-search'),

  c('Paid Shopping', 'positive', 'shopping site with cpc', { source: 'amazon', medium: 'cpc' }, 'Paid Shopping', 'ga4/paid-shopping'),
  c('Paid Shopping', 'positive', 'shopping campaign on a search engine', { source: 'google', medium: 'cpc', campaign: 'Shopping - Shoes' }, 'Paid Shopping', 'ga4/paid-shopping'),
  c('Paid Shopping', 'positive', 'campaign with shop after a separator', { source: 'partner', medium: 'paid', campaign: 'summer_shop' }, 'Paid Shopping', 'ga4/paid-shopping'),
  c('Paid Shopping', 'positive', '"eshop" counts (GA4 excludes letters before shop except e)', { source: 'partner', medium: 'cpc', campaign: 'eshop-launch' }, 'Paid Shopping', 'ga4/paid-shopping'),
  c('Paid Shopping', 'near-miss', '"workshop" is not a shop campaign', { source: 'google', medium: 'cpc', campaign: 'workshop-series' }, 'Paid Search', 'ga4/paid-search'),

  c('Paid Search', 'positive', 'google / cpc', { source: 'google', medium: 'cpc' }, 'Paid Search', 'ga4/paid-search'),
  c('Paid Search', 'positive', 'search host with ppc', { source: 'www.google.co.uk', medium: 'ppc' }, 'Paid Search', 'ga4/paid-search'),
  c('Paid Search', 'positive', 'bing / paid_search, mixed case', { source: ' Bing ', medium: 'Paid_Search' }, 'Paid Search', 'ga4/paid-search'),
  c('Paid Search', 'positive', 'a cpm medium on a search engine is still paid search', { source: 'google', medium: 'cpm' }, 'Paid Search', 'ga4/paid-search'),
  c('Paid Search', 'near-miss', 'google / organic', { source: 'google', medium: 'organic' }, 'Organic Search', 'ga4/organic-search'),
  c('Paid Search', 'near-miss', 'misspelt engine', { source: 'googl', medium: 'cpc' }, 'Paid Other', 'ga4/paid-other'),

  c('Paid Social', 'positive', 'facebook / paid_social', { source: 'facebook', medium: 'paid_social' }, 'Paid Social', 'ga4/paid-social'),
  c('Paid Social', 'positive', 'l.facebook.com / cpc', { source: 'l.facebook.com', medium: 'cpc' }, 'Paid Social', 'ga4/paid-social'),
  c('Paid Social', 'positive', 'linkedin / retargeting', { source: 'linkedin', medium: 'retargeting' }, 'Paid Social', 'ga4/paid-social'),
  c('Paid Social', 'near-miss', 'linkedin / social (the classic mistake)', { source: 'linkedin', medium: 'social' }, 'Organic Social', 'ga4/organic-social'),

  c('Paid Video', 'positive', 'youtube / cpv', { source: 'youtube', medium: 'cpv' }, 'Paid Video', 'ga4/paid-video'),
  c('Paid Video', 'positive', 'vimeo.com / paid', { source: 'vimeo.com', medium: 'paid' }, 'Paid Video', 'ga4/paid-video'),
  c('Paid Video', 'near-miss', 'youtube / video', { source: 'youtube', medium: 'video' }, 'Organic Video', 'ga4/organic-video'),

  c('Display', 'positive', 'display medium', { source: 'dv360', medium: 'display' }, 'Display', 'ga4/display'),
  c('Display', 'positive', 'banner medium', { source: 'criteo', medium: 'banner' }, 'Display', 'ga4/display'),
  c('Display', 'positive', 'cpm from a non-category source', { source: 'adnetwork', medium: 'cpm' }, 'Display', 'ga4/display'),
  c('Display', 'near-miss', '"displays" is not a display medium', { source: 'adnetwork', medium: 'displays' }, 'Unassigned', 'unassigned'),

  c('Paid Other', 'positive', 'cpa from an unknown source', { source: 'newsletter-partner', medium: 'cpa' }, 'Paid Other', 'ga4/paid-other'),
  c('Paid Other', 'positive', 'paid from a native network', { source: 'taboola', medium: 'paid' }, 'Paid Other', 'ga4/paid-other'),
  c('Paid Other', 'near-miss', 'native medium is not paid', { source: 'taboola', medium: 'native' }, 'Unassigned', 'unassigned'),

  c('Organic Shopping', 'positive', 'shopping site referral', { source: 'amazon.com', medium: 'referral' }, 'Organic Shopping', 'ga4/organic-shopping'),
  c('Organic Shopping', 'positive', 'shop campaign beats email (GA4 order)', { source: 'newsletter', medium: 'email', campaign: 'Shop the sale' }, 'Organic Shopping', 'ga4/organic-shopping'),
  c('Organic Shopping', 'near-miss', 'workshop campaign by email', { source: 'newsletter', medium: 'email', campaign: 'workshop' }, 'Email', 'ga4/email'),

  c('Organic Social', 'positive', 't.co referral', { source: 't.co', medium: 'referral' }, 'Organic Social', 'ga4/organic-social'),
  c('Organic Social', 'positive', 'm.facebook.com referral', { source: 'm.facebook.com', medium: 'referral' }, 'Organic Social', 'ga4/organic-social'),
  c('Organic Social', 'positive', 'social-media medium', { source: 'partner', medium: 'social-media' }, 'Organic Social', 'ga4/organic-social'),
  c('Organic Social', 'positive', '"social network" medium with a blank', { source: 'partner', medium: 'social network' }, 'Organic Social', 'ga4/organic-social'),
  c('Organic Social', 'near-miss', '"socialmedia" is not in the list', { source: 'partner', medium: 'socialmedia' }, 'Unassigned', 'unassigned'),

  c('Organic Video', 'positive', 'youtube.com referral', { source: 'youtube.com', medium: 'referral' }, 'Organic Video', 'ga4/organic-video'),
  c('Organic Video', 'positive', 'medium containing video', { source: 'partner', medium: 'product-video' }, 'Organic Video', 'ga4/organic-video'),
  c('Organic Video', 'near-miss', '"vid" medium', { source: 'partner', medium: 'vid' }, 'Unassigned', 'unassigned'),

  c('Organic Search', 'positive', 'search engine with referral medium', { source: 'duckduckgo', medium: 'referral' }, 'Organic Search', 'ga4/organic-search'),
  c('Organic Search', 'positive', 'organic medium from any source', { source: 'some-engine', medium: 'organic' }, 'Organic Search', 'ga4/organic-search'),
  c('Organic Search', 'near-miss', 'mail.google.com is not a search engine', { source: 'mail.google.com', medium: 'referral' }, 'Referral', 'ga4/referral'),
  c('Organic Search', 'near-miss', '"organic-ish" medium', { source: 'partner', medium: 'organic-ish' }, 'Unassigned', 'unassigned'),

  c('Referral', 'positive', 'referral from a blog', { source: 'news.example.com', medium: 'referral' }, 'Referral', 'ga4/referral'),
  c('Referral', 'positive', 'app medium', { source: 'partner-app', medium: 'app' }, 'Referral', 'ga4/referral'),
  c('Referral', 'positive', 'link medium', { source: 'partner', medium: 'link' }, 'Referral', 'ga4/referral'),
  c('Referral', 'near-miss', 'misspelt referal', { source: 'partner', medium: 'referal' }, 'Unassigned', 'unassigned'),

  c('Email', 'positive', 'email medium', { source: 'newsletter', medium: 'email' }, 'Email', 'ga4/email'),
  c('Email', 'positive', 'e-mail source', { source: 'e-mail', medium: 'blast' }, 'Email', 'ga4/email'),
  c('Email', 'positive', 'E_Mail medium', { source: 'crm', medium: 'E_Mail' }, 'Email', 'ga4/email'),
  c('Email', 'positive', '"e mail" medium', { source: 'crm', medium: 'e mail' }, 'Email', 'ga4/email'),
  c('Email', 'near-miss', '"emails" medium', { source: 'newsletter', medium: 'emails' }, 'Unassigned', 'unassigned'),

  c('Affiliates', 'positive', 'affiliate medium', { source: 'awin', medium: 'affiliate' }, 'Affiliates', 'ga4/affiliates'),
  c('Affiliates', 'near-miss', '"affiliates" medium', { source: 'awin', medium: 'affiliates' }, 'Unassigned', 'unassigned'),

  c('Audio', 'positive', 'audio medium', { source: 'spotify', medium: 'audio' }, 'Audio', 'ga4/audio'),
  c('Audio', 'near-miss', '"audio-ads" medium', { source: 'spotify', medium: 'audio-ads' }, 'Unassigned', 'unassigned'),

  c('SMS', 'positive', 'sms source', { source: 'sms', medium: 'text' }, 'SMS', 'ga4/sms'),
  c('SMS', 'positive', 'sms medium', { source: 'attentive', medium: 'SMS' }, 'SMS', 'ga4/sms'),
  c('SMS', 'near-miss', '"sms-blast" medium', { source: 'attentive', medium: 'sms-blast' }, 'Unassigned', 'unassigned'),

  c('Mobile Push Notifications', 'positive', 'medium ending in push', { source: 'braze', medium: 'web-push' }, 'Mobile Push Notifications', 'ga4/mobile-push-notifications'),
  c('Mobile Push Notifications', 'positive', 'medium containing mobile', { source: 'braze', medium: 'mobile_app' }, 'Mobile Push Notifications', 'ga4/mobile-push-notifications'),
  c('Mobile Push Notifications', 'positive', 'medium containing notification', { source: 'onesignal', medium: 'notification' }, 'Mobile Push Notifications', 'ga4/mobile-push-notifications'),
  c('Mobile Push Notifications', 'positive', 'firebase source', { source: 'firebase', medium: 'inapp' }, 'Mobile Push Notifications', 'ga4/mobile-push-notifications'),
  c('Mobile Push Notifications', 'near-miss', '"pushed" medium', { source: 'braze', medium: 'pushed' }, 'Unassigned', 'unassigned'),

  c('Unassigned', 'positive', 'unknown source and medium', { source: 'foo', medium: 'bar' }, 'Unassigned', 'unassigned'),
  c('Unassigned', 'positive', 'source without medium', { source: 'newsletter' }, 'Unassigned', 'unassigned'),
  c('Unassigned', 'near-miss', 'medium without source still counts', { medium: 'email' }, 'Email', 'ga4/email'),
];
