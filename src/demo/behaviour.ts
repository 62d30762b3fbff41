/**
 * A person's life in the window, day by day: arrival, paid exposure (driven by the media plan),
 * owned messages (newsletter, cart e-mail, SMS, push), self-initiated return visits, store visits,
 * the planted purchase hazard of truth.ts, and churn. Each day's activities are planned first
 * (so the hazard sees the day's touches), then scheduled into non-overlapping slots and expanded
 * into messages in time order.
 *
 * Calibration targets (checked by the tests on a small world): 3–5% of people order in the
 * window, AOV $60–120, 20–30% of customers order again, ~55% of sessions on mobile.
 */
import {
  CAMPAIGNS, CAMPAIGNS_BY_CHANNEL, CAMPAIGN_CART_ABANDONMENT, CAMPAIGN_NEWSLETTER, CATEGORIES, CHANNEL_COUNT, CHANNELS, CH,
  PRODUCT_WEIGHTS,
} from './catalog.ts';
import { crmCustomerFor, storeOrderFor, STORE_PURCHASE_RATE } from './offline.ts';
import { BLOG_POSTS, CAMPAIGN_CONTEXTS, CAMPAIGN_LANDINGS, type PageRef } from './pages.ts';
import { createPerson } from './people.ts';
import { Rng, STREAM } from './prng.ts';
import { REFERRAL_REFERRERS, SEARCH_REFERRERS, SOURCE_REFERRERS } from './reference-data.ts';
import { createPersonState, type PersonSim, type SimContext, type SimSink } from './state.ts';
import { Timeline, type MessageCounts } from './timeline.ts';
import { DECAY, LIFT } from './truth.ts';
import { runVisit, type VisitPlan } from './visit.ts';
import type { SegmentMessage } from './messages.ts';

/** Baseline purchase hazard per active person-day at propensity 1, mid-week, long after arrival. */
export const BASE_HAZARD = 0.0017;
/**
 * Before the first order: hazard × (INTENT_FLOOR + INTENT_BOOST·e^(−days since arrival / INTENT_DAYS)).
 * Front-loaded intent makes the share of people who buy depend little on the window length.
 */
const INTENT_FLOOR = 0.15;
const INTENT_BOOST = 4.5;
const INTENT_DAYS = 6;
/** After an order: REFRACTORY× for REFRACTORY_DAYS, then the steady REPEAT_INTENT× of a customer. */
const REFRACTORY_DAYS = 14;
const REFRACTORY = 0.05;
const REPEAT_INTENT = 1.75;
/** Customers churn at this fraction of their prior rate (a purchase signals attachment). */
const CUSTOMER_CHURN = 0.4;
const WEEKDAY_CONVERSION = [1.12, 0.95, 0.95, 0.97, 1.0, 1.02, 1.1];
const WEEKDAY_VISITS = [1.1, 0.95, 0.95, 0.95, 1.0, 1.0, 1.1];
/** Visits by hour of day (UTC, the shop's audience is mostly in one region). */
const HOUR_WEIGHTS = [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 3, 3.5, 4, 4, 4.5, 4.5, 4, 4, 4, 4.5, 5, 6, 6.5, 6, 4, 2];
const DAY_MS = 86_400_000;
/** A visit lasts ≤ 50 min (visit.ts); slots of 85 min keep consecutive visits ≥ 30 min apart. */
const SLOT_MS = 85 * 60_000;
const MAX_VISITS_PER_DAY = 12;
const MAX_IMPRESSIONS_PER_DAY = 40;
/** How much more likely a tracked (retargetable) person is to click than the platform average. */
const TRACKED_CTR_FACTOR = 2;
/** Paid channels bought by impression (a click is a bonus) vs by click. */
const VIEW_CHANNELS: readonly number[] = [CH.social, CH.display, CH.video];
const CLICK_CHANNELS: readonly number[] = [CH.brand, CH.nonbrand, CH.affiliate];
const isView = (c: number): boolean => VIEW_CHANNELS.includes(c);

