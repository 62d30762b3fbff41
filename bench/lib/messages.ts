/**
 * Realistic Segment messages for load tests: page views with campaign context, product events
 * with properties, identifies with traits, the way analytics.js and server SDKs send them.
 */
const EVENTS = ['Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed', 'Product List Viewed'];
const SOURCES: Array<[string, string, string]> = [
  ['google', 'cpc', 'brand_search'],
  ['facebook', 'paid_social', 'spring_sale'],
  ['newsletter', 'email', 'weekly_digest'],
  ['bing', 'cpc', 'nonbrand_shoes'],
];

export function makeMessage(i: number, messageId: string, now: number): Record<string, unknown> {
  const anon = `anon-${(i * 7919) % 50_000}`;
  const [source, medium, name] = SOURCES[i % SOURCES.length];
  const context = {
    library: { name: 'analytics.js', version: 'npm:next-1.84.3' },
    page: {
      path: '/products/sku-' + (i % 500),
      referrer: i % 3 === 0 ? 'https://www.google.com/' : '',
      title: 'Trail running shoe',
      url: `https://shop.example.com/products/sku-${i % 500}?utm_source=${source}&utm_medium=${medium}&utm_campaign=${name}`,
    },
    campaign: { source, medium, name },
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
    locale: 'en-US',
    ip: `203.0.113.${i % 250}`,
    timezone: 'Europe/Berlin',
  };
  const base = { messageId, anonymousId: anon, timestamp: new Date(now - (i % 1000)).toISOString(), context, integrations: {} };
  if (i % 4 === 0) {
    return { ...base, type: 'page', name: 'Product', properties: { path: context.page.path, url: context.page.url, title: context.page.title } };
  }
  if (i % 20 === 3) {
    return { ...base, type: 'identify', userId: `user-${i % 20_000}`, traits: { email: `user${i % 20_000}@example.com`, plan: 'pro', firstName: 'Jane' } };
  }
  const event = EVENTS[i % EVENTS.length];
  const price = 20 + (i % 80);
  return {
    ...base,
    type: 'track',
    event,
    userId: i % 2 === 0 ? `user-${i % 20_000}` : undefined,
    properties: {
      product_id: `sku-${i % 500}`,
      category: ['shoes', 'apparel', 'outdoor'][i % 3],
      price,
      quantity: 1 + (i % 3),
      currency: 'USD',
      ...(event === 'Order Completed' ? { order_id: `o-${i}`, revenue: price * 2, products: [{ product_id: `sku-${i % 500}`, price, quantity: 2 }] } : {}),
    },
  };
}
