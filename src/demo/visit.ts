/**
 * One visit (a web session or an app session) expanded into messages: the arrival signal from the
 * channel (ad click, e-mail click, push open), the landing page, browsing, sign-up or login, cart
 * and — when the day's hazard drew an order — checkout and `Order Completed`.
 *
 * A visit lasts at most ~50 minutes by construction (≤ 10 browsing pages of ≤ 2.5 min each plus a
 * bounded checkout), which the day scheduler relies on to keep visits ≥ 30 minutes apart, i.e.
 * one visit = one session for any 30-minute-inactivity sessioniser.
 */
import { CAMPAIGNS, CHANNELS, CH, PRODUCTS, PRODUCTS_BY_CATEGORY, PRODUCT_WEIGHTS, CATEGORIES } from './catalog.ts';
import type { CampaignContext, JsonObject, ProductLine } from './messages.ts';
import {
  CAMPAIGN_CONTEXTS, describePage, orderRevenue, productLine, productListProps, productViewedProps, utmSearch,
  type PageRef,
} from './pages.ts';
import type { PersonSim } from './state.ts';

export type VisitPlan = {
  /** Index into person.devices. */
  device: number;
  channel: number;
  /** Index into CAMPAIGNS, or −1 for untagged visits. */
  campaign: number;
  /** External referrer of the landing page ('' for none). */
  referrer: string;
  landing: PageRef;
  /** View-through click: emit the `Ad Impression` right before the `Ad Clicked`. */
  impressionFirst: boolean;
  /** Whether this visit ends in an order, and the hazard component that caused it (−1 baseline). */
  order: boolean;
  cause: number;
};

const MAX_BROWSE_PAGES = 10;

/** Dwell on a page: lognormal around 40 s, capped at 150 s (keeps visits short, see module doc). */
function dwell(sim: PersonSim): void {
  sim.timeline.advance(Math.min(150_000, sim.rng.lognormal(40_000, 0.7)));
}

/** A short pause between a view and the event fired on it. */
function beat(sim: PersonSim): void {
  sim.timeline.advance(sim.rng.uniform(400, 3000));
}

/** Shows a page (web) or screen (app) and the ecommerce event that belongs to it. */
function view(sim: PersonSim, ref: PageRef, externalReferrer = '', search = '', onPage?: () => void): void {
  const tl = sim.timeline;
  const info = describePage(ref);
  sim.page = ref;
  if (tl.currentDevice.app) {
    tl.screen(info.screen, (): JsonObject => (ref.kind === 'product' ? { product_id: PRODUCTS[Number(ref.arg)].id } : {}));
  } else {
    const referrer = tl.currentPage?.url ?? externalReferrer;
    tl.navigate(info.path, info.title, referrer, search);
    tl.page(info.name, () => ({}));
  }
  if (ref.kind === 'category' || ref.kind === 'sale') {
    beat(sim);
    tl.track('Product List Viewed', () => productListProps(ref));
  } else if (ref.kind === 'product') {
    beat(sim);
    tl.track('Product Viewed', () => productViewedProps(Number(ref.arg)));
  }
  if (onPage) {
    beat(sim);
    onPage();
  }
  if (tl.currentDevice.app) tl.clearCampaign();
  dwell(sim);
}

function pickProduct(sim: PersonSim, category?: string): number {
  if (category === undefined) return sim.rng.weighted(PRODUCT_WEIGHTS);
  const pool = PRODUCTS_BY_CATEGORY[category];
  return pool[sim.rng.weighted(pool.map((i) => PRODUCT_WEIGHTS[i]))];
}

/** Where a browsing person goes next: mostly deeper into products, sometimes back to lists. */
function nextPage(sim: PersonSim, current: PageRef): PageRef {
  const rng = sim.rng;
  if (current.kind === 'category') return rng.chance(0.75) ? { kind: 'product', arg: pickProduct(sim, String(current.arg)) } : { kind: 'category', arg: rng.pick(CATEGORIES) };
  if (current.kind === 'product') {
    const category = PRODUCTS[Number(current.arg)].category;
    const r = rng.next();
    if (r < 0.5) return { kind: 'product', arg: pickProduct(sim, category) };
    if (r < 0.85) return { kind: 'category', arg: rng.pick(CATEGORIES) };
    return { kind: 'product', arg: pickProduct(sim) };
  }
  return rng.chance(0.6) ? { kind: 'category', arg: rng.pick(CATEGORIES) } : { kind: 'product', arg: pickProduct(sim) };
}

