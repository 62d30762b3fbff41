/**
 * KPIs and cohort tables from the store: the SQL `GET /api/kpis` and `GET /api/retention` run,
 * on 10M raw events, printing the figures and the ratio to the target (KPIs ≤ 0.5 s).
 *
 *   node --import tsx bench/analytics-kpis.bench.ts [--events 10000000] [--runs 3] [--keep DIR]
 *
 * The world is generated in SQL, stored in time order as ingestion stores it: visitors (an
 * md5 anonymousId each) with 1–3 sessions of 2–14 hits over 180 days, half of them signed in
 * from their second session (identify + userId, linked in the identity tables), a quarter of
 * those sessions ending in an order; sessions and touches (a fifth of sessions preceded by an
 * ad impression touch) over 12 channels; daily spend per channel and campaign. The activity
 * rollups are built once (timed separately), as the first query after an import would.
 *
 * Queries run as the server runs them, with the consent filter for analytics: first with nobody
 * having refused (the filter then costs one tiny query), then with 1% of signed-in people having
 * refused analytics.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDbStore, raw } from '../src/store/index.ts';
import { consentScope, kpiQuerySchema, kpisFromStore, refreshActivity, retentionFromStore, retentionQuerySchema } from '../src/analytics/index.ts';
import { DEFAULT_CONSENT_POLICY } from '../src/privacy/index.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '10000000' }, runs: { type: 'string', default: '3' }, keep: { type: 'string' } } });
const EVENTS = Number(values.events);
const RUNS = Number(values.runs);
const PEOPLE = Math.round(EVENTS / 18);
const DAYS = 180;
const TARGET_S = 0.5;
const CHANNELS = ['Paid Search', 'Organic Search', 'Paid Social', 'Organic Social', 'Email', 'Display', 'Direct', 'Referral', 'Affiliates', 'SMS', 'Mobile Push Notifications', 'Paid Video'];
const channelList = `['${CHANNELS.join("','")}']`;
const n = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
const s = (ms: number): string => (ms / 1000).toFixed(2);

// --keep DIR: keep the database in DIR (for profiling) instead of a temporary directory.
const dir = values.keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-bench-'));
fs.mkdirSync(dir, { recursive: true });
if (fs.existsSync(path.join(dir, 'bench.duckdb'))) throw new Error(`${dir} already holds a bench database`);
const store = await DuckDbStore.open({ path: path.join(dir, 'bench.duckdb') });
let t0 = performance.now();
await store.exec(raw(`
  CREATE TEMP TABLE gen_sessions AS
  SELECT p, j, (hash(p * 7) % 2 = 0) AS signed_in, md5('a' || p) AS anon,
    TIMESTAMP '2025-01-01' + to_seconds((hash(p) % ${DAYS - 30}) * 86400 + j * (1 + hash(p, j) % 7) * 86400 + (hash(p * 5, j) % 86000)) AS start,
    2 + hash(p * 11, j) % 13 AS hits,
    ${channelList}[1 + (hash(p * 13, j) % 12)::INT] AS channel,
    (hash(p * 7) % 2 = 0) AND j >= 1 AND hash(p * 17, j) % 100 < 25 AS converts
  FROM range(${PEOPLE}) t(p), range(3) s(j) WHERE j <= hash(p * 3) % 4`));
await store.exec(raw(`
  INSERT INTO events (message_id, source_id, type, event, anonymous_id, user_id, timestamp, received_at, revenue)
  SELECT 'e' || p || '-' || j || '-' || k, 'src_bench',
    CASE WHEN k = 0 THEN 'page' WHEN signed_in AND j = 1 AND k = 1 THEN 'identify' WHEN converts AND k = hits - 1 THEN 'track' WHEN k % 3 = 0 THEN 'track' ELSE 'page' END,
    CASE WHEN k = 0 OR (signed_in AND j = 1 AND k = 1) THEN NULL WHEN converts AND k = hits - 1 THEN 'Order Completed' WHEN k % 3 = 0 THEN 'Product Viewed' END,
    anon, CASE WHEN signed_in AND j >= 1 AND k >= 1 THEN 'u' || p END,
    start + to_seconds(k * 60), start + to_seconds(k * 60 + 1),
    CASE WHEN converts AND k = hits - 1 THEN 20 + (p % 80) END
  FROM gen_sessions, range(15) r(k) WHERE k < hits ORDER BY 7`));
await store.exec(raw(`
  INSERT INTO sessions
  SELECT 'e' || p || '-' || j || '-0', anon, anon, CASE WHEN signed_in AND j >= 1 THEN 'u' || p END, start, start + to_seconds((hits - 1) * 60), hits, 'k',
    channel, 'src' || (hash(p, j) % 5), 'med', 'camp' || (hash(p, j) % 4), NULL, NULL,
    ['desktop', 'mobile', 'tablet'][1 + (hash(p, j, 1) % 3)::INT], ['US', 'DE', 'FR', 'GB'][1 + (hash(p, j, 2) % 4)::INT],
    hash(CASE WHEN signed_in AND j >= 1 THEN 'u' || p END, anon)
  FROM gen_sessions ORDER BY anon, start`));
await store.exec(raw(`
  INSERT INTO touches SELECT * FROM (
    SELECT session_id, visitor_key, anonymous_id, user_id, started_at, 'session', NULL, channel, source, medium, campaign, vk FROM sessions
    UNION ALL
    SELECT session_id || '-imp', visitor_key, anonymous_id, user_id, started_at - INTERVAL 2 HOUR, 'event', 'Ad Impression', 'Display', 'gdn', 'display', 'retarget', vk
    FROM sessions WHERE hash(session_id) % 5 = 0
  ) ORDER BY visitor_key, started_at`));
const signedIn = `FROM range(${PEOPLE}) t(p) WHERE hash(p * 7) % 2 = 0 AND hash(p * 3) % 4 >= 1`;
await store.exec(raw(`INSERT INTO identities SELECT 'user_id', 'u' || p, 'p_' || p, TIMESTAMP '2025-01-01', 'm', 1 ${signedIn}`));
await store.exec(raw(`INSERT INTO identities SELECT 'anonymous_id', md5('a' || p), 'p_' || p, TIMESTAMP '2025-01-01', 'm', 1 ${signedIn}`));
await store.exec(raw(`INSERT INTO people SELECT 'p_' || p, TIMESTAMP '2025-01-01', TIMESTAMP '2025-01-01', TIMESTAMP '2025-01-01',
  '{"plan":"' || ['free', 'pro', 'team'][1 + (p % 3)::INT] || '"}' ${signedIn}`));
await store.exec(raw(`
  INSERT INTO spend SELECT DATE '2025-01-01' + d::INT, c, 'camp' || k, 100 + hash(d, c, k) % 500, 10000 + hash(d, c) % 5000, 100 + hash(d, k) % 300, 'USD', now()::TIMESTAMP
  FROM range(${DAYS}) t(d), unnest(${channelList}) u(c), range(4) s(k)`));
await store.exec(raw('DROP TABLE gen_sessions'));
const count = async (table: string): Promise<number> => (await store.query<{ n: number }>(raw(`SELECT count(*) AS n FROM ${table}`)))[0].n;
console.log(
  `generated ${n(await count('events'))} events (${n(PEOPLE)} visitors), ${n(await count('sessions'))} sessions, ${n(await count('touches'))} touches, ` +
    `${n(await count('identities'))} identities, ${n(await count('spend'))} spend rows in ${s(performance.now() - t0)} s`,
);

t0 = performance.now();
const built = await refreshActivity(store);
console.log(
  `activity rollups built once in ${s(performance.now() - t0)} s: ${n(await count('analytics_activity'))} pair-hours, ` +
    `${n(await count('analytics_visitors'))} visitor pairs, ${n(await count('analytics_conversions'))} conversions (from ${n(built.pairHours)} staged pair-hours)`,
);
// A running server checkpoints as its WAL grows; time the queries on checkpointed tables.
await store.exec(raw('CHECKPOINT'));

async function time<T>(label: string, target: number | null, fn: () => Promise<T>, describe: (r: T) => string): Promise<void> {
  for (let run = 1; run <= RUNS; run++) {
    const start = performance.now();
    const result = await fn();
    const ms = performance.now() - start;
    const ratio = target === null ? '' : ` (target ≤ ${target} s, ratio ${(ms / 1000 / target).toFixed(2)})`;
    console.log(`${label} run ${run}: ${s(ms)} s${ratio} → ${describe(result)}`);
  }
}

const kpiRequest = (by?: string) => kpiQuerySchema.parse({ granularity: 'day', ...(by ? { by } : {}) });
const describeKpis = (r: Awaited<ReturnType<typeof kpisFromStore>>): string => {
  const t = r.totals;
  const top = [...r.breakdown].sort((a, b) => (b.revenue ?? 0) - (a.revenue ?? 0)).slice(0, 2);
  return (
    `${r.from}…${r.to}: ${n(t.people!)} people (${n(t.newPeople!)} new), ${n(t.sessions!)} sessions, ${n(t.conversions!)} conversions, ` +
    `revenue ${n(t.revenue!)}, spend ${n(t.spend!)}, ROAS ${t.roas?.toFixed(3)}, CAC ${t.cac?.toFixed(2)}; people vs previous ${((r.change.people ?? 0) * 100).toFixed(1)}%` +
    (top.length ? `; top ${top.map((b) => `${b.key} ${n(b.revenue!)}`).join(', ')} of ${r.breakdown.length} channels` : '')
  );
};
const scope = consentScope(store.dialect, 'analytics', DEFAULT_CONSENT_POLICY);
await time('KPIs, daily series, channel breakdown', TARGET_S, () => kpisFromStore(store, kpiRequest('channel'), { scope }), describeKpis);
await time('KPIs, daily series, no breakdown     ', TARGET_S, () => kpisFromStore(store, kpiRequest(), { scope }), describeKpis);

const describeCohorts = (r: Awaited<ReturnType<typeof retentionFromStore>>): string => {
  const sizes = r.cohorts.reduce((sum, c) => sum + c.size, 0);
  const first = r.cohorts[0];
  return `${r.cohorts.length} cohort rows, ${n(sizes)} members, ${r.periods} weeks; cohort ${first?.cohort}${first?.key ? ` ${first.key}` : ''}: ${first?.values.slice(0, 4).map((v) => `${(v * 100).toFixed(1)}%`).join(' ')}`;
};
await time('weekly cohorts, repeat purchase                ', null, () => retentionFromStore(store, retentionQuerySchema.parse({ cohort: 'week' }), { scope }), describeCohorts);
await time('weekly cohorts, repeat purchase, by channel    ', null, () => retentionFromStore(store, retentionQuerySchema.parse({ cohort: 'week', by: 'channel' }), { scope }), describeCohorts);

// 1% of signed-in people refuse analytics (as refreshConsent records a refusal).
await store.exec(raw(`INSERT INTO consent_current SELECT 'user_id', value, TIMESTAMP '2025-01-01', '{"analytics":false}'
  FROM identities WHERE kind = 'user_id' AND hash(value) % 100 = 0`));
console.log(`${n(await count('consent_current'))} people refused analytics`);
await time('KPIs, channel breakdown, 1% refused analytics', TARGET_S, () => kpisFromStore(store, kpiRequest('channel'), { scope }), describeKpis);
await time('weekly cohorts, 1% refused analytics         ', null, () => retentionFromStore(store, retentionQuerySchema.parse({ cohort: 'week' }), { scope }), describeCohorts);

await store.close();
if (values.keep === undefined) fs.rmSync(dir, { recursive: true, force: true });
