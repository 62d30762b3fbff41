import type { FastifyInstance, FastifyRequest } from 'fastify';
import cors from '@fastify/cors';
import { TributaryError } from '../../errors/index.ts';
import { SHORT_PATHS, MESSAGE_TYPES, ENDPOINT_SCHEMAS, LIMITS, batchSchema, type IngestService, type MessageType } from '../../ingest/index.ts';
import { basicUser } from '../auth.ts';

/** Raw bodies larger than this are refused before reading (gzip of a 500 KB batch is far smaller). */
const RAW_BODY_LIMIT = 1024 * 1024;

const ENDPOINTS: ReadonlyArray<[path: string, kind: MessageType | 'batch']> = [
  ...MESSAGE_TYPES.map((t) => [t, t] as [string, MessageType]),
  ['batch', 'batch'],
  ...Object.entries(SHORT_PATHS),
];

/** The settings body @segment/analytics-next loads from `{cdnURL}/v1/projects/<writeKey>/settings`. */
function sdkSettings(writeKey: string, apiHost: string, protocol: string): unknown {
  return {
    integrations: { 'Segment.io': { apiKey: writeKey, apiHost: `${apiHost}/v1`, protocol } },
    plan: { track: { __default: { enabled: true } }, identify: { __default: { enabled: true } } },
    metrics: { sampleRate: 0 },
  };
}

/**
 * Segment-compatible ingestion: `/v1/{track,identify,page,screen,group,alias,batch}` and the
 * browser SDK's short paths. Bodies are read raw, whatever their Content-Type.
 */
export async function ingestRoutes(app: FastifyInstance, opts: { ingest: IngestService }): Promise<void> {
  const { ingest } = opts;
  await app.register(cors, {
    origin: true,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Content-Encoding', 'X-Retry-Count'],
    maxAge: 86_400,
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: RAW_BODY_LIMIT }, (_req, body, done) => done(null, body));

  const handle = async (request: FastifyRequest, kind: MessageType | 'batch') => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const encoding = request.headers['content-encoding'];
    const outcome = await ingest.ingestRequest(
      { body, contentEncoding: typeof encoding === 'string' ? encoding : undefined, kind },
      basicUser(request.headers.authorization),
    );
    if (outcome.rejected.length > 0) {
      const [first] = outcome.rejected;
      const accepted = outcome.received - outcome.rejected.length;
      const message =
        kind === 'batch'
          ? `${outcome.rejected.length} of ${outcome.received} messages rejected (first: index ${first.index}, ${first.reason})` +
            (accepted > 0 ? '; the others were accepted' : '')
          : `message rejected (index ${first.index}): ${first.reason}`;
      throw new TributaryError('validation_failed', message, {
        stored: outcome.stored,
        duplicates: outcome.duplicates,
        rejected: outcome.rejected,
      });
    }
    return { success: true };
  };

  for (const [path, kind] of ENDPOINTS) {
    const short = path.length === 1 ? ` (the browser SDK’s short path for /v1/${kind})` : '';
    const docs = {
      summary: kind === 'batch' ? `Send up to ${LIMITS.batchMessages} messages at once${short}` : `Send ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} message${short}`,
      description:
        'Segment’s HTTP tracking API, whatever the Content-Type, gzip-compressed or not. A message that fails is answered 400 with its index and reason and kept in the quarantine; the others in a batch are stored.',
      body: kind === 'batch' ? batchSchema : ENDPOINT_SCHEMAS[kind],
    };
    app.post(`/v1/${path}`, { config: { docs } }, (request) => handle(request, kind));
  }

  const settingsDocs = { summary: 'Settings for @segment/analytics-next (`cdnURL` pointed here)', params: { writeKey: 'the source’s write key' } };
  app.get<{ Params: { writeKey: string } }>('/v1/projects/:writeKey/settings', { config: { docs: settingsDocs } }, async (request, reply) => {
    await ingest.authenticate(request.params.writeKey);
    const host = request.headers.host ?? request.hostname;
    reply.header('Cache-Control', 'no-store');
    return sdkSettings(request.params.writeKey, host, request.protocol);
  });
}
