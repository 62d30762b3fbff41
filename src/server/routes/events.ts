import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Store } from '../../store/index.ts';
import { listEvents, listQuarantine } from '../../ingest/index.ts';
import { parseQuery } from '../validation.ts';
import { can, maskTraits } from '../../privacy/index.ts';

const eventsQuery = z.object({
  type: z.string().optional(),
  event: z.string().optional(),
  userId: z.string().optional(),
  anonymousId: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().optional(),
});

const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Read API over stored events and the quarantine. */
export async function eventRoutes(app: FastifyInstance, opts: { store: Store }): Promise<void> {
  app.get('/api/events', async (request) => {
    const { limit, cursor, ...filter } = parseQuery(eventsQuery, request.query);
    const page = await listEvents(opts.store, filter, limit, cursor);
    if (can(request.principal?.role ?? '', 'pii:read')) return page;
    // Roles without personal-data access see events with personal fields masked.
    const mask = (doc: Record<string, unknown> | null) => (doc === null ? null : maskTraits(doc));
    return { ...page, events: page.events.map((e) => ({ ...e, traits: mask(e.traits), properties: mask(e.properties), context: mask(e.context) })) };
  });

  app.get('/api/quarantine', async (request) => {
    const { limit, offset } = parseQuery(pageQuery, request.query);
    return listQuarantine(opts.store, limit, offset);
  });
}
