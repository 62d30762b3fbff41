import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/index.ts';
import { catalogQuerySchema, eventCatalogFromStore } from '../../analytics/index.ts';
import { parseQuery } from '../validation.ts';

/** The event catalog: event names, page and screen views with counts and their common property keys. */
export async function catalogRoutes(app: FastifyInstance, opts: { store: Store }): Promise<void> {
  app.get('/api/events/catalog', { config: { docs: { summary: 'Event names, pages and screens with counts and common property keys', query: catalogQuerySchema } } }, async (request) => eventCatalogFromStore(opts.store, parseQuery(catalogQuerySchema, request.query)));
}
