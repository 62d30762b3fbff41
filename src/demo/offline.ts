/**
 * CRM / point-of-sale data: loyalty customers and store orders, as a retailer's export would give
 * them. Two populations: store shoppers who are also online people (their e-mails are written
 * with different case and stray spaces on purpose, to exercise identity normalisation) and
 * offline-only customers who never appear online (their e-mails use a `first_last` form that no
 * online address has, so they can never match by accident).
 */
import type { Person } from './people.ts';
import { Rng, STREAM } from './prng.ts';
import { EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, PLACES } from './reference-data.ts';

export type LoyaltyTier = 'bronze' | 'silver' | 'gold';

export type CustomerRow = {
  externalId: string;
  email?: string;
  phone?: string;
  firstName: string;
  lastName: string;
  traits: { city: string; country: string; homeStoreId: string; loyaltyTier: LoyaltyTier };
};

export type OfflineOrderRow = {
  orderId: string;
  externalId: string;
  /** As typed at the till: may differ in case and whitespace from the online address. */
  email?: string;
  date: string;
  revenue: number;
  currency: 'USD';
  storeId: string;
};

/** Store visits that end in a purchase. */
export const STORE_PURCHASE_RATE = 0.55;
/** Offline-only customers per simulated online person. */
const OFFLINE_ONLY_PER_PERSON = 0.03;

const capitalise = (s: string): string => (s.length === 0 ? s : s[0].toUpperCase() + s.slice(1));

/**
 * The same address as a person would type it at a till: capitalised parts, upper case and/or
 * surrounding spaces. Normalising (trim + lower-case) always gives back the original.
 */
export function messyEmail(rng: Rng, email: string): string {
  const [local, domain] = email.split('@');
  switch (rng.weighted([0.3, 0.25, 0.1, 0.15, 0.2])) {
    case 0: return email;
    case 1: return `${local.split('.').map(capitalise).join('.')}@${capitalise(domain)}`;
    case 2: return email.toUpperCase();
    case 3: return `  ${email} `;
    default: return ` ${local.split('.').map(capitalise).join('.')}@${capitalise(domain)}  `;
  }
}

/** A phone as a store clerk types it: national format for North America, spaced otherwise. */
function loosePhone(rng: Rng, e164: string): string {
  if (e164.startsWith('+1') && rng.chance(0.7)) {
    const d = e164.slice(2);
    return `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`;
  }
  return rng.chance(0.5) ? e164 : `${e164.slice(0, 3)} ${e164.slice(3, 6)} ${e164.slice(6)}`;
}

export function crmIdFor(person: Person): string {
  return `crm-${String(person.index).padStart(8, '0')}`;
}

/** The loyalty record of an online person who also shops in a store. */
export function crmCustomerFor(rng: Rng, person: Person): CustomerRow {
  const row: CustomerRow = {
    externalId: crmIdFor(person),
    email: messyEmail(rng, person.email),
    firstName: person.firstName,
    lastName: person.lastName,
    traits: { city: person.city, country: person.country, homeStoreId: person.storeId ?? '', loyaltyTier: rng.pick(['bronze', 'bronze', 'silver', 'gold'] as const) },
  };
  if (rng.chance(0.5)) row.phone = loosePhone(rng, person.phone);
  return row;
}

export function storeBasketValue(rng: Rng): number {
  return Math.round(rng.lognormal(78, 0.55) * 100) / 100;
}

/** A store order of an online person; the e-mail is on 70% of receipts, typed loosely. */
export function storeOrderFor(rng: Rng, person: Person, orderNo: number, date: string): OfflineOrderRow {
  const row: OfflineOrderRow = {
    orderId: `pos-${String(person.index).padStart(8, '0')}-${orderNo}`,
    externalId: crmIdFor(person),
    date,
    revenue: storeBasketValue(rng),
    currency: 'USD',
    storeId: person.storeId ?? '',
  };
  if (rng.chance(0.7)) row.email = messyEmail(rng, person.email);
  return row;
}

const STORES = PLACES.flatMap((p) => (p.storeId ? [p] : []));
/** Area codes no online person gets, so offline-only phones never collide with online ones. */
const OFFLINE_AREA_CODES = ['718', '323', '773'];

/** Customers known only to the POS, with 1+ store orders each spread over the window. */
export function generateOfflineOnly(seed: number, people: number, dates: readonly string[]): { customers: CustomerRow[]; orders: OfflineOrderRow[] } {
  const rng = new Rng(seed, 2, STREAM.offline);
  const count = Math.round(people * OFFLINE_ONLY_PER_PERSON);
  const customers: CustomerRow[] = [];
  const orders: OfflineOrderRow[] = [];
  for (let n = 0; n < count; n++) {
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    const store = rng.pick(STORES);
    const externalId = `pos-${String(n).padStart(8, '0')}`;
    const email = `${firstName.toLowerCase()}_${lastName.toLowerCase()}${n}@${rng.pick(EMAIL_DOMAINS)}`;
    const hasEmail = rng.chance(0.85);
    const orderCount = 1 + rng.poisson(0.8);
    const tier: LoyaltyTier = orderCount >= 3 ? 'gold' : orderCount === 2 ? 'silver' : 'bronze';
    const row: CustomerRow = {
      externalId,
      firstName,
      lastName,
      traits: { city: store.city, country: store.country, homeStoreId: store.storeId ?? '', loyaltyTier: tier },
    };
    if (hasEmail) row.email = rng.chance(0.3) ? messyEmail(rng, email) : email;
    row.phone = `+1${rng.pick(OFFLINE_AREA_CODES)}${String((n * 7919 + 13) % 10_000_000).padStart(7, '0')}`;
    customers.push(row);
    const days = Array.from({ length: orderCount }, () => rng.int(0, dates.length)).sort((a, b) => a - b);
    days.forEach((day, k) => {
      const order: OfflineOrderRow = { orderId: `pos-x${n.toString(36)}-${k + 1}`, externalId, date: dates[day], revenue: storeBasketValue(rng), currency: 'USD', storeId: store.storeId ?? '' };
      if (hasEmail && rng.chance(0.7)) order.email = email;
      orders.push(order);
    });
  }
  return { customers, orders };
}