type Activity =
  | { kind: 'visit'; at: number; plan: VisitPlan }
  | { kind: 'impression'; at: number; channel: number; campaign: number; device: number }
  | { kind: 'store'; at: number };

type DaySim = PersonSim & { acts: Activity[]; adstock: Float64Array; dayStart: number; weekday: number; visitCount: number };

function randomTime(sim: DaySim): number {
  return sim.dayStart + sim.rng.weighted(HOUR_WEIGHTS) * 3_600_000 + sim.rng.int(0, 3_600_000);
}

/** A browser device (ads and links open in a browser), weighted by how much each is used. */
function webDevice(sim: DaySim): number {
  const p = sim.person;
  if (p.devices.length === 1) return 0;
  return sim.rng.weighted(p.deviceWeights.map((w, i) => (i === p.appDevice ? 0 : w)));
}

function pickCampaign(sim: DaySim, channel: number): number {
  const ids = CAMPAIGNS_BY_CHANNEL[channel];
  if (ids.length === 1) return ids[0];
  const spend = sim.ctx.plan.campaignSpend;
  return ids[sim.rng.weighted(ids.map((k) => spend[k][sim.day] || CAMPAIGNS[k].share))];
}

function randomLanding(sim: DaySim, channel: number): PageRef {
  const rng = sim.rng;
  const product = (): PageRef => ({ kind: 'product', arg: rng.weighted(PRODUCT_WEIGHTS) });
  const category = (): PageRef => ({ kind: 'category', arg: rng.pick(CATEGORIES) });
  if (channel === CH.organic) {
    const r = rng.next();
    return r < 0.3 ? { kind: 'home', arg: 0 } : r < 0.65 ? category() : r < 0.95 ? product() : { kind: 'blog', arg: rng.pick(BLOG_POSTS) };
  }
  if (channel === CH.referral) return rng.chance(0.5) ? product() : category();
  return rng.chance(0.8) ? { kind: 'home', arg: 0 } : product();
}

type VisitOptions = { impressionFirst?: boolean; order?: boolean; cause?: number; campaign?: number };

/**
 * Adds a visit through `channel` and counts its touches. The campaign is picked by the day's
 * spend unless given. One slot a day stays free for an order visit.
 */
function addVisit(sim: DaySim, channel: number, device: number, opts: VisitOptions = {}): VisitPlan | undefined {
  const { impressionFirst = false, order = false, cause = -1 } = opts;
  if (sim.visitCount >= MAX_VISITS_PER_DAY - (order ? 0 : 1)) return undefined;
  const campaign = opts.campaign ?? (CAMPAIGNS_BY_CHANNEL[channel].length > 0 ? pickCampaign(sim, channel) : -1);
  const isApp = device === sim.person.appDevice;
  let referrer = '';
  let landing: PageRef;
  if (campaign >= 0) {
    referrer = SOURCE_REFERRERS[CAMPAIGNS[campaign].source] ?? '';
    landing = isApp ? { kind: 'home', arg: 0 } : CAMPAIGN_LANDINGS[campaign];
  } else {
    if (channel === CH.organic) referrer = sim.rng.pick(SEARCH_REFERRERS);
    if (channel === CH.referral) referrer = sim.rng.pick(REFERRAL_REFERRERS);
    landing = isApp ? { kind: 'home', arg: 0 } : randomLanding(sim, channel);
  }
  const plan: VisitPlan = { device, channel, campaign, referrer, landing, impressionFirst, order, cause };
  sim.visitCount++;
  sim.acts.push({ kind: 'visit', at: randomTime(sim), plan });
  touch(sim, channel, impressionFirst ? 2 : 1);
  if (campaign >= 0) {
    if (impressionFirst) sim.sink.campaignEvent('impression', campaign, sim.day);
    sim.sink.campaignEvent('click', campaign, sim.day);
  }
  return plan;
}

