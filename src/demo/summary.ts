/**
 * The up-front pass's sink: tallies what the simulation reports into the world's aggregates
 * (truth counters, campaign-day counts for spend rows, CRM rows, summary figures).
 */
import { CHANNEL_IDS, type ChannelId } from './catalog.ts';
import type { MessageType } from './messages.ts';
import type { CustomerRow, OfflineOrderRow } from './offline.ts';
import type { Device, Person } from './people.ts';
import type { CampaignDayCounts } from './spend.ts';
import type { CampaignEventKind, PersonState, SimSink } from './state.ts';
import type { MessageCounts } from './timeline.ts';
import type { TruthTally } from './truth.ts';

export type DemoSummary = {
  people: number;
  days: number;
  seed: number;
  startDate: string;
  endDate: string;
  messages: number;
  messagesByType: Record<MessageType, number>;
  sessions: number;
  /** Share of sessions on a phone (mobile web or the app). */
  mobileSessionShare: number;
  appSessions: number;
  /** People who created an account in the window. */
  identifiedPeople: number;
  customers: number;
  repeatCustomers: number;
  /** customers / people: every simulated person visits at least once, so people = visitors. */
  conversionRate: number;
  repeatCustomerShare: number;
  orders: number;
  revenue: number;
  averageOrderValue: number;
  spend: number;
  spendByChannel: Record<ChannelId, number>;
  touchesByChannel: Record<ChannelId, number>;
  incrementalConversions: number;
  crmCustomers: number;
  offlineOnlyCustomers: number;
  offlineOrders: number;
  offlineRevenue: number;
};

/** SimSink that accumulates the world's aggregates. */
export class WorldTally implements SimSink {
  readonly customers: CustomerRow[] = [];
  readonly offlineOrders: OfflineOrderRow[] = [];
  sessions = 0;
  mobileSessions = 0;
  appSessions = 0;
  identifiedPeople = 0;
  buyers = 0;
  repeatBuyers = 0;
  orders = 0;
  revenueCents = 0;

  constructor(
    readonly truth: TruthTally,
    readonly campaignDays: CampaignDayCounts,
    readonly counts: MessageCounts,
  ) {}

  touch(channel: number): void {
    this.truth.touches[channel]++;
  }

  campaignEvent(kind: CampaignEventKind, campaign: number, day: number): void {
    const table = kind === 'impression' ? this.campaignDays.impressions : kind === 'click' ? this.campaignDays.clicks : this.campaignDays.sends;
    table[campaign][day]++;
  }

  order(day: number, cause: number, revenue: number): void {
    this.orders++;
    this.revenueCents += Math.round(revenue * 100);
    this.truth.recordOrder(day, cause, revenue);
  }

  visit(device: Device): void {
    this.sessions++;
    if (device.type === 'mobile') this.mobileSessions++;
    if (device.app) this.appSessions++;
  }

  customer(row: CustomerRow): void {
    this.customers.push(row);
  }

  storeOrder(row: OfflineOrderRow): void {
    this.offlineOrders.push(row);
  }

  personDone(_person: Person, state: PersonState): void {
    if (state.signedUp) this.identifiedPeople++;
    if (state.orders > 0) this.buyers++;
    if (state.orders > 1) this.repeatBuyers++;
  }
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

export type SummaryInput = {
  tally: WorldTally;
  people: number;
  days: number;
  seed: number;
  dates: readonly string[];
  channelSpend: Float64Array[];
  /** All CRM rows and store orders (online store shoppers and offline-only customers). */
  customers: readonly CustomerRow[];
  offlineOrders: readonly OfflineOrderRow[];
  offlineOnlyCustomers: number;
  incrementalConversions: number;
};

export function buildSummary(input: SummaryInput): DemoSummary {
  const { tally, dates } = input;
  const counts = tally.counts;
  const messages = counts.track + counts.identify + counts.page + counts.screen + counts.alias;
  const spendByChannel = {} as Record<ChannelId, number>;
  const touchesByChannel = {} as Record<ChannelId, number>;
  let spend = 0;
  CHANNEL_IDS.forEach((id, c) => {
    const total = input.channelSpend[c].reduce((a, b) => a + b, 0);
    spendByChannel[id] = round(total, 2);
    touchesByChannel[id] = tally.truth.touches[c];
    spend += total;
  });
  const revenue = tally.revenueCents / 100;
  const offlineRevenue = input.offlineOrders.reduce((a, o) => a + Math.round(o.revenue * 100), 0) / 100;
  return {
    people: input.people,
    days: input.days,
    seed: input.seed,
    startDate: dates[0],
    endDate: dates[dates.length - 1],
    messages,
    messagesByType: { ...counts },
    sessions: tally.sessions,
    mobileSessionShare: round(ratio(tally.mobileSessions, tally.sessions), 4),
    appSessions: tally.appSessions,
    identifiedPeople: tally.identifiedPeople,
    customers: tally.buyers,
    repeatCustomers: tally.repeatBuyers,
    conversionRate: round(ratio(tally.buyers, input.people), 4),
    repeatCustomerShare: round(ratio(tally.repeatBuyers, tally.buyers), 4),
    orders: tally.orders,
    revenue,
    averageOrderValue: round(ratio(revenue, tally.orders), 2),
    spend: round(spend, 2),
    spendByChannel,
    touchesByChannel,
    incrementalConversions: input.incrementalConversions,
    crmCustomers: input.customers.length,
    offlineOnlyCustomers: input.offlineOnlyCustomers,
    offlineOrders: input.offlineOrders.length,
    offlineRevenue,
  };
}
