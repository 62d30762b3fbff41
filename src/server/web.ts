import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';

/** Where `npm run build` puts the dashboard (dist/web at the package root). */
export const DEFAULT_WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Tributary</title>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>The dashboard is not built</h1>
<p>Run <code>npm run build</code> in the Tributary folder, then reload this page. The API is up: see <a href="/api/health">/api/health</a>.</p>
</body></html>`;

/** True for a browser asking for a page (not the API, not ingestion, not a file). */
function wantsPage(request: FastifyRequest): boolean {
  const p = request.url.split('?')[0];
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (p.startsWith('/api/') || p.startsWith('/v1/') || path.extname(p) !== '') return false;
  return (request.headers.accept ?? '').includes('text/html');
}

/** Builds the not-found fallback for page paths: the app's index.html (read fresh, it is small), or the "not built" page. */
export function pageFallback(webDir: string): (request: FastifyRequest, reply: FastifyReply) => boolean {
  const index = path.join(webDir, 'index.html');
  return (request, reply) => {
    if (!wantsPage(request)) return false;
    let html: string;
    try {
      html = fs.readFileSync(index, 'utf8');
    } catch {
      void reply.status(503).type('text/html; charset=utf-8').send(NOT_BUILT);
      return true;
    }
    void reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
    return true;
  };
}

/**
 * Serves the built dashboard's files: hashed assets cached for a year, everything else
 * revalidated. Page paths (including `/`) fall through to `pageFallback`.
 */
export async function webRoutes(app: FastifyInstance, opts: { webDir: string }): Promise<void> {
  if (!fs.existsSync(path.join(opts.webDir, 'index.html'))) return;
  await app.register(fastifyStatic, {
    root: opts.webDir,
    wildcard: true,
    index: false,
    setHeaders(res, filePath) {
      const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
      res.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  // The static handler answers the root directory with 403 (index is off), so `/` is the app's page here.
  const servePage = pageFallback(opts.webDir);
  app.get('/', (request, reply) => {
    if (!servePage(request, reply)) reply.callNotFound();
  });
}
