import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/index.ts';
import { conversionDefinitionSchema, listConversionDefinitions, removeConversionDefinition, saveConversionDefinition } from '../../channels/index.ts';
import type { AuditLog } from '../../privacy/index.ts';
import { actorOf } from './admin.ts';

/** Conversion definitions: list, create or replace, remove (changes are audited: they move every report). */
export async function conversionRoutes(app: FastifyInstance, opts: { store: Store; audit: AuditLog }): Promise<void> {
  app.get('/api/conversions', { config: { docs: { summary: 'List conversion definitions' } } }, async () => ({ conversions: await listConversionDefinitions(opts.store) }));

  app.post('/api/conversions', { config: { docs: { summary: 'Create or replace a conversion definition', description: 'Which events count as a conversion, and their value; every report follows it.', body: conversionDefinitionSchema } } }, async (request, reply) => {
    const saved = await saveConversionDefinition(opts.store, request.body ?? {});
    const actor = actorOf(request);
    await opts.audit.record({ actor: actor.name, ip: actor.ip, action: 'conversion.save', target: saved.name, details: { ...saved } });
    reply.status(201);
    return saved;
  });

  app.delete<{ Params: { name: string } }>('/api/conversions/:name', { config: { docs: { summary: 'Remove a conversion definition', params: { name: 'the definition’s name' } } } }, async (request, reply) => {
    await removeConversionDefinition(opts.store, request.params.name);
    const actor = actorOf(request);
    await opts.audit.record({ actor: actor.name, ip: actor.ip, action: 'conversion.remove', target: request.params.name });
    reply.status(204);
  });
}
