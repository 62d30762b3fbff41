import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/index.ts';
import type { ConsentPolicy } from '../../privacy/index.ts';
import { consentScope, retentionFromStore, retentionQuerySchema } from '../../analytics/index.ts';
import { parseQuery } from '../validation.ts';

/**
 * Cohort tables: repeat purchase, activity or revenue per member by cohort and period. People who
 * refused analytics are members of no cohort.
 */
export async function retentionRoutes(app: FastifyInstance, opts: { store: Store; consent: ConsentPolicy }): Promise<void> {
  const scope = consentScope(opts.store.dialect, 'analytics', opts.consent);
  app.get('/api/retention', { config: { docs: { summary: 'Cohort table: who comes back, buys again or spends, by cohort and period', query: retentionQuerySchema } } }, async (request) => retentionFromStore(opts.store, parseQuery(retentionQuerySchema, request.query), { scope }));
}
