/**
 * GA4's "source categories": which traffic sources are search engines, social networks, video
 * sites and shopping sites. Google publishes its own list (a spreadsheet of ~800 sources linked
 * from the "[GA4] Default channel group" help page); this is a shorter, hand-kept list of the
 * sources that matter in practice, written as configuration, not code. A source a list does not
 * know falls to the medium-based rules (Referral, Email, …) or to Unassigned, exactly as an
 * unknown source does in GA4.
 *
 * Entries are lower-case and come in two kinds:
 * - a site name without a dot (`google`, `facebook`): matches that exact utm_source and any host
 *   whose site name it is (`google.com`, `www.google.co.uk`, `m.facebook.com`, see `siteNameOf`);
 * - a host with a dot (`t.co`, `lnkd.in`, `cn.bing.com`): matches that host exactly, also after
 *   the usual mobile/www prefixes are removed. Use it for short links and for subdomains that
 *   are the only part of a site that belongs to the category (`shopping.google.com`).
 *
 * The lists must be disjoint (a test checks it); the first category in `SOURCE_CATEGORY_ORDER`
 * would win otherwise.
 */

/** The four categories GA4's rules refer to, in lookup order. */
export const SOURCE_CATEGORY_ORDER = ['search', 'social', 'video', 'shopping'] as const;
export type SourceCategory = (typeof SOURCE_CATEGORY_ORDER)[number];

export type SourceCategoryLists = Readonly<Record<SourceCategory, readonly string[]>>;

/** Search engines: a source here with a paid medium is Paid Search, otherwise Organic Search. */
const SEARCH: readonly string[] = [
  'google', 'bing', 'cn.bing.com', 'yahoo', 'baidu', 'yandex', 'ya.ru', 'duckduckgo', 'ecosia',
  'ask', 'aol', 'msn', 'naver', 'daum', 'nate', 'seznam', 'qwant', 'startpage', 'search.brave.com',
  'sogou', 'so.com', '360.cn', 'haosou', 'coccoc', 'mojeek', 'kagi', 'goo', 'biglobe', 'rambler',
  'go.mail.ru', 'lycos', 'dogpile', 'excite', 'webcrawler', 'petalsearch', 'presearch',
  'swisscows', 'metager', 'you.com',
];

/** Social networks and messengers: paid medium → Paid Social, otherwise Organic Social. */
const SOCIAL: readonly string[] = [
  'facebook', 'fb', 'instagram', 'ig', 'twitter', 'x.com', 't.co', 'linkedin', 'lnkd.in',
  'pinterest', 'pin.it', 'reddit', 'tiktok', 'snapchat', 'tumblr', 'threads', 'bsky', 'mastodon',
  'quora', 'discord', 'telegram', 't.me', 'whatsapp', 'wa.me', 'messenger', 'wechat', 'weibo',
  'vk', 'ok.ru', 'line.me', 'xing', 'meetup', 'medium.com', 'yelp', 'nextdoor',
  'news.ycombinator.com', 'producthunt', 'slack', 'douban', 'qzone', 'myspace', 'flickr',
];

/** Video platforms: paid medium → Paid Video, otherwise Organic Video. */
const VIDEO: readonly string[] = [
  'youtube', 'youtu.be', 'vimeo', 'twitch', 'dailymotion', 'wistia', 'netflix', 'hulu',
  'bilibili', 'youku', 'iqiyi', 'rutube', 'rumble', 'vevo', 'disneyplus', 'primevideo',
  'crunchyroll', 'veoh', 'loom', 'vidyard', 'brightcove', 'odysee', 'nicovideo',
];

/** Shopping sites and marketplaces: paid medium → Paid Shopping, otherwise Organic Shopping. */
const SHOPPING: readonly string[] = [
  'amazon', 'ebay', 'etsy', 'walmart', 'shopify', 'shop.app', 'target', 'alibaba', 'aliexpress',
  'taobao', 'tmall', 'jd', 'rakuten', 'mercadolibre', 'mercadolivre', 'zalando', 'otto',
  'allegro', 'bol', 'wayfair', 'bestbuy', 'flipkart', 'shopee', 'lazada', 'temu', 'shein', 'wish',
  'newegg', 'overstock', 'shopping.google.com', 'igshopping', 'idealo', 'pricerunner', 'kelkoo',
  'shopzilla', 'bizrate', 'cdiscount', 'asos', 'mercari', 'poshmark', 'depop', 'vinted',
];

