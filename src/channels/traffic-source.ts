import {
  DEFAULT_SOURCE_CATEGORIES,
  lookupSourceCategory,
  normaliseValue,
  siteNameOf,
  type SourceCategoryLists,
} from './source-categories.ts';

/**
 * Source / medium / campaign of a visit, derived the way GA4 does when the caller has only a
 * landing page URL and a referrer: manual tags (utm) first, then ad-click identifiers
 * (auto-tagging), then the referrer, and `(direct) / (none)` when there is nothing at all.
 */

/** What the classifier is told about one visit. Every field is optional. */
export interface ChannelInput {
  /** utm_source (or the equivalent already parsed by the caller). */
  readonly source?: string | null;
  /** utm_medium. */
  readonly medium?: string | null;
  /** utm_campaign (the campaign name). */
  readonly campaign?: string | null;
  /** The document referrer (a URL, or a bare host). */
  readonly referrer?: string | null;
  /** A channel stated by the event itself (`properties.channel`), see `explicit-channel.ts`. */
  readonly explicitChannel?: string | null;
  /** The landing page URL (absolute or relative); its utm_* and click ids are read. */
  readonly pageUrl?: string | null;
}

/** How the source and medium were obtained, for explanations. */
export type TrafficSourceOrigin = 'utm' | 'click-id' | 'referrer' | 'direct';

/** A visit's derived source / medium / campaign and where they came from. */
export interface TrafficSource {
  /** Lower-case source, e.g. `google`, `l.facebook.com`, `(direct)`. */
  readonly source: string;
  /** Lower-case medium, e.g. `cpc`, `organic`, `referral`, `(none)`, `(not set)`. */
  readonly medium: string;
  /** Campaign name, trimmed, case kept; null when none was given. */
  readonly campaign: string | null;
  readonly origin: TrafficSourceOrigin;
}

/** Per-deployment settings for the derivation (not per-visit data). */
export interface TrafficSourceOptions {
  /**
   * The site's own hosts (`example.com`; subdomains included, `www.` ignored). A referrer from
   * one of them is a page of the same site, not a traffic source, and is ignored.
   */
  readonly siteHosts?: readonly string[];
  readonly sourceCategories?: SourceCategoryLists;
}

/** Ad-click identifiers read from the landing page when it carries no utm tags. */
export interface ClickIdMapping {
  readonly param: string;
  readonly source: string;
  readonly medium: string;
}

/**
 * Click identifiers, in precedence order. gclid/gbraid/wbraid (Google Ads) and msclkid
 * (Microsoft Ads) only appear on ad clicks, so they mean cpc. ttclid is appended by TikTok to ad
 * clicks only, so it is cpc as well (Paid Social). dclid is Campaign Manager / DV360, GA's
 * historical `dfa / cpm`, which lands in Display. fbclid is added by Facebook to organic links
 * as well as ads, so, as in GA4, it only says "facebook" and is classed as social, not paid.
 */
export const CLICK_IDS: readonly ClickIdMapping[] = [
  { param: 'gclid', source: 'google', medium: 'cpc' },
  { param: 'gbraid', source: 'google', medium: 'cpc' },
  { param: 'wbraid', source: 'google', medium: 'cpc' },
  { param: 'msclkid', source: 'bing', medium: 'cpc' },
  { param: 'dclid', source: 'dfa', medium: 'cpm' },
  { param: 'ttclid', source: 'tiktok', medium: 'cpc' },
  { param: 'fbclid', source: 'facebook', medium: 'social' },
];

const NOT_SET = '(not set)';

/** Query parameters of a page URL with lower-cased names (first non-blank value wins), or an empty map. */
function queryParams(pageUrl: string | null | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!pageUrl) return out;
  let url: URL;
  try {
    url = new URL(pageUrl, 'https://page.invalid/');
  } catch {
    return out;
  }
  for (const [key, value] of url.searchParams) {
    const name = key.toLowerCase();
    if (!out.has(name) && value.trim() !== '') out.set(name, value);
  }
  return out;
}

/** A host without its trailing dot and `www.` prefix: `WWW.Example.com.` → `example.com`. */
export function normaliseHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '').replace(/^www\d*\./, '');
}

/**
 * The host of a referrer (`https://www.google.com/search?q=x` → `google.com`), also for a bare
 * host (`google.com`) or an app referrer (`android-app://com.google.android.gm`); null when
 * there is none.
 */
export function referrerHost(referrer: string | null | undefined): string | null {
  const value = referrer?.trim();
  if (!value) return null;
  try {
    const host = normaliseHost(new URL(value.includes('://') ? value : `https://${value}`).hostname);
    return host === '' ? null : host;
  } catch {
    return null; // not a URL: no usable referrer
  }
}

/** Whether a host is one of the site's own hosts or a subdomain of one. */
export function isOwnHost(host: string, siteHosts: readonly string[]): boolean {
  return siteHosts.some((site) => {
    const own = referrerHost(site);
    return own !== null && (host === own || host.endsWith(`.${own}`));
  });
}

/**
 * Derives source, medium and campaign for one visit.
 *
 * 1. Manual tags: `source`/`medium` given, or utm_source/utm_medium on the page URL. A missing
 *    half is `(not set)`, as in GA4.
 * 2. Click ids (`CLICK_IDS`) on the page URL, when there are no manual tags. GA4 by default lets
 *    gclid override utm tags; we let explicit utm tags win, because they are what the marketer
 *    wrote and the other click ids carry no campaign data of their own.
 * 3. The referrer, unless it is the site itself: a search engine becomes `<engine> / organic`
 *    (`google`, `bing` …), anything else `<host> / referral` (social sites are still recognised
 *    by their host and end up in Organic Social).
 * 4. Nothing: `(direct) / (none)`.
 */
export function deriveTrafficSource(input: ChannelInput, options: TrafficSourceOptions = {}): TrafficSource {
  const params = queryParams(input.pageUrl);
  const campaign = input.campaign?.trim() || params.get('utm_campaign')?.trim() || null;

  const source = normaliseValue(input.source) ?? normaliseValue(params.get('utm_source'));
  const medium = normaliseValue(input.medium) ?? normaliseValue(params.get('utm_medium'));
  if (source !== null || medium !== null) {
    return { source: source ?? NOT_SET, medium: medium ?? NOT_SET, campaign, origin: 'utm' };
  }

  for (const click of CLICK_IDS) {
    if (params.has(click.param)) return { source: click.source, medium: click.medium, campaign, origin: 'click-id' };
  }

  const host = referrerHost(input.referrer);
  if (host !== null && !isOwnHost(host, options.siteHosts ?? [])) {
    const lists = options.sourceCategories ?? DEFAULT_SOURCE_CATEGORIES;
    if (lookupSourceCategory(host, lists) === 'search') {
      return { source: siteNameOf(host) ?? host, medium: 'organic', campaign, origin: 'referrer' };
    }
    return { source: host, medium: 'referral', campaign, origin: 'referrer' };
  }

  return { source: '(direct)', medium: '(none)', campaign, origin: 'direct' };
}