function touch(sim: DaySim, channel: number, n: number): void {
  sim.adstock[channel] += n;
  for (let k = 0; k < n; k++) sim.sink.touch(channel, sim.day);
}

/** Paid media: touches ~ Poisson(planted Hill rate of today's spend × the person's affinity). */
function planPaid(sim: DaySim): void {
  const { rng, person, day } = sim;
  const rates = sim.ctx.plan.touchRate;
  let impressions = 0;
  for (const c of VIEW_CHANNELS) {
    const n = rng.poisson(rates[c][day] * person.affinity[c]);
    for (let k = 0; k < n && impressions < MAX_IMPRESSIONS_PER_DAY; k++, impressions++) {
      const campaign = pickCampaign(sim, c);
      const device = webDevice(sim);
      if (rng.chance(CAMPAIGNS[campaign].ctr * TRACKED_CTR_FACTOR)) {
        addVisit(sim, c, device, { impressionFirst: true });
      } else {
        sim.acts.push({ kind: 'impression', at: randomTime(sim), channel: c, campaign, device });
        touch(sim, c, 1);
        sim.sink.campaignEvent('impression', campaign, day);
      }
    }
  }
  for (const c of CLICK_CHANNELS) {
    const n = Math.min(3, rng.poisson(rates[c][day] * person.affinity[c]));
    for (let k = 0; k < n; k++) addVisit(sim, c, webDevice(sim));
  }
}

/** A send to our own list; a click (probability × the person's engagement) becomes a visit. */
function send(sim: DaySim, channel: number, campaign: number, clickRate: number, device: number): void {
  sim.sink.campaignEvent('send', campaign, sim.day);
  if (sim.rng.chance(clickRate * sim.person.engagement)) addVisit(sim, channel, device, { campaign });
}

/** Newsletter Tue/Fri, cart e-mail the day after an abandoned cart, SMS Thu, push Mon/Sat. */
function planOwned(sim: DaySim): void {
  const { person, state, weekday } = sim;
  if (state.signedUp && person.emailOptIn) {
    if (weekday === 2 || weekday === 5) send(sim, CH.email, CAMPAIGN_NEWSLETTER, 0.045, webDevice(sim));
    if (state.cartAbandonedDay === sim.day - 1) send(sim, CH.email, CAMPAIGN_CART_ABANDONMENT, 0.12, webDevice(sim));
  }
  if (state.signedUp && person.smsOptIn && person.sharesPhone && weekday === 4) {
    send(sim, CH.sms, CAMPAIGNS_BY_CHANNEL[CH.sms][0], 0.08, webDevice(sim));
  }
  if (person.appDevice >= 0 && person.pushOptIn && (weekday === 1 || weekday === 6)) {
    send(sim, CH.push, CAMPAIGNS_BY_CHANNEL[CH.push][0], 0.05, person.appDevice);
  }
}

/** How a person comes back on their own: typing the URL / opening the app, searching, a blog, a brand ad. */
function navigationalChannel(sim: DaySim, forPurchase: boolean): number {
  const brand = (forPurchase ? 0.3 : 0.14) * sim.ctx.plan.rateIndex[CH.brand][sim.day];
  return [CH.direct, CH.organic, CH.referral, CH.brand][sim.rng.weighted(forPurchase ? [0.45, 0.25, 0, brand] : [0.42, 0.36, 0.08, brand])];
}

function navigationalVisit(sim: DaySim, forPurchase: boolean, cause = -1): VisitPlan | undefined {
  const channel = navigationalChannel(sim, forPurchase);
  const device = channel === CH.direct ? sim.rng.weighted(sim.person.deviceWeights) : webDevice(sim);
  return addVisit(sim, channel, device, { order: forPurchase, cause });
}