/** The built-in lists. Pass your own `SourceCategoryLists` to the classifier to change them. */
export const DEFAULT_SOURCE_CATEGORIES: SourceCategoryLists = {
  search: SEARCH,
  social: SOCIAL,
  video: VIDEO,
  shopping: SHOPPING,
};

/**
 * Leading host labels that say nothing about the site (`www.`, mobile `m.`, Facebook's link
 * shims `l.`/`lm.`, `search.` of search.yahoo.com …). Removed, repeatedly, before the lookup.
 * Shared verbatim with the SQL form, which runs it through DuckDB's RE2: keep it RE2-compatible.
 */
export const NOISE_PREFIX_PATTERN = '^(?:(?:www\\d*|m|l|lm|mobile|mbasic|touch|web|amp|search|old|out)\\.)+';

/**
 * The site name of a host (after noise prefixes are removed): the label right before the
 * top-level domain, skipping a generic second level (`google.co.uk`, `yandex.com.tr` → `google`,
 * `yandex`). Anchored at the start so that other subdomains do not count: `mail.google.com` has
 * no site name and is not a search engine. Shared verbatim with the SQL form.
 */
export const SITE_NAME_PATTERN = '^([a-z0-9-]+)\\.(?:(?:co|com|net|org|gov|edu|ac|ne|or|gob|go)\\.)?[a-z]{2,}$';

/** Just the `www.` prefix, so that a listed host which itself starts with a noise label (`search.brave.com`) is still found as `www.search.brave.com`. */
export const WWW_PREFIX_PATTERN = '^www\\d*\\.';

const WWW_PREFIX = new RegExp(WWW_PREFIX_PATTERN);
const NOISE_PREFIX = new RegExp(NOISE_PREFIX_PATTERN);
const SITE_NAME = new RegExp(SITE_NAME_PATTERN);

/** Lower-cased, trimmed; `null` for absent or blank values. */
export function normaliseValue(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const out = value.trim().toLowerCase();
  return out === '' ? null : out;
}

/** A host without its noise prefixes: `l.facebook.com` → `facebook.com`. */
export function stripNoisePrefixes(host: string): string {
  return host.replace(NOISE_PREFIX, '');
}

/**
 * The site name of a host or source (`www.google.co.uk` → `google`), or null when the value is
 * not a plain `name.tld` / `name.sld.tld` host once noise prefixes are removed.
 */
export function siteNameOf(host: string): string | null {
  const match = SITE_NAME.exec(stripNoisePrefixes(host.toLowerCase()));
  return match ? match[1] : null;
}

const indexCache = new WeakMap<SourceCategoryLists, Map<string, SourceCategory>>();

function indexOf(lists: SourceCategoryLists): Map<string, SourceCategory> {
  let index = indexCache.get(lists);
  if (index) return index;
  index = new Map();
  for (const category of SOURCE_CATEGORY_ORDER) {
    for (const entry of lists[category]) {
      const key = entry.trim().toLowerCase();
      if (key !== '' && !index.has(key)) index.set(key, category);
    }
  }
  indexCache.set(lists, index);
  return index;
}

/**
 * The category of a traffic source (a utm_source value or a referrer host), or null.
 *
 * Looks up, in order: the value itself (`t.co`, `google`), the value without `www.`, the value
 * without any noise prefixes (`mobile.x.com` → `x.com`), and its site name (`m.facebook.com` →
 * `facebook`). The first hit wins. Case and surrounding blanks are ignored; blank or absent sources have no category.
 * `compileSourceCategorySql` computes the same answer in the engine.
 */
export function lookupSourceCategory(
  source: string | null | undefined,
  lists: SourceCategoryLists = DEFAULT_SOURCE_CATEGORIES,
): SourceCategory | null {
  const value = normaliseValue(source);
  if (value === null) return null;
  const index = indexOf(lists);
  const core = stripNoisePrefixes(value);
  const name = SITE_NAME.exec(core)?.[1] ?? '';
  for (const candidate of [value, value.replace(WWW_PREFIX, ''), core, name]) {
    const category = index.get(candidate);
    if (category) return category;
  }
  return null;
}
