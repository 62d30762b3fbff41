import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { MESSAGE_TYPES, csvRowsBodySchema, type ImportService } from '../../ingest/index.ts';
import { parseQuery } from '../validation.ts';

/** A chunk the CLI sends is at most ~8 MB of NDJSON; CSV rows travel as JSON, a little larger. */
const BODY_LIMIT = 16 * 1024 * 1024;

const run = {
  file: z.string().min(1).max(255).default('upload'),
  importId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -').optional(),
  source: z.string().min(1).optional(),
};

const ndjsonQuery = z.object({
  ...run,
  firstLine: z.coerce.number().int().min(1).default(1),
  type: z.enum(MESSAGE_TYPES).optional(),
});

const csvBody = csvRowsBodySchema.extend({ ...run, type: z.enum(MESSAGE_TYPES).optional() });
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

/**
 * Bulk import through the server (the CLI sends a file in chunks while the server holds the
 * data directory): `POST /api/import/events` with an NDJSON body (`?file&firstLine&importId&type
 * &source`) or a JSON body of CSV rows; `POST /api/import/customers` and `/api/import/spend` with
 * CSV rows; `GET /api/imports` lists the history. Admin token required (the app's auth hook).
 */
export async function importRoutes(app: FastifyInstance, opts: { imports: ImportService }): Promise<void> {
  const { imports } = opts;
  app.addContentTypeParser(['application/x-ndjson', 'application/jsonl', 'text/plain'], { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) =>
    done(null, body),
  );
  app.addHook('onClose', async () => imports.close());

  app.post(
    '/api/import/events',
    {
      bodyLimit: BODY_LIMIT,
      config: {
        docs: {
          summary: 'Import events: NDJSON, or CSV rows as JSON',
          description: 'An NDJSON body takes its options in the query string; rows that fail are reported with their line and stored in the quarantine, the others are kept. Sending the same importId again adds nothing twice.',
          query: ndjsonQuery,
          body: csvBody,
          rawBodies: { 'application/x-ndjson': 'one Segment message per line' },
        },
      },
    },
    async (request) => {
    if (Buffer.isBuffer(request.body)) {
      const q = parseQuery(ndjsonQuery, request.query);
      return imports.importNdjson(request.body, { importId: q.importId, file: q.file, sourceId: q.source, defaultType: q.type, firstLine: q.firstLine });
    }
    const b = parseQuery(csvBody, request.body);
    return imports.importCsvRows('events', b.header, b.rows, { importId: b.importId, file: b.file, sourceId: b.source, defaultType: b.type });
  });

  app.post('/api/import/customers', { bodyLimit: BODY_LIMIT, config: { docs: { summary: 'Import customers (CRM rows) as CSV rows', body: csvBody } } }, async (request) => {
    const b = parseQuery(csvBody, request.body);
    return imports.importCsvRows('customers', b.header, b.rows, { importId: b.importId, file: b.file, sourceId: b.source });
  });

  app.post('/api/import/spend', { bodyLimit: BODY_LIMIT, config: { docs: { summary: 'Import daily ad spend per channel and campaign as CSV rows', body: csvBody } } }, async (request) => {
    const b = parseQuery(csvBody, request.body);
    return imports.importSpendRows(b.header, b.rows, { importId: b.importId, file: b.file });
  });

  app.get('/api/imports', { config: { docs: { summary: 'Past imports with their counts of stored, duplicate and rejected rows', query: listQuery } } }, async (request) => {
    const { limit } = parseQuery(listQuery, request.query);
    return { imports: await imports.listImports(limit) };
  });
}
