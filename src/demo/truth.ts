/**
 * The planted causal truth of the demo world, and its tally.
 *
 * Model (per active person-day d, see behaviour.ts):
 *
 *   b_i(d)   = baseline purchase hazard of person i (propensity × early-intent × weekday × repeat state)
 *   A_ic(d)  = Σ over i's touches k of channel c on days d_k ≤ d of 0.5^((d − d_k) / halfLife_c)
 *   h_i(d)   = b_i(d) + Σ_c b_i(d) · liftPerTouch_c · A_ic(d)           (an additive hazard)
 *   P(order on day d) = 1 − exp(−h_i(d))
 *
 * When an order happens, its cause is drawn from {baseline, c₁, c₂, …} with probability
 * proportional to the components of h. `conversions` per channel counts orders whose drawn cause
 * is that channel; this is the channel's planted incremental count in this realisation. For a
 * Poisson process it is exactly the expected number of orders that would vanish if the channel's
 * touches were removed (superposition); with at most one order per person-day and with later
 * effects of an order (refractory period, repeat boost, e-mail sign-up) it is a close
 * approximation, not an exact counterfactual, and it counts only the *immediate* cause.
 * Touches can also bring people to the site (arrival channel) — that traffic effect is not a
 * conversion and is not counted here.
 *
 * Paid channels' touch volume follows spend with Hill saturation:
 *   touches per active person-day = maxTouches · x^s / (x^s + k^s),  x = spend that day per 1,000 people,
 * so a media-mix model should recover concave response curves with these half-saturation points.
 */
import { CHANNELS, CHANNEL_IDS, type ChannelId, type ChannelKind } from './catalog.ts';

export type Saturation = {
  /** Ceiling on touches per active person per day as spend → ∞. */
  maxTouchesPerActivePersonDay: number;
  /** Daily spend (USD per 1,000 simulated people) at which half the ceiling is reached. */
  halfSaturationSpendPer1000People: number;
  /** Hill exponent s (1 = Michaelis–Menten). */
  shape: number;
};

export type PlantedEffect = {
  /** Multiplicative lift of the person's baseline hazard per unit of adstock (one fresh touch = 1). */
  liftPerTouch: number;
  /** Days for a touch's effect to halve (geometric adstock, decay per day = 0.5^(1/halfLife)). */
  halfLifeDays: number;
  /** What one touch of this channel is in the data. */
  touch: string;
  saturation: Saturation | null;
};

/**
 * The planted effects, one row per channel (also the table in src/demo/README.md). Brand search
 * and direct are deliberately weakly incremental although they collect many last clicks; display,
 * video and social act mostly through view-through (people come back via direct/organic/brand).
 */
export const PLANTED: Readonly<Record<ChannelId, PlantedEffect>> = {
  paid_search_brand: { liftPerTouch: 0.2, halfLifeDays: 1, touch: 'ad click + visit', saturation: { maxTouchesPerActivePersonDay: 0.006, halfSaturationSpendPer1000People: 0.4, shape: 1 } },
  paid_search_nonbrand: { liftPerTouch: 3, halfLifeDays: 2, touch: 'ad click + visit', saturation: { maxTouchesPerActivePersonDay: 0.02, halfSaturationSpendPer1000People: 1.6, shape: 1 } },
  paid_social: { liftPerTouch: 0.12, halfLifeDays: 3, touch: 'ad impression (a click adds a visit)', saturation: { maxTouchesPerActivePersonDay: 0.6, halfSaturationSpendPer1000People: 1.4, shape: 1 } },
  display: { liftPerTouch: 0.06, halfLifeDays: 4, touch: 'ad impression (a click adds a visit)', saturation: { maxTouchesPerActivePersonDay: 0.5, halfSaturationSpendPer1000People: 0.8, shape: 1.5 } },
  online_video: { liftPerTouch: 0.1, halfLifeDays: 7, touch: 'video view (a click adds a visit)', saturation: { maxTouchesPerActivePersonDay: 0.3, halfSaturationSpendPer1000People: 0.6, shape: 1 } },
  affiliate: { liftPerTouch: 1.5, halfLifeDays: 1, touch: 'partner click + visit', saturation: { maxTouchesPerActivePersonDay: 0.008, halfSaturationSpendPer1000People: 0.5, shape: 1 } },
  email: { liftPerTouch: 3, halfLifeDays: 2, touch: 'email click + visit', saturation: null },
  sms: { liftPerTouch: 2.5, halfLifeDays: 1, touch: 'SMS click + visit', saturation: null },
  push: { liftPerTouch: 1.5, halfLifeDays: 1, touch: 'push open + app session', saturation: null },
  organic_search: { liftPerTouch: 0.4, halfLifeDays: 2, touch: 'visit from a search engine', saturation: null },
  referral: { liftPerTouch: 1, halfLifeDays: 3, touch: 'visit from a blog or publisher', saturation: null },
  direct: { liftPerTouch: 0, halfLifeDays: 1, touch: 'direct visit or app open', saturation: null },
  offline_store: { liftPerTouch: 0.8, halfLifeDays: 5, touch: 'store visit', saturation: null },
};

