import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyPlugin from 'fastify-plugin';
import { z } from 'zod';
import { ERROR_STATUS } from '../errors/index.ts';
import { can, ROLES, type Permission } from '../privacy/index.ts';
import { SESSION_COOKIE } from './auth.ts';
import { routeAccess } from './permissions.ts';

/**
 * What a route's OpenAPI entry says. Routes validate their input with zod in the handler
 * (`parseQuery`, errors that name the field); the same schemas are given here, so the document
 * cannot drift from what the route accepts. They are not handed to Fastify's validator.
 */
export interface RouteDocs {
  readonly summary: string;
  readonly description?: string;
  /** The query string's fields. */
  readonly query?: z.ZodType;
  /** A JSON body. */
  readonly body?: z.ZodType;
  /** Bodies in other media types (media type → what it holds), besides or instead of `body`. */
  readonly rawBodies?: Readonly<Record<string, string>>;
  /** What each `:name` in the path is. */
  readonly params?: Readonly<Record<string, string>>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's entry in `/api/openapi.json` (given where the route is declared, src/server/routes). */
    docs?: RouteDocs;
  }
}

/** The document's sections, by path prefix (first match wins). */
const TAGS: ReadonlyArray<readonly [prefix: string, tag: string]> = [
  ['/v1/', 'Ingestion'],
  ['/api/import', 'Import'],
  ['/api/kpis', 'KPIs'],
  ['/api/retention', 'Retention'],
  ['/api/attribution', 'Attribution'],
  ['/api/conversions', 'Attribution'],
  ['/api/journeys', 'Journeys'],
  ['/api/funnels', 'Funnels'],
  ['/api/audiences', 'People'],
  ['/api/people/:id/export', 'Privacy'],
  ['/api/people/:id/consent', 'Privacy'],
  ['/api/consent', 'Privacy'],
  ['/api/privacy', 'Privacy'],
  ['/api/people', 'People'],
  ['/api/events', 'Events'],
  ['/api/quarantine', 'Events'],
  ['/api/sources', 'Administration'],
  ['/api/tokens', 'Administration'],
  ['/api/users', 'Administration'],
  ['/api/audit', 'Administration'],
  ['/api/session', 'Sign-in'],
  ['/api/health', 'Sign-in'],
];

const TAG_DESCRIPTIONS: Readonly<Record<string, string>> = {
  Ingestion: 'Segment-compatible tracking API: the SDKs send here with a write key (HTTP Basic, the key as user name).',
  Import: 'Bulk loads of events (NDJSON or CSV rows), customers and spend.',
  KPIs: 'Visitors, sessions, conversions, revenue, spend and their ratios over a range, by period and breakdown.',
  Retention: 'Cohorts by first visit or first conversion and how many come back.',
  Attribution: 'Conversion credit per channel or campaign under rule, data-driven (Markov, Shapley) and time models.',
  Journeys: 'The touch sequences that lead to conversion: top paths, timing, flows.',
  Funnels: 'Ordered steps with conversion and drop-off, saved definitions, who dropped out.',
  People: 'Stitched profiles, their events and audiences.',
  Events: 'The stored event stream, the event catalog and the quarantine of rejected messages.',
  Privacy: 'Consent per purpose, a person’s data (right of access), erasure and the keys that seal personal data.',
  Administration: 'Users, API tokens, sources and their write keys, the audit log.',
  'Sign-in': 'Dashboard sessions and the health check.',
};

/** The dashboard’s mark and name, leading back to the dashboard from the docs. */
const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 20" width="120" height="20"><path d="M2 18C8 13 8 7 18 2" stroke="#2563eb" stroke-width="3.5" fill="none"/><text x="26" y="15" font-family="system-ui,sans-serif" font-size="14" font-weight="700" fill="#fff">Tributary</text></svg>`;

type JsonSchema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[]; allOf?: JsonSchema[] };

/**
 * Zod → JSON Schema as a client sends it (defaults apply when a field is left out). An
 * intersection of objects (a request made of two schemas) becomes one object, so that its fields
 * read as query parameters.
 */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return flattenAllOf(json);
}

function flattenAllOf(json: JsonSchema): JsonSchema {
  if (!json.allOf?.every((part) => part.type === 'object')) return json;
  const parts = json.allOf.map(flattenAllOf);
  return {
    type: 'object',
    properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
    required: [...new Set(parts.flatMap((p) => p.required ?? []))],
  };
}

