/**
 * What the demo shop sells and how people reach it: channels, campaigns (utm tags, landing pages,
 * ad-platform unit costs) and the product catalog. The catalog is the same for every seed so
 * screenshots and fixtures stay comparable across worlds; only behaviour depends on the seed.
 */
import { Rng, STREAM } from './prng.ts';

/**
 * Channel ids. `paid_search_brand` and `paid_search_nonbrand` share sources and mediums (google /
 * bing, cpc) and differ only by campaign name, as in real accounts; a GA4-style grouping sees
 * both as "Paid Search". The order is the index used in the simulation's typed arrays.
 */
export const CHANNEL_IDS = [
  'paid_search_brand',
  'paid_search_nonbrand',
  'paid_social',
  'display',
  'online_video',
  'affiliate',
  'email',
  'sms',
  'push',
  'organic_search',
  'referral',
  'direct',
  'offline_store',
] as const;
export type ChannelId = (typeof CHANNEL_IDS)[number];

/** Channel indexes for the hot loop (must match CHANNEL_IDS order). */
export const CH = {
  brand: 0,
  nonbrand: 1,
  social: 2,
  display: 3,
  video: 4,
  affiliate: 5,
  email: 6,
  sms: 7,
  push: 8,
  organic: 9,
  referral: 10,
  direct: 11,
  store: 12,
} as const;
export const CHANNEL_COUNT = CHANNEL_IDS.length;

/** paid: bought media with a daily budget; owned: sends to our own lists; organic: free; offline: stores. */
export type ChannelKind = 'paid' | 'owned' | 'organic' | 'offline';

export type ChannelDef = { id: ChannelId; group: string; kind: ChannelKind };

/** `group` is the GA4 default channel group a classifier should put the channel's touches in. */
export const CHANNELS: readonly ChannelDef[] = [
  { id: 'paid_search_brand', group: 'Paid Search', kind: 'paid' },
  { id: 'paid_search_nonbrand', group: 'Paid Search', kind: 'paid' },
  { id: 'paid_social', group: 'Paid Social', kind: 'paid' },
  { id: 'display', group: 'Display', kind: 'paid' },
  { id: 'online_video', group: 'Paid Video', kind: 'paid' },
  { id: 'affiliate', group: 'Affiliates', kind: 'paid' },
  { id: 'email', group: 'Email', kind: 'owned' },
  { id: 'sms', group: 'SMS', kind: 'owned' },
  { id: 'push', group: 'Mobile Push Notifications', kind: 'owned' },
  { id: 'organic_search', group: 'Organic Search', kind: 'organic' },
  { id: 'referral', group: 'Referral', kind: 'organic' },
  { id: 'direct', group: 'Direct', kind: 'organic' },
  { id: 'offline_store', group: 'Offline', kind: 'offline' },
];

/**
 * A campaign as tagged on its links. `share` splits the channel's budget (paid) or traffic
 * (owned). `cpm` (USD per 1,000 impressions) and `ctr` are what the ad platform reports in spend
 * rows; they do not drive behaviour (the planted response in truth.ts does).
 */
export type CampaignDef = {
  channel: number;
  source: string;
  medium: string;
  name: string;
  term?: string;
  content?: string;
  landingPath: string;
  share: number;
  cpm: number;
  ctr: number;
};

export const CAMPAIGNS: readonly CampaignDef[] = [
  { channel: CH.brand, source: 'google', medium: 'cpc', name: 'brand_search', term: 'tributary shop', landingPath: '/', share: 0.8, cpm: 25, ctr: 0.12 },
  { channel: CH.brand, source: 'bing', medium: 'cpc', name: 'brand_search', term: 'tributary', landingPath: '/', share: 0.2, cpm: 18, ctr: 0.1 },
  { channel: CH.nonbrand, source: 'google', medium: 'cpc', name: 'nonbrand_shoes', term: 'running shoes', landingPath: '/c/shoes', share: 0.5, cpm: 40, ctr: 0.03 },
  { channel: CH.nonbrand, source: 'google', medium: 'cpc', name: 'nonbrand_apparel', term: 'rain jacket', landingPath: '/c/apparel', share: 0.3, cpm: 35, ctr: 0.028 },
  { channel: CH.nonbrand, source: 'bing', medium: 'cpc', name: 'nonbrand_shoes', term: 'trail shoes', landingPath: '/c/shoes', share: 0.2, cpm: 28, ctr: 0.025 },
  { channel: CH.social, source: 'facebook', medium: 'paid_social', name: 'prospecting_lookalike', content: 'carousel_spring', landingPath: '/c/apparel', share: 0.35, cpm: 8, ctr: 0.009 },
  { channel: CH.social, source: 'facebook', medium: 'paid_social', name: 'retargeting_dpa', content: 'dpa_catalog', landingPath: '/sale', share: 0.2, cpm: 11, ctr: 0.014 },
  { channel: CH.social, source: 'instagram', medium: 'paid_social', name: 'reels_spring', content: 'reel_15s', landingPath: '/c/shoes', share: 0.25, cpm: 9, ctr: 0.007 },
  { channel: CH.social, source: 'tiktok', medium: 'cpc', name: 'tiktok_creators', content: 'ugc_unboxing', landingPath: '/c/bags', share: 0.2, cpm: 6, ctr: 0.006 },
  { channel: CH.display, source: 'gdn', medium: 'display', name: 'prospecting_display', content: 'banner_300x250', landingPath: '/c/outdoor', share: 0.6, cpm: 3, ctr: 0.0015 },
  { channel: CH.display, source: 'gdn', medium: 'cpm', name: 'retargeting_display', content: 'banner_728x90', landingPath: '/sale', share: 0.4, cpm: 4.5, ctr: 0.0025 },
  { channel: CH.video, source: 'youtube', medium: 'cpv', name: 'brand_video', content: 'hero_30s', landingPath: '/', share: 0.6, cpm: 12, ctr: 0.003 },
  { channel: CH.video, source: 'youtube', medium: 'video', name: 'product_demo', content: 'demo_15s', landingPath: '/c/shoes', share: 0.4, cpm: 10, ctr: 0.004 },
  { channel: CH.affiliate, source: 'rakuten', medium: 'affiliate', name: 'coupon_partners', landingPath: '/sale', share: 0.6, cpm: 5, ctr: 0.006 },
  { channel: CH.affiliate, source: 'awin', medium: 'affiliate', name: 'content_partners', landingPath: '/c/outdoor', share: 0.4, cpm: 5, ctr: 0.005 },
  { channel: CH.email, source: 'newsletter', medium: 'email', name: 'weekly_newsletter', content: 'hero_banner', landingPath: '/sale', share: 1, cpm: 0, ctr: 0 },
  { channel: CH.email, source: 'klaviyo', medium: 'email', name: 'cart_abandonment', landingPath: '/cart', share: 0, cpm: 0, ctr: 0 },
  { channel: CH.sms, source: 'attentive', medium: 'sms', name: 'flash_sale', landingPath: '/sale', share: 1, cpm: 0, ctr: 0 },
  { channel: CH.push, source: 'firebase', medium: 'push', name: 'app_reengagement', landingPath: 'Home', share: 1, cpm: 0, ctr: 0 },
];

