/**
 * The API's own description: `GET /api/openapi.json` covers every route of the live route table
 * with the access rule it enforces, its parameters come from the same zod schemas the routes
 * parse with, and what the real SDKs send satisfies the documented ingestion bodies. Swagger UI
 * renders it in Chromium from local assets.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes, routeAccess } from '../../src/server/index.ts';
import { can, ROLES } from '../../src/privacy/index.ts';
import { readJson, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/browser.ts';

const WIRE_DIR = path.resolve(process.cwd(), '../shared/data/segment-wire');

type Dict = Record<string, any>;
let server: TestServer;
let doc: Dict;

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.api('/api/openapi.json');
  expect(res.status).toBe(200);
  doc = await readJson(res);
});
afterAll(async () => {
  await server?.stop();
});

/** Fastify's `/a/:id` as OpenAPI's `/a/{id}`. */
const openApiPath = (url: string): string => url.replace(/:(\w+)/g, '{$1}');
const operation = (method: string, url: string): Dict | undefined => doc.paths[openApiPath(url)]?.[method.toLowerCase()];
const isDocsRoute = (url: string): boolean => url === '/api/openapi.json' || url.startsWith('/api/docs');

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document of this server', () => {
    expect(doc.openapi).toBe('3.1.0');
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
    expect(doc.info).toMatchObject({ title: 'Tributary', version: pkg.version });
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'session', 'writeKey']);
  });

  it('is shown only to a signed-in caller, like the rest of /api', async () => {
    expect((await fetch(`${server.url}/api/openapi.json`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/docs`)).status).toBe(401);
  });

  it('documents every route of the live table, and nothing else', () => {
    const routes = registeredRoutes(server.app).filter((r) => (r.url.startsWith('/api/') || r.url.startsWith('/v1/')) && !isDocsRoute(r.url));
    expect(routes.length).toBeGreaterThan(60);
    const missing = routes.filter((r) => !operation(r.method, r.url)).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops as Dict).map((m) => `${m.toUpperCase()} ${p}`));
    expect(documented.length).toBe(routes.length);
    for (const r of routes) {
      const op = operation(r.method, r.url)!;
      expect(op.summary, `${r.method} ${r.url} summary`).toMatch(/\w{3}/);
      expect(op.tags, `${r.method} ${r.url} tags`).toHaveLength(1);
    }
  });

  it('states the access rule each route enforces, with the roles that have it', () => {
    for (const r of registeredRoutes(server.app).filter((x) => x.url.startsWith('/api/') && !isDocsRoute(x.url))) {
      const op = operation(r.method, r.url)!;
      const rule = routeAccess(r.method, r.url)!;
      if (rule === 'public') {
        expect(op.security, `${r.method} ${r.url}`).toEqual([]);
        continue;
      }
      expect(op.security, `${r.method} ${r.url}`).toEqual([{ bearer: [] }, { session: [] }]);
      const roles = ROLES.filter((role) => can(role, rule as Parameters<typeof can>[1]));
      expect(op.description, `${r.method} ${r.url}`).toContain(`\`${rule}\` permission (roles: ${roles.join(', ')})`);
    }
    expect(operation('POST', '/v1/batch')!.security).toEqual([{ writeKey: [] }]);
    expect(operation('GET', '/v1/projects/:writeKey/settings')!.security).toEqual([]);
  });

  it('lists the query parameters a route parses, with their defaults, enums and required ones', () => {
    const params = (method: string, url: string) => Object.fromEntries((operation(method, url)!.parameters as Dict[]).map((p) => [`${p.in}:${p.name}`, p]));
    const kpis = params('GET', '/api/kpis');
    expect(Object.keys(kpis).sort()).toEqual(['query:by', 'query:conversion', 'query:from', 'query:granularity', 'query:metrics', 'query:to']);
    expect(kpis['query:granularity'].schema).toEqual({ default: 'day', type: 'string', enum: ['hour', 'day', 'week', 'month'] });

    // A request made of two schemas (the export's fields and a KPI request) reads as one list.
    const exportCsv = params('GET', '/api/kpis/export.csv');
    expect(Object.keys(exportCsv)).toEqual(expect.arrayContaining(['query:format', 'query:by', 'query:granularity', 'query:from']));
    expect(exportCsv['query:by'].required).toBe(true);

    const funnel = params('GET', '/api/funnels');
    expect(funnel['query:steps'].required).toBe(true);
    expect(funnel['query:steps'].description).toMatch(/comma-separated/);
    expect(funnel['query:saved'].required).toBe(false);

    // The analytics parameters say what they mean.
    for (const url of ['/api/kpis', '/api/attribution', '/api/journeys/top', '/api/retention']) {
      const undescribed = Object.values(params('GET', url)).filter((p) => !p.description).map((p) => p.name);
      expect(undescribed, url).toEqual([]);
    }
    expect(kpis['query:metrics'].description).toContain('roas');

    const profile = params('GET', '/api/people/:id');
    expect(profile['path:id']).toMatchObject({ required: true, description: 'the person id' });
    expect(profile['query:limit'].schema).toMatchObject({ default: 50, maximum: 500 });
  });

  it('describes ingestion bodies that the real SDKs’ captured requests satisfy, and a bad message does not', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const bodySchema = (url: string) => operation('POST', url)!.requestBody.content['application/json'].schema;
    let checked = 0;
    for (const file of fs.readdirSync(WIRE_DIR).filter((f) => f.endsWith('.json'))) {
      const capture = JSON.parse(fs.readFileSync(path.join(WIRE_DIR, file), 'utf8'));
      for (const request of capture.requests as Dict[]) {
        if (request.method !== 'POST' || typeof request.body !== 'object') continue;
        const validate = ajv.compile(bodySchema(request.url));
        expect(validate(request.body), `${file} ${request.url}: ${ajv.errorsText(validate.errors)}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);

    const track = ajv.compile(bodySchema('/v1/track'));
    expect(track({ userId: 'u1', event: 'Signed Up' })).toBe(true);
    expect(track({ userId: 'u1' })).toBe(false);
    const batch = ajv.compile(bodySchema('/v1/batch'));
    expect(batch({ batch: [{ type: 'track', userId: 'u1', event: 'x', timestamp: '2024-05-01T12:00:00Z' }] })).toBe(true);
    expect(batch({ batch: [{ type: 'track', userId: 'u1', event: 'x', timestamp: 'yesterday' }] })).toBe(false);
    expect(batch({ batch: [] })).toBe(false);
  });
});

describe('Swagger UI at /api/docs', () => {
  it('renders every documented operation in Chromium, signed in, without leaving the server', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 20_000 });
    try {
      const context = await browser.newContext();
      const external: string[] = [];
      await context.route('**/*', (route) => {
        if (route.request().url().startsWith(server.url)) return route.continue();
        external.push(route.request().url());
        return route.abort();
      });
      const signIn = await context.request.post(`${server.url}/api/session`, { data: { token: TEST_ADMIN_TOKEN } });
      expect(signIn.status()).toBe(200);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(String(err)));
      await page.goto(`${server.url}/api/docs`, { waitUntil: 'load', timeout: 15_000 });
      await page.locator('.opblock').first().waitFor({ timeout: 15_000 });
      const operations = Object.values(doc.paths).reduce((n: number, ops) => n + Object.keys(ops as Dict).length, 0);
      expect(await page.locator('.opblock').count()).toBe(operations);
      await expect(page.locator('.info .title').innerText()).resolves.toMatch(/^Tributary/);
      expect(await page.title()).toBe('Tributary API');
      expect(errors).toEqual([]);
      expect(external).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
