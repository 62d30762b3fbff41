import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Store } from '../../store/index.ts';
import { consentFilter } from '../../profiles/index.ts';
import {
  deleteSavedFunnel,
  droppedPageSchema,
  funnelDefinitionSchema,
  getSavedFunnel,
  listDroppedPeople,
  listSavedFunnels,
  resolveFunnelDefinition,
  runFunnel,
  SAVED_NAME,
  saveFunnel,
} from '../../analytics/index.ts';
import { parseQuery } from '../validation.ts';
import type { AuditLog, ConsentPolicy } from '../../privacy/index.ts';
import { actorOf } from './admin.ts';

const saveBody = z.object({ name: SAVED_NAME, definition: z.unknown() }).strict();

/** A funnel request as documented: a definition, or a saved funnel's name with fields that override it. */
const funnelDocs = z.intersection(z.object({ saved: SAVED_NAME.optional().meta({ description: 'a saved funnel’s name' }) }), funnelDefinitionSchema);
const droppedDocs = z.intersection(funnelDocs, droppedPageSchema);

/** Splits paging fields (step, limit, cursor) from the definition fields of a dropped-people request. */
function droppedInput(input: unknown): { page: z.output<typeof droppedPageSchema>; rest: Record<string, unknown> } {
  const { step, limit, cursor, ...rest } = (input ?? {}) as Record<string, unknown>;
  return { page: parseQuery(droppedPageSchema, { step, limit, cursor }), rest };
}

/**
 * Funnels: a definition in the query string (`steps=A,B,C&window=7d…`) or a JSON body, or a saved
 * funnel by name (`saved=…`, other fields override it); the people who dropped after a step;
 * saved definitions.
 */
export async function funnelRoutes(app: FastifyInstance, opts: { store: Store; audit: AuditLog; consent: ConsentPolicy }): Promise<void> {
  const { store } = opts;
  // People who refused analytics are not counted.
  const options = async () => ({ personAllowed: await consentFilter(store, 'analytics', opts.consent) });
  const run = async (input: unknown) => runFunnel(store, await resolveFunnelDefinition(store, input), await options());
  app.get('/api/funnels', { config: { docs: { summary: 'Run a funnel: conversion and drop-off per step, with times between steps', query: funnelDocs } } }, async (request) => run(request.query));
  app.post('/api/funnels', { config: { docs: { summary: 'Run a funnel given as JSON', body: funnelDocs } } }, async (request) => run(request.body));

  const dropped = async (input: unknown) => {
    const { page, rest } = droppedInput(input);
    return listDroppedPeople(store, await resolveFunnelDefinition(store, rest), page, await options());
  };
  app.get('/api/funnels/dropped', { config: { docs: { summary: 'The people who dropped out after a step', description: 'Paged with `cursor`; people who refused analytics are left out.', query: droppedDocs } } }, async (request) => dropped(request.query));
  app.post('/api/funnels/dropped', { config: { docs: { summary: 'The people who dropped out after a step, the funnel given as JSON', body: droppedDocs } } }, async (request) => dropped(request.body));

  app.get('/api/funnels/saved', { config: { docs: { summary: 'List saved funnels' } } }, async () => ({ funnels: await listSavedFunnels(store) }));
  app.post('/api/funnels/saved', { config: { docs: { summary: 'Save a funnel definition under a name', description: 'Replaces one of the same name. Audited.', body: saveBody } } }, async (request) => {
    const body = parseQuery(saveBody, request.body);
    const saved = await saveFunnel(store, body.name, body.definition);
    const actor = actorOf(request);
    await opts.audit.record({ actor: actor.name, ip: actor.ip, action: 'funnel.save', target: body.name });
    return saved;
  });
  app.get<{ Params: { name: string } }>('/api/funnels/saved/:name', { config: { docs: { summary: 'A saved funnel’s definition', params: { name: 'the funnel’s name' } } } }, async (request) => getSavedFunnel(store, request.params.name));
  app.delete<{ Params: { name: string } }>('/api/funnels/saved/:name', { config: { docs: { summary: 'Delete a saved funnel', params: { name: 'the funnel’s name' } } } }, async (request) => {
    await deleteSavedFunnel(store, request.params.name);
    const actor = actorOf(request);
    await opts.audit.record({ actor: actor.name, ip: actor.ip, action: 'funnel.delete', target: request.params.name });
    return { deleted: request.params.name };
  });
}
