/**
 * The shop's pages and app screens, and the ecommerce payloads that go with them (Segment
 * ecommerce spec v2: Product List Viewed, Product Viewed, Product Added, Checkout Started,
 * Order Completed). One `PageRef` renders as a web page view or an app screen depending on the
 * device, so the two surfaces cannot drift apart.
 */
import { CAMPAIGNS, PRODUCTS, PRODUCTS_BY_CATEGORY, type CampaignDef } from './catalog.ts';
import type { CampaignContext, JsonObject, ProductLine } from './messages.ts';

export type PageKind =
  | 'home' | 'category' | 'sale' | 'product' | 'cart' | 'checkout' | 'confirmation' | 'signup' | 'login' | 'blog';

/** `arg` is the category name for 'category', the product index for 'product', the post slug for 'blog'. */
export type PageRef = { kind: PageKind; arg: string | number };

export const BLOG_POSTS = ['how-to-choose-running-shoes', 'packing-list-weekend-hike', 'spring-capsule-wardrobe'] as const;

type PageInfo = { path: string; title: string; name: string; screen: string };

const SHOP = 'Tributary Shop';
const capitalise = (s: string): string => s[0].toUpperCase() + s.slice(1);

export function describePage(ref: PageRef): PageInfo {
  switch (ref.kind) {
    case 'home': return { path: '/', title: `${SHOP} — Shoes, Apparel & Gear`, name: 'Home', screen: 'Home' };
    case 'category': return { path: `/c/${ref.arg}`, title: `${capitalise(String(ref.arg))} | ${SHOP}`, name: 'Category', screen: 'Product List' };
    case 'sale': return { path: '/sale', title: `Sale | ${SHOP}`, name: 'Sale', screen: 'Product List' };
    case 'product': {
      const p = PRODUCTS[Number(ref.arg)];
      return { path: `/p/${p.slug}`, title: `${p.name} | ${SHOP}`, name: 'Product', screen: 'Product Detail' };
    }
    case 'cart': return { path: '/cart', title: `Cart | ${SHOP}`, name: 'Cart', screen: 'Cart' };
    case 'checkout': return { path: '/checkout', title: `Checkout | ${SHOP}`, name: 'Checkout', screen: 'Checkout' };
    case 'confirmation': return { path: '/checkout/confirmation', title: `Thank you | ${SHOP}`, name: 'Order Confirmation', screen: 'Order Confirmation' };
    case 'signup': return { path: '/signup', title: `Create account | ${SHOP}`, name: 'Sign Up', screen: 'Sign Up' };
    case 'login': return { path: '/login', title: `Sign in | ${SHOP}`, name: 'Login', screen: 'Login' };
    case 'blog': return { path: `/blog/${ref.arg}`, title: `Journal | ${SHOP}`, name: 'Blog Post', screen: 'Journal' };
  }
}

/** Maps a campaign's landing path ('/', '/c/shoes', '/sale', '/cart', 'Home') to a page. */
export function landingPage(campaign: CampaignDef): PageRef {
  const path = campaign.landingPath;
  if (path.startsWith('/c/')) return { kind: 'category', arg: path.slice(3) };
  if (path === '/sale') return { kind: 'sale', arg: 0 };
  if (path === '/cart') return { kind: 'cart', arg: 0 };
  return { kind: 'home', arg: 0 };
}

export const CAMPAIGN_LANDINGS: readonly PageRef[] = CAMPAIGNS.map(landingPage);

export function campaignContext(campaign: CampaignDef): CampaignContext {
  const ctx: CampaignContext = { source: campaign.source, medium: campaign.medium, name: campaign.name };
  if (campaign.term !== undefined) ctx.term = campaign.term;
  if (campaign.content !== undefined) ctx.content = campaign.content;
  return ctx;
}

/** Frozen `context.campaign` per campaign (CAMPAIGNS order), shared by all messages that carry it. */
export const CAMPAIGN_CONTEXTS: readonly CampaignContext[] = CAMPAIGNS.map((c) => Object.freeze(campaignContext(c)));

/** The utm query string analytics.js would parse into `context.campaign`. */
export function utmSearch(campaign: CampaignDef): string {
  let s = `?utm_source=${campaign.source}&utm_medium=${campaign.medium}&utm_campaign=${campaign.name}`;
  if (campaign.term !== undefined) s += `&utm_term=${encodeURIComponent(campaign.term)}`;
  if (campaign.content !== undefined) s += `&utm_content=${campaign.content}`;
  return s;
}

/** Products shown first on a list page: the category's first four (or four sale picks). */
export function listProducts(ref: PageRef): number[] {
  if (ref.kind === 'category') return PRODUCTS_BY_CATEGORY[String(ref.arg)].slice(0, 4);
  return [3, 17, 29, 41];
}

export function productSummary(index: number, position?: number): JsonObject {
  const p = PRODUCTS[index];
  const out: JsonObject = { product_id: p.id, sku: p.sku, name: p.name, category: p.category, price: p.price };
  if (position !== undefined) out.position = position;
  return out;
}

export function productListProps(ref: PageRef): JsonObject {
  const list = ref.kind === 'category' ? String(ref.arg) : 'sale';
  return { list_id: list, category: list, products: listProducts(ref).map((i, k) => productSummary(i, k + 1)) };
}

export function productViewedProps(index: number): JsonObject {
  return { ...productSummary(index), currency: 'USD' };
}

export function productLine(index: number, quantity: number): ProductLine {
  const p = PRODUCTS[index];
  return { product_id: p.id, sku: p.sku, name: p.name, category: p.category, price: p.price, quantity };
}

/** Order value in USD, rounded to cents (prices end in .99, so sums need rounding). */
export function orderRevenue(lines: readonly ProductLine[]): number {
  let cents = 0;
  for (const line of lines) cents += Math.round(line.price * 100) * line.quantity;
  return cents / 100;
}
