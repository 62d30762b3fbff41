import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Store } from '../../store/index.ts';
import { listEvents, listQuarantine } from '../../ingest/index.ts';
import { parseQuery } from '../validation.ts';
import { can, cannotOpen, mayHoldSealed, revealDocument, revealPayload, type Opener, type Section } from '../../privacy/index.ts';

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

/** A quarantined payload as a reader may see it: sealed values opened or masked. */
function shownPayload(payload: string | null, open: Opener, mode: 'clear' | 'mask'): string | null {
  if (payload === null || !mayHoldSealed(payload)) return payload;
  try {
    const shown = revealPayload(JSON.parse(payload), open, mode);
    // A body that was not JSON was sealed whole: it is shown as the text it was.
    return typeof shown === 'string' ? shown : JSON.stringify(shown);
  } catch {
    return payload;
  }
}

/** Read API over stored events and the quarantine. */
export async function eventRoutes(app: FastifyInstance, opts: { store: Store; open?: Opener }): Promise<void> {
  const open = opts.open ?? cannotOpen;
  app.get('/api/events', { config: { docs: { summary: 'Stored events, newest first', description: 'Personal data is masked for roles without `pii:read`. Page on with `cursor` from the answer.', query: eventsQuery } } }, async (request) => {
    const { limit, cursor, ...filter } = parseQuery(eventsQuery, request.query);
    const page = await listEvents(opts.store, filter, limit, cursor);
    // Sealed personal data is opened for roles with personal-data access, and masked for the others.
    const mode = can(request.principal?.role ?? '', 'pii:read') ? 'clear' : 'mask';
    const show = (doc: Record<string, unknown> | null, section: Section) => (doc === null ? null : revealDocument(doc, section, open, mode));
    return { ...page, events: page.events.map((e) => ({ ...e, traits: show(e.traits, 'traits'), properties: show(e.properties, 'properties'), context: show(e.context, 'context') })) };
  });

  app.get('/api/quarantine', { config: { docs: { summary: 'Rejected messages with the reason and where (field, index, line)', query: pageQuery } } }, async (request) => {
    const { limit, offset } = parseQuery(pageQuery, request.query);
    const page = await listQuarantine(opts.store, limit, offset);
    const mode = can(request.principal?.role ?? '', 'pii:read') ? 'clear' : 'mask';
    return { ...page, messages: page.messages.map((m) => ({ ...m, payload: shownPayload(m.payload, open, mode) })) };
  });
}
