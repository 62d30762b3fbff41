import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/index.ts';
import { retentionFromStore, retentionQuerySchema } from '../../analytics/index.ts';
import { parseQuery } from '../validation.ts';

/** Cohort tables: repeat purchase, activity or revenue per member by cohort and period. */
export async function retentionRoutes(app: FastifyInstance, opts: { store: Store }): Promise<void> {
  app.get('/api/retention', async (request) => retentionFromStore(opts.store, parseQuery(retentionQuerySchema, request.query)));
}
