/**
 * The media plan (exogenous daily budgets per paid campaign) and the spend rows ad platforms and
 * messaging tools would report. Budgets move in flights of 2–4 weeks at different levels plus
 * weekday and day-to-day noise: without that variation a media-mix model has nothing to learn
 * from. Budgets scale with the number of simulated people so a 2,000-person world is a faithful
 * miniature of the 50,000-person one.
 */
import { CAMPAIGNS, CHANNEL_COUNT, CHANNEL_IDS, CHANNELS, CH } from './catalog.ts';
import { Rng, STREAM } from './prng.ts';
import { PLANTED } from './truth.ts';

/** Reference daily budget per paid channel, USD per 1,000 simulated people (×50 for the default world). */
export const PAID_BUDGET_PER_1000: Readonly<Partial<Record<number, number>>> = {
  [CH.brand]: 0.4,
  [CH.nonbrand]: 1.6,
  [CH.social]: 1.4,
  [CH.display]: 0.8,
  [CH.video]: 0.6,
  [CH.affiliate]: 0.5,
};

/** Owned-channel costs: a daily platform fee (USD per 1,000 people) plus a cost per message sent. */
export const OWNED_COSTS: Readonly<Partial<Record<number, { feePer1000: number; perSend: number }>>> = {
  [CH.email]: { feePer1000: 0.05, perSend: 0.001 },
  [CH.sms]: { feePer1000: 0.02, perSend: 0.0075 },
  [CH.push]: { feePer1000: 0.01, perSend: 0.0001 },
};

/** Budget multiplier by weekday, Sunday first (advertisers pull back at weekends). */
const WEEKDAY_SPEND = [0.85, 1.05, 1.08, 1.06, 1.04, 1.0, 0.9];
const FLIGHT_LEVELS = [0.25, 0.6, 1, 1.5, 2.2];
const FLIGHT_LEVEL_WEIGHTS = [1, 2, 3, 2, 1];

export type MediaPlan = {
  /** USD per campaign per day ([campaign][day]); owned campaigns stay 0 here (costs come after). */
  campaignSpend: Float64Array[];
  /** USD per paid channel per day ([channel][day]). */
  channelSpend: Float64Array[];
  /** Expected touches per active person-day ([channel][day]): the planted Hill response to spend. */
  touchRate: Float64Array[];
  /** touchRate relative to its value at the reference budget (1 = a normal day). */
  rateIndex: Float64Array[];
};

/** Hill response of the planted saturation: touches per active person-day for x USD per 1,000 people. */
export function hillTouchRate(channel: number, spendPer1000: number): number {
  const sat = PLANTED[CHANNEL_IDS[channel]].saturation;
  if (!sat || spendPer1000 <= 0) return 0;
  const xs = spendPer1000 ** sat.shape;
  return (sat.maxTouchesPerActivePersonDay * xs) / (xs + sat.halfSaturationSpendPer1000People ** sat.shape);
}

/** A piecewise-constant flight schedule: a new budget level every 14–28 days. */
function flightLevels(rng: Rng, days: number): Float64Array {
  const levels = new Float64Array(days);
  let d = 0;
  while (d < days) {
    const level = FLIGHT_LEVELS[rng.weighted(FLIGHT_LEVEL_WEIGHTS)];
    const length = rng.int(14, 29);
    for (let k = 0; k < length && d < days; k++, d++) levels[d] = level;
  }
  return levels;
}

/**
 * Draws every paid campaign's daily spend and derives the touch rates the people simulation uses.
 * startWeekday is the UTC weekday (0 = Sunday) of day 0.
 */
