import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/index.ts';
import type { ConsentPolicy } from '../../privacy/index.ts';
import { consentFilter } from '../../profiles/index.ts';
import { attributeFromStore, attributionQuerySchema, compareResults } from '../../attribution/index.ts';
import { parseQuery } from '../validation.ts';

/** Attribution over the store's journeys: one model or several, and all side by side. */
export async function attributionRoutes(app: FastifyInstance, opts: { store: Store; consent: ConsentPolicy }): Promise<void> {
  // People who refused advertising are not in attribution journeys.
  const personAllowed = () => consentFilter(opts.store, 'advertising', opts.consent);
  app.get('/api/attribution', { config: { docs: { summary: 'Conversion credit per channel, campaign or source/medium', description: 'One or more models (`model=last,markov`); people who refused advertising are left out.', query: attributionQuerySchema } } }, async (request) => {
    const query = parseQuery(attributionQuerySchema, request.query);
    return attributeFromStore(opts.store, query, { personAllowed: await personAllowed() });
  });

  app.get('/api/attribution/compare', { config: { docs: { summary: 'Models side by side', description: 'Every model unless `model` names some, with each channel’s share under each.', query: attributionQuerySchema } } }, async (request) => {
    // Every model unless `model=` names the ones to compare (the dashboard asks for those it shows).
    const given = request.query as Record<string, unknown>;
    const query = parseQuery(attributionQuerySchema, { ...given, model: given.model ?? 'all' });
    const report = await attributeFromStore(opts.store, query, { personAllowed: await personAllowed() });
    return { ...report, ...compareResults(report.results) };
  });
}
