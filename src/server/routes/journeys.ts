import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/index.ts';
import type { ConsentPolicy } from '../../privacy/index.ts';
import { consentFilter } from '../../profiles/index.ts';
import { journeysQuerySchema, pathFlowsFromStore, pathTimingFromStore, topPathsFromStore } from '../../analytics/index.ts';
import { parseQuery } from '../validation.ts';

/**
 * Journeys and paths over attribution's journey definition: top paths, timing, Sankey flows.
 * People who refused analytics are not counted.
 */
export async function journeyRoutes(app: FastifyInstance, opts: { store: Store; consent: ConsentPolicy }): Promise<void> {
  const options = async () => ({ personAllowed: await consentFilter(opts.store, 'analytics', opts.consent) });
  app.get('/api/journeys/top', { config: { docs: { summary: 'The most common channel paths to conversion', query: journeysQuerySchema } } }, async (request) => topPathsFromStore(opts.store, parseQuery(journeysQuerySchema, request.query), await options()));
  app.get('/api/journeys/timing', { config: { docs: { summary: 'Time and touches to conversion, overall and by first channel', query: journeysQuerySchema } } }, async (request) => pathTimingFromStore(opts.store, parseQuery(journeysQuerySchema, request.query), await options()));
  app.get('/api/journeys/flows', { config: { docs: { summary: 'Step-to-step channel flows (for a Sankey diagram)', query: journeysQuerySchema } } }, async (request) => pathFlowsFromStore(opts.store, parseQuery(journeysQuerySchema, request.query), await options()));
}
