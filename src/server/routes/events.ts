import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Store } from '../../store/index.ts';
import { clearQuarantine, exportQuarantine, listEvents, listQuarantine, type QuarantineTally } from '../../ingest/index.ts';
import { parseQuery } from '../validation.ts';
import { TributaryError } from '../../errors/index.ts';
import { can, cannotOpen, mayHoldSealed, revealDocument, revealPayload, type AuditLog, type Opener, type Section } from '../../privacy/index.ts';
import { actorOf } from './admin.ts';

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

const beforeQuery = z.object({
  before: z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), 'must be a date or date-time, e.g. 2024-05-01')
    .optional()
    .meta({ description: 'only messages received before this date-time (all when left out)' }),
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
export async function eventRoutes(app: FastifyInstance, opts: { store: Store; audit: AuditLog; open?: Opener }): Promise<void> {
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

  const exportDocs = {
    summary: 'The rejected messages as NDJSON, to fix and import again',
    description:
      'Oldest first, personal data opened, so it needs `pii:read` too. Streamed. A batch rejected as a whole gives each of its messages; bodies that were not JSON are left out and counted in the `x-tributary-skipped` trailer and the audit entry. Import the fixed file with `POST /api/import/events` or `tributary import events`. Audited.',
    query: beforeQuery,
  };
  app.get('/api/quarantine/export.ndjson', { config: { docs: exportDocs } }, async (request, reply) => {
    const { before } = parseQuery(beforeQuery, request.query);
    const actor = actorOf(request);
    const role = request.principal?.role ?? '';
    // Every role with data:read holds pii:read today; the check keeps it so if roles change.
    if (!can(role, 'pii:read')) {
      await opts.audit.record({ actor: actor.name, ip: actor.ip, action: 'export.quarantine', outcome: 'denied' });
      throw new TributaryError(
        'forbidden',
        `the ${role || 'current'} role may not export rejected messages (needs pii:read): they carry personal data, which masked could not be imported again`,
      );
    }
    const tally: QuarantineTally = { messages: 0, skipped: 0 };
    const body = Readable.from(exportQuarantine(opts.store, open, before === undefined ? null : new Date(before), tally));
    // Recorded once the whole export was read, with what it held.
    body.once('end', () => {
      const details = { messages: tally.messages, skipped: tally.skipped };
      opts.audit.record({ actor: actor.name, ip: actor.ip, action: 'export.quarantine', target: before ?? 'all', details }).catch((err) => request.log.error({ err }, 'audit of a quarantine export failed'));
    });
    reply.header('content-type', 'application/x-ndjson; charset=utf-8').trailer('x-tributary-skipped', async () => String(tally.skipped));
    return reply.send(body);
  });

  const clearDocs = { summary: 'Delete rejected messages', description: 'Answers how many were deleted. Audited.', query: beforeQuery };
  app.delete('/api/quarantine', { config: { docs: clearDocs } }, async (request) => {
    const { before } = parseQuery(beforeQuery, request.query);
    const deleted = await clearQuarantine(opts.store, before === undefined ? null : new Date(before));
    const actor = actorOf(request);
    await opts.audit.record({ actor: actor.name, ip: actor.ip, action: 'quarantine.clear', target: before ?? 'all', details: { deleted } });
    return { deleted };
  });
}