/** Campaign indexes per channel, in CAMPAIGNS order (empty for organic and offline channels). */
export const CAMPAIGNS_BY_CHANNEL: readonly (readonly number[])[] = CHANNEL_IDS.map((_, c) =>
  CAMPAIGNS.flatMap((campaign, i) => (campaign.channel === c ? [i] : [])),
);

export const CAMPAIGN_NEWSLETTER = CAMPAIGNS.findIndex((c) => c.name === 'weekly_newsletter');
export const CAMPAIGN_CART_ABANDONMENT = CAMPAIGNS.findIndex((c) => c.name === 'cart_abandonment');

export type Product = {
  id: string;
  sku: string;
  name: string;
  slug: string;
  category: string;
  price: number;
  /** Relative popularity (lognormal) used when people browse and buy. */
  weight: number;
};

export const CATEGORIES = ['shoes', 'apparel', 'accessories', 'bags', 'outdoor'] as const;

const CATEGORY_NOUNS: Record<(typeof CATEGORIES)[number], readonly string[]> = {
  shoes: ['Runner', 'Sneaker', 'Loafer', 'Hiker', 'Slip-On', 'Boot'],
  apparel: ['Tee', 'Hoodie', 'Jacket', 'Chino', 'Sweater', 'Shorts'],
  accessories: ['Cap', 'Beanie', 'Socks 3-Pack', 'Belt', 'Sunglasses', 'Watch Strap'],
  bags: ['Backpack', 'Tote', 'Duffel', 'Sling', 'Messenger', 'Wallet'],
  outdoor: ['Rain Shell', 'Fleece', 'Trekking Poles', 'Water Bottle', 'Headlamp', 'Tent'],
};
const CATEGORY_BASE_PRICE: Record<(typeof CATEGORIES)[number], number> = {
  shoes: 95,
  apparel: 48,
  accessories: 24,
  bags: 70,
  outdoor: 62,
};
const ADJECTIVES = ['Classic', 'Trail', 'Urban', 'Everyday', 'Summit', 'Coastal'] as const;

/** 60 products (12 per category) with lognormal prices around each category's base, ending in .99. */
function buildProducts(): Product[] {
  const rng = new Rng(0, 0, STREAM.catalog);
  const products: Product[] = [];
  for (const category of CATEGORIES) {
    for (let i = 0; i < 12; i++) {
      const name = `${ADJECTIVES[i % ADJECTIVES.length]} ${CATEGORY_NOUNS[category][i % 6]}${i >= 6 ? ' II' : ''}`;
      const n = products.length + 1;
      const price = Math.max(9, Math.round(rng.lognormal(CATEGORY_BASE_PRICE[category], 0.35))) - 0.01;
      products.push({
        id: `prod_${String(n).padStart(3, '0')}`,
        sku: `${category.slice(0, 3).toUpperCase()}-${String(1000 + n)}`,
        name,
        slug: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
        category,
        price,
        weight: rng.lognormal(1, 0.8),
      });
    }
  }
  return products;
}

export const PRODUCTS: readonly Product[] = buildProducts();
export const PRODUCT_WEIGHTS: readonly number[] = PRODUCTS.map((p) => p.weight);
export const PRODUCTS_BY_CATEGORY: Readonly<Record<string, readonly number[]>> = Object.fromEntries(
  CATEGORIES.map((cat) => [cat, PRODUCTS.flatMap((p, i) => (p.category === cat ? [i] : []))]),
);