/** Every error answers this body; `code` is one of ERROR_STATUS's keys. */
const ERROR_RESPONSE = {
  description: 'An error: what was wrong and where (the field, index or line).',
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string', enum: Object.keys(ERROR_STATUS) },
        message: { type: 'string' },
        details: { description: 'e.g. every issue with its path, or the rejected messages of a batch' },
      },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
};

/** The roles a permission is granted to, for the route's description. */
const rolesWith = (permission: Permission): string => ROLES.filter((role) => can(role, permission)).join(', ');

function tagOf(url: string): string | undefined {
  return TAGS.find(([prefix]) => url.startsWith(prefix))?.[1];
}

/** The credentials a route takes, and a sentence saying so. */
function credentialsFor(method: string, url: string): { security: Array<Record<string, string[]>>; needs: string } {
  const access = routeAccess(method, url);
  if (access === 'public' || access === null) return { security: [], needs: 'No credentials needed.' };
  if (access === 'write-key') {
    // The SDK settings route takes the write key in its path.
    if (url.includes(':writeKey')) return { security: [], needs: 'The write key in the path identifies the source.' };
    return { security: [{ writeKey: [] }], needs: 'Authenticated with a source’s write key (HTTP Basic user name, or `writeKey` in the body).' };
  }
  return { security: [{ bearer: [] }, { session: [] }], needs: `Needs the \`${access}\` permission (roles: ${rolesWith(access)}).` };
}

/** Builds one route's OpenAPI schema from its `config.docs` and its access rule. */
function documentRoute({ url, route }: { url: string; route: RouteOptions }): { schema: FastifySchema; url: string } {
  const method = [route.method].flat()[0];
  const tag = tagOf(url);
  // The dashboard's files, CORS preflights and the docs themselves are not API operations.
  if (method === 'OPTIONS' || !tag) return { schema: { hide: true } as FastifySchema, url };
  const docs = route.config?.docs;
  const { security, needs } = credentialsFor(method, url);
  const schema: Record<string, unknown> = {
    tags: [tag],
    summary: docs?.summary,
    description: [docs?.description, needs].filter(Boolean).join('\n\n'),
    security,
    response: { '2XX': { description: 'Success' }, '4XX': ERROR_RESPONSE, '5XX': { ...ERROR_RESPONSE, description: 'The server failed or is overloaded (retry later).' } },
  };
  const names = [...url.matchAll(/:(\w+)/g)].map((m) => m[1]);
  if (names.length > 0) {
    schema.params = {
      type: 'object',
      properties: Object.fromEntries(names.map((n) => [n, { type: 'string', description: docs?.params?.[n] }])),
      required: names,
    };
  }
  if (docs?.query) schema.querystring = jsonSchemaOf(docs.query);
  if (docs?.body || docs?.rawBodies) {
    const content: Record<string, { schema: Record<string, unknown> }> = {};
    if (docs.body) content['application/json'] = { schema: jsonSchemaOf(docs.body) };
    for (const [type, description] of Object.entries(docs.rawBodies ?? {})) content[type] = { schema: { type: 'string', description } };
    schema.body = { content };
  }
  return { schema: schema as FastifySchema, url };
}

/**
 * The OpenAPI 3.1 document of every route at `GET /api/openapi.json`, and Swagger UI to read and
 * try it at `/api/docs` (assets served locally). Both need a signed-in caller, as every /api
 * route does: the route table is not shown to strangers. Register before the routes it documents;
 * it is not encapsulated, so it sees the routes of every other plugin.
 */
export const apiDocs = fastifyPlugin(async function apiDocs(app: FastifyInstance, opts: { version: string }): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tributary',
        version: opts.version,
        description:
          'Collection, identity and marketing analytics. Errors answer `{ "error": { "code", "message", "details" } }` with the field or index that was wrong.',
      },
      tags: Object.entries(TAG_DESCRIPTIONS).map(([name, description]) => ({ name, description })),
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token (`tributary tokens create`).' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'The dashboard’s session cookie (POST /api/session).' },
          writeKey: { type: 'http', scheme: 'basic', description: 'A source’s write key as the user name, no password.' },
        },
      },
    },
    transform: documentRoute,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true },
    theme: { title: 'Tributary API' },
    logo: { type: 'image/svg+xml', content: LOGO, href: '/', target: '_self' },
  });
  app.get('/api/openapi.json', async () => app.swagger());
});