function channelProps(channel: number, campaign: number): JsonObject {
  const def = CAMPAIGNS[campaign];
  // What an ad or messaging platform reports: the channel group name, e.g. "Paid Search".
  const props: JsonObject = { channel: CHANNELS[channel].group, campaign: def.name, source: def.source, medium: def.medium };
  if (def.content !== undefined) props.creative = def.content;
  if (def.term !== undefined) props.keyword = def.term;
  return props;
}

/** The channel's own record of the visit: ad click (with its impression), e-mail/SMS click, push open. */
function emitArrivalSignal(sim: PersonSim, plan: VisitPlan, campaign: CampaignContext | undefined): void {
  if (plan.campaign < 0) return;
  const tl = sim.timeline;
  const c = plan.channel;
  const props = (): JsonObject => channelProps(c, plan.campaign);
  if (c === CH.email || c === CH.sms) {
    tl.serverTrack(c === CH.email ? 'Email Clicked' : 'SMS Clicked', { campaign, userOnly: true }, () => ({ ...props(), link_url: `https://shop.example.com${CAMPAIGNS[plan.campaign].landingPath}` }));
  } else if (c === CH.push) {
    tl.track('Push Opened', props);
  } else {
    if (plan.impressionFirst && tl.currentDevice.adMatched) {
      tl.serverTrack('Ad Impression', { campaign }, props);
      tl.advance(sim.rng.uniform(3000, 40_000));
    }
    tl.serverTrack('Ad Clicked', { campaign }, props);
  }
  tl.advance(sim.rng.uniform(800, 4000));
}

function traitsOf(sim: PersonSim): JsonObject {
  const p = sim.person;
  const traits: JsonObject = { email: p.email, firstName: p.firstName, lastName: p.lastName, city: p.city, country: p.country };
  if (p.sharesPhone) traits.phone = p.phone;
  traits.createdAt = new Date(sim.timeline.cursor).toISOString();
  return traits;
}

function signUp(sim: PersonSim): void {
  const { timeline: tl, person, state } = sim;
  view(sim, { kind: 'signup', arg: 0 });
  if (state.guestUsed && !state.aliased) {
    tl.alias(person.guestId, person.userId);
    state.aliased = true;
    beat(sim);
  }
  tl.identify(person.userId, () => traitsOf(sim));
  beat(sim);
  tl.track('Signed Up', () => ({ method: 'email', platform: tl.currentDevice.app ? 'app' : 'web' }));
  state.signedUp = true;
}

function logIn(sim: PersonSim): void {
  const tl = sim.timeline;
  view(sim, { kind: 'login', arg: 0 });
  tl.identify(sim.person.userId, () => ({ email: sim.person.email }));
  beat(sim);
  tl.track('Signed In', () => ({ method: 'password' }));
}

/** Before paying: logged-in already, log in, check out as guest once, or create an account. */
function identifyBuyer(sim: PersonSim): void {
  const { timeline: tl, person, state } = sim;
  const current = tl.currentDevice.userId;
  if (current === person.userId) return;
  if (state.signedUp) return logIn(sim);
  if (current === person.guestId) return;
  if (!state.guestUsed && sim.rng.chance(0.25)) {
    tl.identify(person.guestId, () => ({ email: person.email }));
    state.guestUsed = true;
    beat(sim);
    return;
  }
  signUp(sim);
}

function addToCart(sim: PersonSim, lines: ProductLine[], cartId: string): void {
  const tl = sim.timeline;
  for (const line of lines) {
    tl.track('Product Added', () => ({ cart_id: cartId, ...line, currency: 'USD' }));
    tl.advance(sim.rng.uniform(5000, 30_000));
  }
}