export function planMedia(seed: number, people: number, days: number, startWeekday: number): MediaPlan {
  const rng = new Rng(seed, 0, STREAM.media);
  const per1000 = people / 1000;
  const campaignSpend = CAMPAIGNS.map(() => new Float64Array(days));
  const channelSpend = CHANNEL_IDS.map(() => new Float64Array(days));
  CAMPAIGNS.forEach((campaign, k) => {
    const budget = PAID_BUDGET_PER_1000[campaign.channel];
    if (budget === undefined) return;
    const flights = flightLevels(rng, days);
    for (let d = 0; d < days; d++) {
      const weekday = WEEKDAY_SPEND[(startWeekday + d) % 7];
      const usd = budget * per1000 * campaign.share * flights[d] * weekday * rng.lognormal(1, 0.1);
      campaignSpend[k][d] = Math.round(usd * 100) / 100;
      channelSpend[campaign.channel][d] += campaignSpend[k][d];
    }
  });
  const touchRate = CHANNEL_IDS.map(() => new Float64Array(days));
  const rateIndex = CHANNEL_IDS.map(() => new Float64Array(days));
  for (let c = 0; c < CHANNEL_COUNT; c++) {
    const budget = PAID_BUDGET_PER_1000[c];
    if (budget === undefined) continue;
    const reference = hillTouchRate(c, budget);
    for (let d = 0; d < days; d++) {
      touchRate[c][d] = hillTouchRate(c, channelSpend[c][d] / per1000);
      rateIndex[c][d] = touchRate[c][d] / reference;
    }
  }
  return { campaignSpend, channelSpend, touchRate, rateIndex };
}

/** Counts the simulation hands back per campaign and day: what our own tracking saw. */
export type CampaignDayCounts = {
  impressions: Float64Array[];
  clicks: Float64Array[];
  sends: Float64Array[];
};

export function createCampaignDayCounts(days: number): CampaignDayCounts {
  const make = (): Float64Array[] => CAMPAIGNS.map(() => new Float64Array(days));
  return { impressions: make(), clicks: make(), sends: make() };
}

/** One row of the ad-spend import (`spend` table). `source` is extra: the platform the row came from. */
export type SpendRow = {
  date: string;
  channel: string;
  source: string;
  campaign: string;
  spend: number;
  impressions: number;
  clicks: number;
  currency: 'USD';
};

const cents = (x: number): number => Math.round(x * 100) / 100;

/**
 * Spend rows for every paid and owned campaign on every day. Paid platforms report impressions
 * and clicks across their whole audience (spend / CPM, × CTR), never fewer than our tracked
 * people produced; owned channels report sends as impressions and tracked clicks as clicks, on
 * the day of the click (a click on last week's newsletter can make clicks exceed a day's sends).
 * Also returns spend per channel per day ([channel][day]) including owned costs.
 */
export function buildSpendRows(
  plan: MediaPlan,
  counts: CampaignDayCounts,
  dates: readonly string[],
  seed: number,
  people: number,
): { rows: SpendRow[]; channelSpend: Float64Array[] } {
  const rng = new Rng(seed, 1, STREAM.media);
  const per1000 = people / 1000;
  const channelSpend = plan.channelSpend.map((column) => Float64Array.from(column));
  const rows: SpendRow[] = [];
  for (let d = 0; d < dates.length; d++) {
    CAMPAIGNS.forEach((campaign, k) => {
      const kind = CHANNELS[campaign.channel].kind;
      if (kind !== 'paid' && kind !== 'owned') return;
      let spend: number;
      let impressions: number;
      let clicks: number;
      if (kind === 'paid') {
        spend = plan.campaignSpend[k][d];
        impressions = Math.round((spend / campaign.cpm) * 1000 * rng.lognormal(1, 0.05));
        clicks = Math.round(impressions * campaign.ctr * rng.lognormal(1, 0.08));
        clicks = Math.max(clicks, counts.clicks[k][d]);
        // Keep the reported CTR sane when our people clicked more than the budget suggests.
        impressions = Math.max(impressions, counts.impressions[k][d], Math.ceil(clicks / campaign.ctr));
      } else {
        const cost = OWNED_COSTS[campaign.channel] ?? { feePer1000: 0, perSend: 0 };
        spend = cents(cost.feePer1000 * per1000 * campaign.share + cost.perSend * counts.sends[k][d]);
        impressions = counts.sends[k][d];
        clicks = counts.clicks[k][d];
        channelSpend[campaign.channel][d] += spend;
      }
      rows.push({
        date: dates[d],
        channel: CHANNEL_IDS[campaign.channel],
        source: campaign.source,
        campaign: campaign.name,
        spend,
        impressions,
        clicks,
        currency: 'USD',
      });
    });
  }
  return { rows, channelSpend };
}
