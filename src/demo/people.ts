/**
 * Who a simulated person is: identity (names, ids, contact points, devices) and the latent traits
 * that drive behaviour (arrival day, engagement, purchase propensity, ad exposure). Drawn from the
 * person's own random stream so any person can be regenerated alone.
 *
 * Identifiers are unique by construction, not by luck: each embeds a bijective mix of the person
 * index (userId, anonymousId) or the index itself (email, phone), so no two people collide even in
 * a 10-million-person world.
 */
import { CH, CHANNEL_COUNT } from './catalog.ts';
import type { DeviceType } from './messages.ts';
import { hex8, mix32, type Rng } from './prng.ts';
import {
  APP_PLATFORMS, DESKTOP_AGENTS, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, LOCALES, MOBILE_AGENTS,
  PLACES, PLACE_WEIGHTS, TABLET_AGENTS, type AppPlatform, type CountryCode,
} from './reference-data.ts';

export type Device = {
  anonymousId: string;
  type: DeviceType;
  /** Set for the native app; null for a browser. */
  app: AppPlatform | null;
  userAgent: string;
  ip: string;
  /** The userId currently stored on the device (analytics.js cookie / app storage), if any. */
  userId: string | undefined;
  /**
   * Whether ad platforms can match this browser to our anonymousId (pixel / cookie sync). Only
   * matched devices produce `Ad Impression` messages; unmatched impressions still act (truth).
   */
  adMatched: boolean;
};

export type Person = {
  index: number;
  firstName: string;
  lastName: string;
  email: string;
  /** E.164; only shared at sign-up by people with `sharesPhone`. */
  phone: string;
  sharesPhone: boolean;
  city: string;
  country: CountryCode;
  locale: string;
  userId: string;
  guestId: string;
  devices: Device[];
  /** Relative chance each device is used for a self-initiated visit. */
  deviceWeights: number[];
  /** Index of the app device, or −1. */
  appDevice: number;
  arrivalDay: number;
  /** Single-visit people: they never come back after their arrival day. */
  bouncer: boolean;
  churnHazard: number;
  /** Expected self-initiated return visits per active day. */
  visitRate: number;
  /** Multiplier of the baseline purchase hazard (mean ≈ 1 over engaged people). */
  propensity: number;
  /** Multiplier of paid exposure per channel (some people see far more ads). */
  affinity: Float64Array;
  /** Chance per visit of creating an account while anonymous. */
  signupPerVisit: number;
  emailOptIn: boolean;
  smsOptIn: boolean;
  pushOptIn: boolean;
  /** Per-person click-through multiplier for owned messages. */
  engagement: number;
  storeId: string | undefined;
  storeVisitRate: number;
};

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Share of browsers whose ad impressions reach us as events (the rest are seen only in spend rows). */
const AD_MATCH_RATE = 0.6;

