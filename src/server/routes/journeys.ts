import type { FastifyInstance } from 'fastify';
import type { Sql, Store } from '../../store/index.ts';
import type { ConsentPolicy } from '../../privacy/index.ts';
import { consentAllowsSql } from '../../profiles/index.ts';
import { journeysQuerySchema, pathFlowsFromStore, pathTimingFromStore, topPathsFromStore } from '../../analytics/index.ts';
import { parseQuery } from '../validation.ts';

/**
 * Journeys and paths over attribution's journey definition: top paths, timing, Sankey flows.
 * People who refused analytics are not counted.
 */
export async function journeyRoutes(app: FastifyInstance, opts: { store: Store; consent: ConsentPolicy }): Promise<void> {
  const options = { personAllowed: (person: Sql) => consentAllowsSql(opts.store.dialect, 'analytics', opts.consent, person) };
  app.get('/api/journeys/top', async (request) => topPathsFromStore(opts.store, parseQuery(journeysQuerySchema, request.query), options));
  app.get('/api/journeys/timing', async (request) => pathTimingFromStore(opts.store, parseQuery(journeysQuerySchema, request.query), options));
  app.get('/api/journeys/flows', async (request) => pathFlowsFromStore(opts.store, parseQuery(journeysQuerySchema, request.query), options));
}