/** Cart → checkout → identification → Order Completed on the confirmation page. */
function purchase(sim: PersonSim, plan: VisitPlan, lastProduct: number): void {
  const { rng, person, state, timeline: tl } = sim;
  const first = lastProduct >= 0 ? lastProduct : pickProduct(sim);
  if (sim.page?.kind !== 'product') view(sim, { kind: 'product', arg: first });
  const lines = [productLine(first, rng.chance(0.9) ? 1 : 2)];
  const extra = Math.min(3, rng.poisson(0.45));
  for (let k = 0; k < extra; k++) {
    const p = pickProduct(sim);
    if (!lines.some((l) => l.product_id === PRODUCTS[p].id)) lines.push(productLine(p, rng.chance(0.9) ? 1 : 2));
  }
  const orderNumber = state.orders + 1;
  const orderId = `ord_${person.index.toString(36)}_${orderNumber}`;
  const cartId = `cart_${person.index.toString(36)}_${state.visits}`;
  addToCart(sim, lines, cartId);
  view(sim, { kind: 'cart', arg: 0 });
  view(sim, { kind: 'checkout', arg: 0 });
  const revenue = orderRevenue(lines);
  const shipping = revenue >= 75 ? 0 : 5.99;
  const payload = (): JsonObject => ({ checkout_id: `chk_${orderId.slice(4)}`, order_id: orderId, value: revenue, revenue, currency: 'USD', products: lines.map((l) => ({ ...l })) });
  tl.track('Checkout Started', payload);
  beat(sim);
  identifyBuyer(sim);
  tl.advance(rng.uniform(20_000, 90_000));
  view(sim, { kind: 'confirmation', arg: 0 }, '', '', () => {
    tl.track('Order Completed', () => ({ ...payload(), total: Math.round((revenue + shipping) * 100) / 100, subtotal: revenue, shipping, tax: 0, discount: 0 }));
  });
  state.orders = orderNumber;
  state.lastOrderDay = sim.day;
  sim.sink.order(sim.day, plan.cause, revenue, orderNumber);
}

/** Browsing that may end in an abandoned cart (which triggers tomorrow's cart e-mail). */
function maybeAbandonCart(sim: PersonSim, lastProduct: number): void {
  const { rng, person, state, timeline: tl } = sim;
  if (lastProduct < 0 || !rng.chance(0.12)) return;
  if (sim.page?.kind !== 'product') view(sim, { kind: 'product', arg: lastProduct });
  addToCart(sim, [productLine(lastProduct, 1)], `cart_${person.index.toString(36)}_${state.visits}`);
  view(sim, { kind: 'cart', arg: 0 });
  if (rng.chance(0.35)) {
    view(sim, { kind: 'checkout', arg: 0 });
    tl.track('Checkout Started', () => ({ value: PRODUCTS[lastProduct].price, currency: 'USD', products: [{ ...productLine(lastProduct, 1) }] }));
  }
  state.cartAbandonedDay = sim.day;
}

/** Expands one planned visit into messages on the timeline (its start time is already set). */
export function runVisit(sim: PersonSim, plan: VisitPlan): void {
  const { rng, person, state, timeline: tl } = sim;
  const device = person.devices[plan.device];
  const def = plan.campaign >= 0 ? CAMPAIGNS[plan.campaign] : undefined;
  const campaign = def ? CAMPAIGN_CONTEXTS[plan.campaign] : undefined;
  state.visits++;
  sim.sink.visit(device);
  tl.startVisit(device, campaign);
  sim.page = undefined;
  emitArrivalSignal(sim, plan, campaign);
  view(sim, plan.landing, plan.referrer, def ? utmSearch(def) : '');
  let current = plan.landing;
  let lastProduct = current.kind === 'product' ? Number(current.arg) : -1;
  const pages = plan.order ? 1 + Math.min(4, rng.poisson(1.5)) : rng.chance(0.38) ? 0 : Math.min(MAX_BROWSE_PAGES, 1 + rng.geometric(0.3));
  for (let k = 0; k < pages; k++) {
    current = nextPage(sim, current);
    view(sim, current);
    if (current.kind === 'product') lastProduct = Number(current.arg);
  }
  if (!state.signedUp && pages > 0 && rng.chance(person.signupPerVisit)) signUp(sim);
  else if (state.signedUp && device.userId !== person.userId && rng.chance(0.35)) logIn(sim);
  if (plan.order) purchase(sim, plan, lastProduct);
  else maybeAbandonCart(sim, lastProduct);
}