/** Per-day adstock retention of each channel, in CHANNEL_IDS order. */
export const DECAY: Float64Array = Float64Array.from(CHANNEL_IDS, (id) => 0.5 ** (1 / PLANTED[id].halfLifeDays));
/** liftPerTouch in CHANNEL_IDS order, for the hot loop. */
export const LIFT: Float64Array = Float64Array.from(CHANNEL_IDS, (id) => PLANTED[id].liftPerTouch);

export type ChannelTruth = PlantedEffect & {
  channel: ChannelId;
  group: string;
  kind: ChannelKind;
  /** Realised touches of the channel (impressions, clicks, visits, opens, store visits). */
  touches: number;
  /** Orders whose drawn cause is this channel (see module comment). */
  conversions: number;
  revenue: number;
  /** Spend over the window (0 for organic and offline). */
  spend: number;
};

export type DemoTruth = {
  definition: string;
  baseline: { conversions: number; revenue: number };
  channels: Record<ChannelId, ChannelTruth>;
  totals: {
    conversions: number;
    revenue: number;
    incrementalConversions: number;
    incrementalRevenue: number;
  };
  /** Daily columns (index = day in the window) for checking time-series models such as an MMM. */
  daily: {
    dates: string[];
    conversions: number[];
    revenue: number[];
    baselineConversions: number[];
    causedConversions: Record<ChannelId, number[]>;
    spend: Record<ChannelId, number[]>;
  };
};

export const TRUTH_DEFINITION =
  'Each online order is drawn from an additive hazard h = b + Σ_c b·lift_c·adstock_c and assigned the ' +
  'component that caused it with probability proportional to its share of h. channels[c].conversions ' +
  'counts orders caused by c (its realised incremental conversions: exact in expectation for a Poisson ' +
  'process, approximate here because a person orders at most once a day and an order changes later ' +
  'behaviour). Arrivals caused by ads are traffic, not conversions, and are not counted. Offline store ' +
  'orders are outside this model.';

/** Mutable counters filled while the world is simulated; turned into DemoTruth at the end. */
export class TruthTally {
  readonly touches = new Float64Array(CHANNEL_IDS.length);
  readonly caused: Float64Array[];
  readonly causedRevenue = new Float64Array(CHANNEL_IDS.length);
  readonly baseline: Float64Array;
  baselineRevenue = 0;
  readonly dayConversions: Float64Array;
  readonly dayRevenue: Float64Array;

  constructor(days: number) {
    this.caused = CHANNEL_IDS.map(() => new Float64Array(days));
    this.baseline = new Float64Array(days);
    this.dayConversions = new Float64Array(days);
    this.dayRevenue = new Float64Array(days);
  }

  /** cause = channel index, or −1 for the baseline hazard. */
  recordOrder(day: number, cause: number, revenue: number): void {
    this.dayConversions[day]++;
    this.dayRevenue[day] += revenue;
    if (cause < 0) {
      this.baseline[day]++;
      this.baselineRevenue += revenue;
    } else {
      this.caused[cause][day]++;
      this.causedRevenue[cause] += revenue;
    }
  }
}

const sum = (xs: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s;
};
const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Freezes the tally into the public truth object; spend[c][d] comes from the media plan. */
export function buildTruth(tally: TruthTally, dates: string[], spend: Float64Array[]): DemoTruth {
  const channels = {} as Record<ChannelId, ChannelTruth>;
  const causedConversions = {} as Record<ChannelId, number[]>;
  const spendColumns = {} as Record<ChannelId, number[]>;
  CHANNELS.forEach((def, c) => {
    causedConversions[def.id] = Array.from(tally.caused[c]);
    spendColumns[def.id] = Array.from(spend[c], round2);
    channels[def.id] = {
      channel: def.id,
      group: def.group,
      kind: def.kind,
      ...PLANTED[def.id],
      touches: tally.touches[c],
      conversions: sum(tally.caused[c]),
      revenue: round2(tally.causedRevenue[c]),
      spend: round2(sum(spend[c])),
    };
  });
  const incrementalConversions = sum(CHANNEL_IDS.map((id) => channels[id].conversions));
  const incrementalRevenue = round2(sum(tally.causedRevenue));
  const baselineConversions = sum(tally.baseline);
  return {
    definition: TRUTH_DEFINITION,
    baseline: { conversions: baselineConversions, revenue: round2(tally.baselineRevenue) },
    channels,
    totals: {
      conversions: baselineConversions + incrementalConversions,
      revenue: round2(tally.baselineRevenue + sum(tally.causedRevenue)),
      incrementalConversions,
      incrementalRevenue,
    },
    daily: {
      dates,
      conversions: Array.from(tally.dayConversions),
      revenue: Array.from(tally.dayRevenue, round2),
      baselineConversions: Array.from(tally.baseline),
      causedConversions,
      spend: spendColumns,
    },
  };
}
