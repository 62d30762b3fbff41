import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/index.ts';
import { journeysQuerySchema, pathFlowsFromStore, pathTimingFromStore, topPathsFromStore } from '../../analytics/index.ts';
import { parseQuery } from '../validation.ts';

/** Journeys and paths over attribution's journey definition: top paths, timing, Sankey flows. */
export async function journeyRoutes(app: FastifyInstance, opts: { store: Store }): Promise<void> {
  app.get('/api/journeys/top', async (request) => topPathsFromStore(opts.store, parseQuery(journeysQuerySchema, request.query)));
  app.get('/api/journeys/timing', async (request) => pathTimingFromStore(opts.store, parseQuery(journeysQuerySchema, request.query)));
  app.get('/api/journeys/flows', async (request) => pathFlowsFromStore(opts.store, parseQuery(journeysQuerySchema, request.query)));
}