function planReturns(sim: DaySim, arrival: boolean): void {
  const { rng, person } = sim;
  const n = Math.min(4, rng.poisson(person.visitRate * WEEKDAY_VISITS[sim.weekday] * (arrival ? 0.4 : 1)));
  for (let k = 0; k < n; k++) navigationalVisit(sim, false);
  if (person.storeVisitRate > 0 && rng.chance(person.storeVisitRate)) {
    sim.acts.push({ kind: 'store', at: sim.dayStart + rng.int(10, 19) * 3_600_000 + rng.int(0, 3_600_000) });
    touch(sim, CH.store, 1);
  }
}

/** The first visit: organic, direct and referral fixed; paid channels in proportion to today's reach. */
function planArrival(sim: DaySim): void {
  const idx = sim.ctx.plan.rateIndex;
  const d = sim.day;
  const channels = [CH.organic, CH.direct, CH.referral, CH.nonbrand, CH.social, CH.display, CH.video, CH.affiliate, CH.brand];
  const weights = [0.3, 0.13, 0.07, 0.15 * idx[CH.nonbrand][d], 0.12 * idx[CH.social][d], 0.04 * idx[CH.display][d], 0.02 * idx[CH.video][d], 0.06 * idx[CH.affiliate][d], 0.08 * idx[CH.brand][d]];
  const channel = channels[sim.rng.weighted(weights)];
  addVisit(sim, channel, webDevice(sim), { impressionFirst: isView(channel) });
}

/** Baseline hazard b_i(d) of truth.ts: propensity × weekday × intent (early, refractory or repeat). */
function baselineHazard(sim: DaySim): number {
  const { person, state, day } = sim;
  const sinceArrival = day - person.arrivalDay;
  const intent = state.orders === 0
    ? INTENT_FLOOR + INTENT_BOOST * Math.exp(-sinceArrival / INTENT_DAYS)
    : day - state.lastOrderDay < REFRACTORY_DAYS ? REFRACTORY : REPEAT_INTENT;
  return BASE_HAZARD * person.propensity * WEEKDAY_CONVERSION[sim.weekday] * intent;
}

/** Draws today's order from h = b(1 + Σ lift·adstock) and the component that caused it, then routes it to a visit. */
function planOrder(sim: DaySim): void {
  const { rng, adstock } = sim;
  let lifted = 0;
  for (let c = 0; c < CHANNEL_COUNT; c++) lifted += LIFT[c] * adstock[c];
  const hazard = baselineHazard(sim) * (1 + lifted);
  if (!(rng.next() < 1 - Math.exp(-hazard))) return;
  let u = rng.next() * (1 + lifted) - 1;
  let cause = -1;
  for (let c = 0; u >= 0 && c < CHANNEL_COUNT; c++) {
    u -= LIFT[c] * adstock[c];
    if (u < 0) cause = c;
  }
  routeOrder(sim, cause);
}

/**
 * Which visit carries the order: a visit of the causing channel today if there is one; else
 * (click channels) often a fresh click on it, (view channels) sometimes a click on the ad, and
 * otherwise a navigational visit — the view-through pattern last-click attribution misreads.
 */
function routeOrder(sim: DaySim, cause: number): void {
  const { rng } = sim;
  const visits = sim.acts.flatMap((a) => (a.kind === 'visit' ? [a.plan] : []));
  const same = visits.filter((v) => (cause < 0 ? true : v.channel === cause));
  if (same.length > 0 && (cause >= 0 || rng.chance(0.6))) {
    const plan = same[same.length - 1];
    plan.order = true;
    plan.cause = cause;
    return;
  }
  const clickable = cause >= 0 && cause !== CH.store && cause !== CH.direct && !isView(cause);
  let plan: VisitPlan | undefined;
  if (clickable && rng.chance(0.5)) {
    const device = cause === CH.push ? sim.person.appDevice : webDevice(sim);
    plan = addVisit(sim, cause, device, { order: true, cause, campaign: cause === CH.email ? CAMPAIGN_NEWSLETTER : undefined });
  } else if (cause >= 0 && isView(cause) && rng.chance(0.15)) {
    plan = addVisit(sim, cause, webDevice(sim), { impressionFirst: true, order: true, cause });
  } else {
    plan = navigationalVisit(sim, true, cause);
  }
  const last = sim.acts[sim.acts.length - 1];
  if (plan && last.kind === 'visit') last.at = sim.dayStart + DAY_MS - 1;
}

