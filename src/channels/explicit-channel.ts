import { GA4_CHANNELS } from './default-rules.ts';

/**
 * Channels stated by the event itself. Messages sent by e-mail, SMS and push tools, ad-platform
 * imports and point-of-sale systems carry `properties.channel` ("email", "paid_social",
 * "Paid Search", "store" …). That statement is a fact, not a guess, so it wins over every rule.
 *
 * GA4 has no channel for offline sales. Tributary adds one, "Offline", for store and
 * point-of-sale visits; it is only ever set this way (no URL rule can produce it).
 */

/** Tributary's extra channel for store and point-of-sale activity. */
export const OFFLINE_CHANNEL = 'Offline';

/**
 * Spellings that name a channel other than by its GA4 name (keys are normalised: lower case,
 * `_`/`-`/blanks collapsed to one space). GA4 names themselves are always accepted.
 */
export const EXPLICIT_CHANNEL_ALIASES: Readonly<Record<string, string>> = {
  'e mail': 'Email',
  affiliate: 'Affiliates',
  push: 'Mobile Push Notifications',
  'mobile push': 'Mobile Push Notifications',
  'push notification': 'Mobile Push Notifications',
  'push notifications': 'Mobile Push Notifications',
  'mobile push notification': 'Mobile Push Notifications',
  'text message': 'SMS',
  offline: OFFLINE_CHANNEL,
  store: OFFLINE_CHANNEL,
  'in store': OFFLINE_CHANNEL,
  instore: OFFLINE_CHANNEL,
  pos: OFFLINE_CHANNEL,
  'point of sale': OFFLINE_CHANNEL,
  retail: OFFLINE_CHANNEL,
};

/** `Paid_Social ` → `paid social`: the form names and aliases are compared in. */
export function normaliseChannelKey(value: string): string {
  return value.trim().toLowerCase().split(/[\s_-]+/).filter(Boolean).join(' ');
}

const KNOWN = new Map<string, string>([
  ...GA4_CHANNELS.map((name): [string, string] => [normaliseChannelKey(name), name]),
  ...Object.entries(EXPLICIT_CHANNEL_ALIASES).map(([alias, name]): [string, string] => [normaliseChannelKey(alias), name]),
]);

/** `paid_tv-spots` → `Paid Tv Spots`: words split on `_`, `-` and blanks, each capitalised. */
export function titleCaseChannel(value: string): string {
  return normaliseChannelKey(value)
    .split(' ')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/** The channel an explicit value maps to. */
export interface ExplicitChannel {
  readonly channel: string;
  /** False when the value was not a known name or alias and was kept as given (title-cased). */
  readonly known: boolean;
}

/**
 * The channel an explicit value names, or null when it is absent or blank.
 *
 * Known values (GA4 names in any case with `_`/`-`/space variants, the aliases above, and
 * Offline) map to their canonical name. An unknown value is kept, title-cased, as a channel of
 * its own ("tv" → "Tv", "partner_network" → "Partner Network"): the sender told us the channel,
 * and silently turning that into "Unassigned" would lose it.
 */
export function mapExplicitChannel(value: string | null | undefined): ExplicitChannel | null {
  if (value === null || value === undefined) return null;
  const key = normaliseChannelKey(value);
  if (key === '') return null;
  const known = KNOWN.get(key);
  return known ? { channel: known, known: true } : { channel: titleCaseChannel(value), known: false };
}
