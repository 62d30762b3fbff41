import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/index.ts';
import { listConversionDefinitions, removeConversionDefinition, saveConversionDefinition } from '../../channels/index.ts';

/** Conversion definitions: list, create or replace, remove. */
export async function conversionRoutes(app: FastifyInstance, opts: { store: Store }): Promise<void> {
  app.get('/api/conversions', async () => ({ conversions: await listConversionDefinitions(opts.store) }));

  app.post('/api/conversions', async (request, reply) => {
    const saved = await saveConversionDefinition(opts.store, request.body ?? {});
    reply.status(201);
    return saved;
  });

  app.delete<{ Params: { name: string } }>('/api/conversions/:name', async (request, reply) => {
    await removeConversionDefinition(opts.store, request.params.name);
    reply.status(204);
  });
}
