/**
 * Types shared by the day loop (behaviour.ts) and the visit expansion (visit.ts): a person's
 * mutable state during simulation and the sink that receives aggregate facts. The sink is how
 * the same simulation serves both passes: the up-front pass tallies, the streaming pass ignores.
 */
import type { CustomerRow, OfflineOrderRow } from './offline.ts';
import type { Device, Person } from './people.ts';
import type { Rng } from './prng.ts';
import type { PageRef } from './pages.ts';
import type { MediaPlan } from './spend.ts';
import type { Timeline } from './timeline.ts';

/** World-level constants every person simulation reads. */
export type SimContext = {
  seed: number;
  seedHash: number;
  people: number;
  days: number;
  /** Epoch ms of 00:00 UTC on the first day of the window. */
  startMs: number;
  /** UTC weekday of day 0 (0 = Sunday). */
  startWeekday: number;
  dates: readonly string[];
  plan: MediaPlan;
};

export type PersonState = {
  signedUp: boolean;
  /** Checked out as a guest at least once (their guest id is aliased at sign-up). */
  guestUsed: boolean;
  aliased: boolean;
  orders: number;
  lastOrderDay: number;
  /** Day of the latest abandoned cart, −1 if none pending (triggers a cart e-mail next day). */
  cartAbandonedDay: number;
  storeOrders: number;
  visits: number;
};

export function createPersonState(): PersonState {
  return { signedUp: false, guestUsed: false, aliased: false, orders: 0, lastOrderDay: -1, cartAbandonedDay: -1, storeOrders: 0, visits: 0 };
}

export type CampaignEventKind = 'impression' | 'click' | 'send';

/** Facts the simulation reports; every method must be cheap (called millions of times). */
export interface SimSink {
  touch(channel: number, day: number): void;
  campaignEvent(kind: CampaignEventKind, campaign: number, day: number): void;
  /** cause = channel index or −1 (baseline); orderNumber counts from 1 per person. */
  order(day: number, cause: number, revenue: number, orderNumber: number): void;
  visit(device: Device): void;
  customer(row: CustomerRow): void;
  storeOrder(row: OfflineOrderRow): void;
  personDone(person: Person, state: PersonState): void;
}

/** A sink that drops everything: used when re-simulating people to stream their messages. */
export const NULL_SINK: SimSink = {
  touch: () => undefined,
  campaignEvent: () => undefined,
  order: () => undefined,
  visit: () => undefined,
  customer: () => undefined,
  storeOrder: () => undefined,
  personDone: () => undefined,
};

/** Everything a visit needs about the person being simulated, on the current day. */
export type PersonSim = {
  ctx: SimContext;
  rng: Rng;
  person: Person;
  state: PersonState;
  timeline: Timeline;
  sink: SimSink;
  day: number;
  /** The page or screen the person is on in the current visit. */
  page: PageRef | undefined;
};
