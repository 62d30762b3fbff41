import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/index.ts';
import type { ConsentPolicy } from '../../privacy/index.ts';
import { consentFilter } from '../../profiles/index.ts';
import {
  attributeFromStore,
  attributePaths,
  attributionQuerySchema,
  compareResults,
  pathFileQuerySchema,
  readPathFile,
  toReportResult,
} from '../../attribution/index.ts';
import { TributaryError } from '../../errors/index.ts';

/** A path file of a few million rows; PathData (10k paths) is half a megabyte. */
const PATH_FILE_LIMIT = 64 * 1024 * 1024;
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

  // Path files in the ChannelAttribution layout, e.g. exported from another tool, without the store.
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: PATH_FILE_LIMIT }, (_request, body, done) => done(null, body));
  const pathFileDocs = {
    summary: 'Attribute the paths of a path file (ChannelAttribution layout)',
    description:
      'The body is CSV with `path,total_conversions,total_conversion_value,total_null` (steps separated by ` > `), as ChannelAttribution reads it. Answers as `/api/attribution/compare` does. Time decay is left out: a path file has no touch times. A malformed line is answered 400 with its number.',
    query: pathFileQuerySchema,
    rawBodies: { 'text/csv': 'the path file' },
  };
  app.post('/api/attribution/paths', { bodyLimit: PATH_FILE_LIMIT, config: { docs: pathFileDocs } }, async (request) => {
    const options = parseQuery(pathFileQuerySchema, request.query);
    if (typeof request.body !== 'string') throw new TributaryError('unsupported_media_type', 'body: send the path file as text/csv');
    const paths = readPathFile(request.body);
    const results = attributePaths(paths, options).map((r) => toReportResult(r, null));
    const skipped = options.models.includes('time-decay') ? [{ model: 'time-decay', reason: 'a path file has no touch times' }] : [];
    // `paths`: distinct paths (rows of the same path are added up).
    return { paths: paths.length, results, skipped, ...compareResults(results) };
  });
}