/** A random-looking UUID whose last group encodes (index, slot), so it is unique per device. */
function anonymousIdFor(rng: Rng, index: number, slot: number): string {
  const a = hex8(rng.uint32());
  const b = hex8(rng.uint32());
  const tail = hex8(mix32(index * 4 + slot)) + hex8(rng.uint32()).slice(0, 4);
  const variant = '89ab'[rng.int(0, 4)];
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${hex8(rng.uint32()).slice(0, 3)}-${tail}`;
}

/** A plausible public IPv4 (avoids private, loopback and multicast ranges). */
function publicIp(rng: Rng): string {
  const first = rng.pick([24, 47, 50, 63, 66, 68, 71, 73, 76, 81, 86, 92, 98, 99, 107, 108, 174, 184, 203, 209]);
  return `${first}.${rng.int(0, 256)}.${rng.int(0, 256)}.${rng.int(1, 255)}`;
}

function makeDevice(rng: Rng, index: number, slot: number, type: DeviceType, app: AppPlatform | null): Device {
  const agents = type === 'desktop' ? DESKTOP_AGENTS : type === 'tablet' ? TABLET_AGENTS : MOBILE_AGENTS;
  const userAgent = app
    ? `TributaryShop/3.2.1 (${app.model}; ${app.os} ${app.osVersion})`
    : rng.pick(agents);
  return { anonymousId: anonymousIdFor(rng, index, slot), type, app, userAgent, ip: publicIp(rng), userId: undefined, adMatched: !app && rng.chance(AD_MATCH_RATE) };
}

/** 1–3 devices: a primary browser, sometimes a second browser, sometimes the native app. */
function makeDevices(rng: Rng, index: number): { devices: Device[]; weights: number[]; appDevice: number } {
  const primary: DeviceType = rng.chance(0.36) ? 'desktop' : rng.chance(0.88) ? 'mobile' : 'tablet';
  const devices = [makeDevice(rng, index, 0, primary, null)];
  const weights = [1];
  if (rng.chance(0.3)) {
    const second: DeviceType = primary === 'desktop' ? (rng.chance(0.85) ? 'mobile' : 'tablet') : 'desktop';
    devices.push(makeDevice(rng, index, 1, second, null));
    weights.push(0.6);
  }
  let appDevice = -1;
  if (rng.chance(0.12)) {
    appDevice = devices.length;
    devices.push(makeDevice(rng, index, 2, 'mobile', rng.pick(APP_PLATFORMS)));
    weights.push(1.2);
  }
  return { devices, weights, appDevice };
}

const AREA_CODES: Record<CountryCode, readonly string[]> = {
  US: ['212', '310', '312', '512', '206', '303', '617', '305', '404', '415'],
  CA: ['416', '604', '514'],
  GB: ['7700', '7911', '7400'],
  DE: ['151', '160', '171'],
};
const DIAL: Record<CountryCode, string> = { US: '+1', CA: '+1', GB: '+44', DE: '+49' };

/** E.164 number; the subscriber part is a bijection of the index, so numbers never repeat. */
function phoneFor(rng: Rng, index: number, country: CountryCode): string {
  const subscriber = pad((index * 7919 + 1_000_003) % 10_000_000, 7);
  return `${DIAL[country]}${rng.pick(AREA_CODES[country])}${subscriber}`;
}

/** Lower-case address; the trailing digits are the person index, hence unique. */
function emailFor(rng: Rng, index: number, first: string, last: string): string {
  const f = first.toLowerCase();
  const l = last.toLowerCase();
  const local = [`${f}.${l}${index}`, `${f}${l[0]}${index}`, `${f[0]}${l}${index}`][rng.int(0, 3)];
  return `${local}@${rng.pick(EMAIL_DOMAINS)}`;
}

function makeAffinity(rng: Rng): Float64Array {
  const affinity = new Float64Array(CHANNEL_COUNT);
  for (const c of [CH.brand, CH.nonbrand, CH.social, CH.display, CH.video, CH.affiliate]) {
    affinity[c] = rng.lognormal(1, 0.8);
  }
  return affinity;
}

/** Draws person `index` of a world with `days` days. Consumes a fixed-shape prefix of `rng`. */
export function createPerson(rng: Rng, index: number, days: number): Person {
  const firstName = rng.pick(FIRST_NAMES);
  const lastName = rng.pick(LAST_NAMES);
  const place = PLACES[rng.weighted(PLACE_WEIGHTS)];
  const { devices, weights, appDevice } = makeDevices(rng, index);
  const bouncer = rng.chance(0.45);
  const isStoreShopper = place.storeId !== undefined && rng.chance(0.15);
  return {
    index,
    firstName,
    lastName,
    email: emailFor(rng, index, firstName, lastName),
    phone: phoneFor(rng, index, place.country),
    sharesPhone: rng.chance(0.6),
    city: place.city,
    country: place.country,
    locale: rng.pick(LOCALES[place.country]),
    userId: `usr_${hex8(mix32(index ^ 0x5bd1e995))}`,
    guestId: `guest_${hex8(mix32(index ^ 0x27d4eb2f))}`,
    devices,
    deviceWeights: weights,
    appDevice,
    arrivalDay: rng.int(0, days),
    bouncer,
    churnHazard: 1 / rng.lognormal(55, 0.7),
    visitRate: Math.min(1.2, rng.lognormal(0.1, 0.9)),
    propensity: rng.lognormal(1, 1) * (bouncer ? 0.35 : 1),
    affinity: makeAffinity(rng),
    signupPerVisit: rng.lognormal(0.1, 0.6),
    emailOptIn: rng.chance(0.75),
    smsOptIn: rng.chance(0.35),
    pushOptIn: rng.chance(0.6),
    engagement: rng.lognormal(1, 0.6),
    storeId: isStoreShopper ? place.storeId : undefined,
    storeVisitRate: isStoreShopper ? rng.lognormal(0.015, 0.5) : 0,
  };
}
