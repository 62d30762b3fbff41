import type { Store } from '../store/index.ts';
import { consentOfMessage, decidePurpose, mergePreferences, PURPOSES, samePreferences, type ConsentPolicy, type DecisionBasis, type Preferences, type Purpose } from '../privacy/index.ts';
import {
  consentCandidatesSql,
  consentExclusionSql,
  consentWatermarkSql,
  currentConsentSql,
  insertConsentChangeSql,
  latestReceivedSql,
  personConsentHistorySql,
  personCategoriesSql,
  setConsentWatermarkSql,
  upsertConsentCurrentSql,
} from './consent.sql.ts';
import { sql } from '../store/index.ts';

interface Candidate {
  message_id: string;
  type: string;
  event: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  at: number;
  context: string | null;
  traits: string | null;
  properties: string | null;
}

const parse = (text: string | null): unknown => {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

/**
 * Brings consent up to date with the events received since the last run: each message that
 * states consent updates the preferences of its userId and its anonymousId, and a change (only a
 * change) is recorded with the message that made it. Answers the number of changes.
 */
export async function refreshConsent(store: Store): Promise<number> {
  // Before any read: every event received up to `settled` is committed by now, so the next run
  // can start right after this one's watermark.
  const settled = store.receipts.settled();
  const [mark] = await store.query<{ value: string }>(consentWatermarkSql());
  const after = mark ? Number(mark.value) : 0;
  const [{ ms }] = await store.query<{ ms: number }>(latestReceivedSql());
  const upTo = Math.min(Number(ms), settled);
  if (upTo <= after) return 0;
  const rows = await store.query<Candidate>(consentCandidatesSql(after, upTo));
  const current = new Map<string, Preferences>();
  for (const kind of ['user_id', 'anonymous_id'] as const) {
    const ids = [...new Set(rows.map((r) => (kind === 'user_id' ? r.user_id : r.anonymous_id)).filter((v): v is string => v !== null))];
    if (ids.length === 0) continue;
    for (const r of await store.query<{ visitor_id: string; preferences: string }>(currentConsentSql(kind, ids))) {
      current.set(`${kind}\u0000${r.visitor_id}`, JSON.parse(r.preferences) as Preferences);
    }
  }
  const changes: Array<{ kind: string; visitorId: string; at: Date; messageId: string; origin: string; preferences: string }> = [];
  for (const r of rows) {
    const stated = consentOfMessage({ type: r.type, event: r.event, context: parse(r.context), traits: parse(r.traits), properties: parse(r.properties) });
    if (stated === null) continue;
    const origin = r.type === 'track' && r.event ? `event:${r.event}` : r.type === 'identify' && !(r.context ?? '').includes('categoryPreferences') ? 'traits' : 'context';
    for (const [kind, id] of [['user_id', r.user_id], ['anonymous_id', r.anonymous_id]] as const) {
      if (id === null) continue;
      const key = `${kind}\u0000${id}`;
      const before = current.get(key) ?? {};
      const after = mergePreferences(before, stated);
      if (current.has(key) && samePreferences(before, after)) continue;
      current.set(key, after);
      changes.push({ kind, visitorId: id, at: new Date(Number(r.at)), messageId: r.message_id, origin, preferences: JSON.stringify(after) });
    }
  }
  await store.transaction(async (tx) => {
    for (const c of changes) {
      await tx.exec(insertConsentChangeSql(c));
      await tx.exec(upsertConsentCurrentSql(c));
    }
    await tx.exec(setConsentWatermarkSql(upTo));
  });
  return changes.length;
}

export interface PersonConsent {
  /** Latest category preferences (lower-case ids), or null when the person never stated any. */
  readonly preferences: Preferences | null;
  readonly updatedAt: string | null;
  /** The decision per purpose and what it rests on (their consent, their region, the default). */
  readonly purposes: Readonly<Record<Purpose, { allowed: boolean; basis: DecisionBasis }>>;
  readonly history: ReadonlyArray<{ changedAt: string; via: string; messageId: string; origin: string; preferences: Preferences }>;
}

/** A person's consent: current preferences, the decision per purpose, and the history of changes. */
export async function personConsent(store: Store, personId: string, policy: ConsentPolicy): Promise<PersonConsent> {
  const categories = await store.query<{ category: string; granted: boolean | null; changed_at: string }>(
    sql`SELECT category, granted, strftime(changed_at, '%Y-%m-%dT%H:%M:%SZ') AS changed_at FROM ${personCategoriesSql(store.dialect)} AS c
        WHERE person_id = ${personId} ORDER BY category`,
  );
  const history = await store.query<{ changed_at: string; kind: string; message_id: string; origin: string; preferences: string }>(
    personConsentHistorySql(store.dialect, personId, 50),
  );
  const prefs = categories.length === 0 ? null : Object.fromEntries(categories.filter((c) => c.granted !== null).map((c) => [c.category, c.granted === true]));
  return {
    preferences: prefs,
    updatedAt: categories.reduce<string | null>((latest, c) => (latest === null || c.changed_at > latest ? c.changed_at : latest), null),
    purposes: Object.fromEntries(PURPOSES.map((p) => [p, decidePurpose(prefs, p, policy)])) as PersonConsent['purposes'],
    history: history.map((h) => ({ changedAt: h.changed_at, via: h.kind, messageId: h.message_id, origin: h.origin, preferences: JSON.parse(h.preferences) as Preferences })),
  };
}

export interface ConsentReport {
  readonly policy: ConsentPolicy;
  readonly purposes: ReadonlyArray<{ purpose: Purpose; excludedPeople: number; excludedEvents: number }>;
}

/** How many people and events each purpose leaves out under the policy. */
export async function consentReport(store: Store, policy: ConsentPolicy): Promise<ConsentReport> {
  const purposes = await Promise.all(
    PURPOSES.map(async (purpose) => {
      const [row] = await store.query<{ people: number; events: number }>(consentExclusionSql(store.dialect, purpose, policy));
      return { purpose, excludedPeople: Number(row.people), excludedEvents: Number(row.events) };
    }),
  );
  return { policy, purposes };
}
