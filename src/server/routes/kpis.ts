import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/index.ts';
import type { ConsentPolicy } from '../../privacy/index.ts';
import { consentScope, kpiQuerySchema, kpisFromStore } from '../../analytics/index.ts';
import { parseQuery } from '../validation.ts';

/**
 * KPIs over a range: totals, a series by period, a breakdown, and the previous range's change.
 * People who refused analytics are not counted.
 */
export async function kpiRoutes(app: FastifyInstance, opts: { store: Store; consent: ConsentPolicy }): Promise<void> {
  const scope = consentScope(opts.store.dialect, 'analytics', opts.consent);
  app.get('/api/kpis', { config: { docs: { summary: 'KPIs over a range: totals, a series by period, a breakdown and the change from the previous range', query: kpiQuerySchema } } }, async (request) => kpisFromStore(opts.store, parseQuery(kpiQuerySchema, request.query), { scope }));
}
