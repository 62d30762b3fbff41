import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/index.ts';
import { kpiQuerySchema, kpisFromStore } from '../../analytics/index.ts';
import { parseQuery } from '../validation.ts';

/** KPIs over a range: totals, a series by period, a breakdown, and the previous range's change. */
export async function kpiRoutes(app: FastifyInstance, opts: { store: Store }): Promise<void> {
  app.get('/api/kpis', async (request) => kpisFromStore(opts.store, parseQuery(kpiQuerySchema, request.query)));
}
