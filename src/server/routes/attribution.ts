import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/index.ts';
import { attributeFromStore, attributionQuerySchema, compareResults } from '../../attribution/index.ts';
import { parseQuery } from '../validation.ts';

/** Attribution over the store's journeys: one model or several, and all side by side. */
export async function attributionRoutes(app: FastifyInstance, opts: { store: Store }): Promise<void> {
  app.get('/api/attribution', async (request) => {
    const query = parseQuery(attributionQuerySchema, request.query);
    return attributeFromStore(opts.store, query);
  });

  app.get('/api/attribution/compare', async (request) => {
    const query = parseQuery(attributionQuerySchema, { ...(request.query as object), model: 'all' });
    const report = await attributeFromStore(opts.store, query);
    return { ...report, ...compareResults(report.results) };
  });
}
