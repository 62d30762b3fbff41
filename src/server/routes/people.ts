import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { TributaryError } from '../../errors/index.ts';
import type { Store } from '../../store/index.ts';
import type { IdentityService } from '../../identity/index.ts';
import { consentReport, findPersonId, getProfile, personConsent, type ErasureService } from '../../profiles/index.ts';
import { actorOf } from './admin.ts';
import { parseQuery } from '../validation.ts';
import { can, type ConsentPolicy, type Opener } from '../../privacy/index.ts';

const lookupQuery = z
  .object({ userId: z.string().min(1).optional(), anonymousId: z.string().min(1).optional(), email: z.string().min(1).optional(), phone: z.string().min(1).optional() })
  .refine((q) => Object.values(q).filter(Boolean).length === 1, 'give exactly one of userId, anonymousId, email, phone');

const pageQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), before: z.string().optional() });

/** A customer's profile and timeline; lookup by any identifier (e-mail and phone are hashed first). */
export async function peopleRoutes(app: FastifyInstance, opts: { store: Store; identity: IdentityService; erasure: ErasureService; consent: ConsentPolicy; open?: Opener }): Promise<void> {
  app.get('/api/people', { config: { docs: { summary: 'Find a person by one identifier', description: 'E-mail and phone are matched by their keyed hash.', query: lookupQuery } } }, async (request) => {
    const q = parseQuery(lookupQuery, request.query);
    const personId = await findPersonId(opts.identity, q.userId ? { userId: q.userId } : q.anonymousId ? { anonymousId: q.anonymousId } : q.email ? { email: q.email } : { phone: q.phone! });
    if (!personId) throw new TributaryError('not_found', 'no person has that identifier');
    return { personId };
  });

  app.get<{ Params: { id: string } }>('/api/people/:id', { config: { docs: { summary: 'A person’s profile: identifiers, traits, consent and timeline', description: 'Personal data is masked for roles without `pii:read`.', query: pageQuery, params: { id: 'the person id' } } } }, async (request) => {
    const page = parseQuery(pageQuery, request.query);
    return getProfile(opts.store, opts.identity, request.params.id, page, { unmasked: can(request.principal?.role ?? '', 'pii:read'), open: opts.open });
  });

  // Right of access: everything stored about the person (audited).
  app.get<{ Params: { id: string } }>('/api/people/:id/export', { config: { docs: { summary: 'Everything stored about a person (right of access)', description: 'Audited.', params: { id: 'the person id' } } } }, async (request) => opts.erasure.export(request.params.id, actorOf(request)));

  // Right of erasure: the person's data goes, their identifiers are suppressed (audited).
  app.delete<{ Params: { id: string } }>('/api/people/:id', { config: { docs: { summary: 'Erase a person', description: 'Deletes their events, identifiers, traits and derived rows, suppresses their identifiers so later messages are dropped, and reports what was deleted. Audited.', params: { id: 'the person id' } } } }, async (request) => opts.erasure.erase(request.params.id, actorOf(request)));

  // A person's consent: current preferences, the decision per purpose, the history of changes.
  app.get<{ Params: { id: string } }>('/api/people/:id/consent', { config: { docs: { summary: 'A person’s consent: preferences, the decision per purpose and its history', params: { id: 'the person id' } } } }, async (request) => personConsent(opts.store, request.params.id, opts.consent));

  // How many people and events each purpose leaves out under the consent policy.
  app.get('/api/consent/report', { config: { docs: { summary: 'How many people and events each purpose leaves out' } } }, async () => consentReport(opts.store, opts.consent));
}
