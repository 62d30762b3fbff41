import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { TributaryError } from '../../errors/index.ts';
import type { AccessAdmin } from '../../privacy/index.ts';
import { parseQuery } from '../validation.ts';
import { actorOf } from './admin.ts';

const createBody = z.object({ name: z.string().trim().min(1, 'enter a name for the source').max(100, 'at most 100 characters') });

/**
 * Sources (write keys): `GET /api/sources` lists them with a key hint (keys are stored as hashes,
 * so no listing can show one); `POST /api/sources {name}` creates one and answers its write key,
 * the only time the key is ever shown (audited as `key.create`). Names are unique so the hint is
 * not the only way to tell two sources apart. Rotation and revocation are admin routes.
 */
export async function sourceRoutes(app: FastifyInstance, opts: { admin: AccessAdmin }): Promise<void> {
  const { admin } = opts;
  app.get('/api/sources', { config: { docs: { summary: 'List sources with a hint of their write key' } } }, async () => ({ sources: await admin.access.listSources() }));

  app.post('/api/sources', { config: { docs: { summary: 'Create a source', description: 'The answer holds its write key, shown this once. Audited.', body: createBody } } }, async (request, reply) => {
    const { name } = parseQuery(createBody, request.body);
    const existing = await admin.access.listSources();
    if (existing.some((s) => s.name.toLowerCase() === name.toLowerCase())) throw new TributaryError('conflict', `name: a source called "${name}" already exists`);
    const created = await admin.createSource(actorOf(request), name);
    // The key must not linger in a shared or browser cache.
    reply.header('cache-control', 'no-store');
    reply.status(201);
    return created;
  });
}
