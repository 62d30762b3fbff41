/**
 * The API calls the dashboard's pages make for their charts and tables, with the parameters the
 * pages send (src/web/api/*.ts, src/web/pages/*.tsx). A call marked `ranged` is made for each
 * date range the bench measures (the shared range picker's presets); the others take no range.
 */

/** A date range as the dashboard's range picker gives it: inclusive days, UTC. */
export interface BenchRange {
  readonly label: string;
  readonly from: string;
  readonly to: string;
}

/** Values the calls need that are looked up in the world first (a signed-in visitor and their person). */
export interface CallContext {
  readonly userId: string;
  readonly anonymousId: string;
  readonly personId: string;
}

export interface DashboardCall {
  readonly page: string;
  readonly chart: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** Query parameters, in the page's order (`from`/`to` of a ranged call come first). */
  readonly params?: (ctx: CallContext) => Record<string, string>;
  /** JSON body of a POST; a ranged call's body gets `from`/`to`. */
  readonly body?: Record<string, unknown>;
  readonly ranged: boolean;
}

/** The Funnels page's starting funnel on a shop's events (funnels-state.ts `defaultDraft`). */
export const FUNNEL_STEPS = 'Product Viewed → Product Added → Checkout Started → Order Completed';
const FUNNEL = { steps: ['Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed'], window: '7d', mode: 'strict', countBy: 'person' };
/** The Attribution and Journeys pages' default settings (attribution-controls.tsx, journeys-controls.tsx). */
const ATTRIBUTION = { lookback: '30d', order: '1', nulls: 'true', by: 'channel', halfLife: '7d', model: 'first,last,linear,markov' };
const JOURNEYS = { lookback: '30d', by: 'channel' };

export const DASHBOARD_CALLS: readonly DashboardCall[] = [
  { page: 'Overview', chart: 'KPI tiles + daily trend (vs previous period)', method: 'GET', path: '/api/kpis', params: () => ({ granularity: 'day' }), ranged: true },
  { page: 'Overview', chart: 'spend and revenue by channel', method: 'GET', path: '/api/kpis', params: () => ({ granularity: 'month', by: 'channel', metrics: 'spend,revenue,roas' }), ranged: true },
  { page: 'Channels', chart: 'table + chart by channel', method: 'GET', path: '/api/kpis', params: () => ({ granularity: 'month', by: 'channel' }), ranged: true },
  { page: 'Channels', chart: 'table + chart by campaign', method: 'GET', path: '/api/kpis', params: () => ({ granularity: 'month', by: 'campaign' }), ranged: true },
  { page: 'Channels', chart: 'table + chart by source / medium', method: 'GET', path: '/api/kpis', params: () => ({ granularity: 'month', by: 'source_medium' }), ranged: true },
  { page: 'Attribution', chart: 'model comparison', method: 'GET', path: '/api/attribution/compare', params: () => ATTRIBUTION, ranged: true },
  { page: 'Attribution', chart: 'model comparison, Markov order 3', method: 'GET', path: '/api/attribution/compare', params: () => ({ ...ATTRIBUTION, order: '3' }), ranged: true },
  { page: 'Attribution', chart: 'model comparison, all eleven models ticked', method: 'GET', path: '/api/attribution/compare', params: () => ({ ...ATTRIBUTION, model: 'all' }), ranged: true },
  { page: 'Journeys', chart: 'top paths', method: 'GET', path: '/api/journeys/top', params: () => ({ ...JOURNEYS, limit: '10' }), ranged: true },
  { page: 'Journeys', chart: 'channel flows (Sankey)', method: 'GET', path: '/api/journeys/flows', params: () => ({ ...JOURNEYS, depth: '4' }), ranged: true },
  { page: 'Journeys', chart: 'time and touches to convert', method: 'GET', path: '/api/journeys/timing', params: () => JOURNEYS, ranged: true },
  { page: 'Funnels', chart: 'event catalog (step picker)', method: 'GET', path: '/api/events/catalog', ranged: true },
  { page: 'Funnels', chart: 'funnel', method: 'POST', path: '/api/funnels', body: FUNNEL, ranged: true },
  { page: 'Funnels', chart: 'funnel by channel', method: 'POST', path: '/api/funnels', body: { ...FUNNEL, by: 'channel' }, ranged: true },
  { page: 'Funnels', chart: 'people who dropped after step 1', method: 'POST', path: '/api/funnels/dropped', body: { ...FUNNEL, step: 1, limit: 50 }, ranged: true },
  { page: 'Retention', chart: 'weekly cohorts', method: 'GET', path: '/api/retention', params: () => ({ cohort: 'week', anchor: 'first_conversion', measure: 'repeat_purchase' }), ranged: true },
  { page: 'Retention', chart: 'conversion definitions', method: 'GET', path: '/api/conversions', ranged: false },
  { page: 'People', chart: 'recent sign-ins (search)', method: 'GET', path: '/api/events', params: () => ({ type: 'identify', limit: '25' }), ranged: false },
  { page: 'People', chart: 'find by userId', method: 'GET', path: '/api/people', params: (c) => ({ userId: c.userId }), ranged: false },
  { page: 'People', chart: 'profile + timeline', method: 'GET', path: '/api/people/:id', params: () => ({ limit: '50' }), ranged: false },
  { page: 'People', chart: 'orders under the userId', method: 'GET', path: '/api/events', params: (c) => ({ userId: c.userId, event: 'Order Completed', limit: '1000' }), ranged: false },
  { page: 'People', chart: 'orders under an anonymousId', method: 'GET', path: '/api/events', params: (c) => ({ anonymousId: c.anonymousId, event: 'Order Completed', limit: '1000' }), ranged: false },
  { page: 'People', chart: 'consent', method: 'GET', path: '/api/people/:id/consent', ranged: false },
  { page: 'Data', chart: 'latest events', method: 'GET', path: '/api/events', params: () => ({ limit: '25' }), ranged: false },
  { page: 'Data', chart: 'sources', method: 'GET', path: '/api/sources', ranged: false },
  { page: 'Data', chart: 'import history', method: 'GET', path: '/api/imports', params: () => ({ limit: '100' }), ranged: false },
  { page: 'Data', chart: 'quarantine', method: 'GET', path: '/api/quarantine', params: () => ({ limit: '25', offset: '0' }), ranged: false },
];

export interface BuiltRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly body: string | undefined;
  /** How the table shows it: the path and query, or the path and body. */
  readonly shown: string;
}

/** The HTTP request of a call for a range (null for an unranged call). */
export function buildRequest(call: DashboardCall, range: BenchRange | null, ctx: CallContext): BuiltRequest {
  const path = call.path.replace(':id', encodeURIComponent(ctx.personId));
  const query = new URLSearchParams(range && call.method === 'GET' ? { from: range.from, to: range.to } : {});
  for (const [k, v] of Object.entries(call.params?.(ctx) ?? {})) query.set(k, v);
  const qs = query.toString();
  const url = qs ? `${path}?${qs}` : path;
  if (call.method === 'GET') return { method: 'GET', url, body: undefined, shown: `GET ${url}` };
  const body = JSON.stringify({ ...call.body, ...(range ? { from: range.from, to: range.to } : {}) });
  // The steps are the same in every funnel call: shown once, in the table's note.
  return { method: 'POST', url, body, shown: `POST ${url} ${body.replace(/"steps":\[[^\]]*\],/, '')}` };
}