/** Visits get slots ≥ SLOT_MS apart inside the day (forward, then backward from the day's end). */
function schedule(sim: DaySim): Activity[] {
  const visits = sim.acts.filter((a) => a.kind === 'visit').sort((a, b) => a.at - b.at);
  for (let k = 1; k < visits.length; k++) visits[k].at = Math.max(visits[k].at, visits[k - 1].at + SLOT_MS);
  let limit = sim.dayStart + DAY_MS - SLOT_MS;
  for (let k = visits.length - 1; k >= 0; k--) {
    visits[k].at = Math.min(visits[k].at, limit);
    limit = visits[k].at - SLOT_MS;
  }
  return [...sim.acts].sort((a, b) => a.at - b.at);
}

function runActivity(sim: DaySim, act: Activity): void {
  const { timeline: tl, rng, person, state } = sim;
  tl.moveTo(act.at);
  if (act.kind === 'visit') return runVisit(sim, act.plan);
  if (act.kind === 'impression') {
    const def = CAMPAIGNS[act.campaign];
    const device = person.devices[act.device];
    if (!device.adMatched) return;
    tl.startVisit(device, undefined);
    tl.serverTrack('Ad Impression', { campaign: CAMPAIGN_CONTEXTS[act.campaign] }, () => ({ channel: CHANNELS[act.channel].group, campaign: def.name, source: def.source, medium: def.medium }));
    return;
  }
  if (state.signedUp) {
    tl.serverTrack('Store Visited', { userOnly: true, noDevice: true }, () => ({ channel: 'store', store_id: person.storeId ?? '' }));
  }
  if (rng.chance(STORE_PURCHASE_RATE)) {
    state.storeOrders++;
    sim.sink.storeOrder(storeOrderFor(rng, person, state.storeOrders, sim.ctx.dates[sim.day]));
  }
}

/**
 * Simulates person `index` of the world. Messages go to `out` (null = count only) in strictly
 * increasing timestamp order; aggregate facts go to `sink`. Same inputs → same life, in any order.
 */
export function simulatePerson(ctx: SimContext, index: number, sink: SimSink, out: SegmentMessage[] | null, counts: MessageCounts): void {
  const rng = new Rng(ctx.seed, index, STREAM.person);
  const person = createPerson(rng, index, ctx.days);
  if (person.storeId !== undefined) sink.customer(crmCustomerFor(rng, person));
  const state = createPersonState();
  const timeline = new Timeline(ctx.seedHash, person, out, counts);
  const sim: DaySim = { ctx, rng, person, state, timeline, sink, day: 0, page: undefined, acts: [], adstock: new Float64Array(CHANNEL_COUNT), dayStart: 0, weekday: 0, visitCount: 0 };
  for (let d = person.arrivalDay; d < ctx.days; d++) {
    sim.day = d;
    sim.dayStart = ctx.startMs + d * DAY_MS;
    sim.weekday = (ctx.startWeekday + d) % 7;
    sim.acts = [];
    sim.visitCount = 0;
    for (let c = 0; c < CHANNEL_COUNT; c++) sim.adstock[c] *= DECAY[c];
    const arrival = d === person.arrivalDay;
    if (arrival) planArrival(sim);
    planPaid(sim);
    planOwned(sim);
    planReturns(sim, arrival);
    planOrder(sim);
    for (const act of schedule(sim)) runActivity(sim, act);
    if (person.bouncer || rng.chance(person.churnHazard * (state.orders > 0 ? CUSTOMER_CHURN : 1))) break;
  }
  sink.personDone(person, state);
}
