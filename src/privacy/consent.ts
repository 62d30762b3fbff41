/**
 * Consent per purpose (pure). Preferences arrive per category, the way consent management
 * platforms and Segment send them (`context.consent.categoryPreferences`, e.g.
 * `{"Advertising": false, "Analytics": true}`); each capability asks about a purpose, and the
 * policy maps categories to purposes.
 */
export const PURPOSES = ['analytics', 'advertising', 'personalization', 'export'] as const;
export type Purpose = (typeof PURPOSES)[number];

/** Category → granted, with category ids lower-cased. */
export type Preferences = Readonly<Record<string, boolean>>;

export interface ConsentPolicy {
  /** Which categories (lower-case ids) speak for each purpose. */
  readonly categories: Readonly<Record<Purpose, readonly string[]>>;
  /** The decision for a person who never said anything about a purpose... */
  readonly defaultGranted: boolean;
  /** ...unless their country (ISO code or name as sent in context.location.country) has its own default. */
  readonly regionDefaults: Readonly<Record<string, boolean>>;
}

export const DEFAULT_CONSENT_POLICY: ConsentPolicy = {
  categories: {
    analytics: ['analytics', 'performance', 'measurement', 'statistics', 'c0002'],
    advertising: ['advertising', 'marketing', 'targeting', 'ads', 'c0004'],
    personalization: ['personalization', 'functional', 'preferences', 'c0003'],
    export: ['datasharing', 'data_sharing', 'sale_of_data', 'advertising', 'c0005'],
  },
  defaultGranted: true,
  regionDefaults: {},
};

/** Track events that carry a consent change in their properties. */
export const CONSENT_EVENTS = ['Segment Consent Preference Updated', 'Consent Updated', 'Consent Preferences Updated'] as const;

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => v !== null && typeof v === 'object' && !Array.isArray(v);

function toPreferences(v: unknown): Record<string, boolean> | null {
  if (!isDict(v)) return null;
  const out: Record<string, boolean> = {};
  for (const [k, value] of Object.entries(v)) {
    if (typeof value === 'boolean') out[k.trim().toLowerCase()] = value;
    else if (value === 'true' || value === 'false') out[k.trim().toLowerCase()] = value === 'true';
  }
  return out;
}

/**
 * The consent a message states, or null when it states none: Segment's consent object on any
 * message, an identify's `traits.consent`, or a consent event's properties. An empty
 * `categoryPreferences` object is a statement too (see `mergePreferences`).
 */
export function consentOfMessage(m: { type: string; event?: string | null; context?: unknown; traits?: unknown; properties?: unknown }): Record<string, boolean> | null {
  const fromContext = isDict(m.context) && isDict(m.context.consent) ? toPreferences(m.context.consent.categoryPreferences) : null;
  if (fromContext) return fromContext;
  if (m.type === 'identify' && isDict(m.traits) && m.traits.consent !== undefined) {
    const c = m.traits.consent;
    return toPreferences(isDict(c) && isDict(c.categoryPreferences) ? c.categoryPreferences : c);
  }
  if (m.type === 'track' && (CONSENT_EVENTS as readonly string[]).includes(m.event ?? '') && isDict(m.properties)) {
    const p = m.properties;
    return toPreferences(p.categoryPreferences ?? (isDict(p.consent) && isDict(p.consent.categoryPreferences) ? p.consent.categoryPreferences : p.consent));
  }
  return null;
}

/**
 * The preferences after an update. Categories in the update replace the current ones; an empty
 * update withdraws every category given so far (Segment's semantics for an empty object).
 */
export function mergePreferences(current: Preferences, update: Preferences): Record<string, boolean> {
  if (Object.keys(update).length === 0) return Object.fromEntries(Object.keys(current).map((k) => [k, false]));
  return { ...current, ...update };
}

export function samePreferences(a: Preferences, b: Preferences): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
}

export type DecisionBasis = 'consent' | 'region' | 'default';

/**
 * Whether a purpose is allowed: a refusal of any category mapped to it wins, then a grant of any,
 * then the region's default, then the policy's.
 */
export function decidePurpose(prefs: Preferences | null, purpose: Purpose, policy: ConsentPolicy, country: string | null = null): { allowed: boolean; basis: DecisionBasis } {
  const mapped = policy.categories[purpose].filter((c) => prefs !== null && c in prefs);
  if (mapped.some((c) => prefs![c] === false)) return { allowed: false, basis: 'consent' };
  if (mapped.length > 0) return { allowed: true, basis: 'consent' };
  if (country !== null && country in policy.regionDefaults) return { allowed: policy.regionDefaults[country], basis: 'region' };
  return { allowed: policy.defaultGranted, basis: 'default' };
}

/** The policy from configuration: the default mapping plus extra categories, and the region defaults. */
export function consentPolicyOf(settings: {
  readonly defaultGranted: boolean;
  readonly deniedRegions: readonly string[];
  readonly grantedRegions: readonly string[];
  readonly categories: Readonly<Record<string, readonly string[]>>;
}): ConsentPolicy {
  const categories = { ...DEFAULT_CONSENT_POLICY.categories } as Record<Purpose, readonly string[]>;
  for (const [purpose, extra] of Object.entries(settings.categories)) {
    if (!(PURPOSES as readonly string[]).includes(purpose)) throw new RangeError(`consent categories: "${purpose}" is not a purpose (one of ${PURPOSES.join(', ')})`);
    categories[purpose as Purpose] = [...new Set([...categories[purpose as Purpose], ...extra.map((c) => c.trim().toLowerCase())])];
  }
  const regionDefaults: Record<string, boolean> = {};
  for (const r of settings.deniedRegions) regionDefaults[r] = false;
  for (const r of settings.grantedRegions) regionDefaults[r] = true;
  return { categories, defaultGranted: settings.defaultGranted, regionDefaults };
}
