// Serves the built dashboard (packages/dashboard/dist): index.html at `/` and `/portal` (never cached, so a new
// build is picked up at once), /assets/* (names carry a content hash: cached for a year), and the few files Vite
// copies to the root of dist (favicon and the like). Without a build, `/` says how to make one instead of a 404.
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { setDashboardHeaders } from './security-headers.js';

/** From src/api/dashboard or dist/api/dashboard alike: packages/server/<either>/api/dashboard → packages/dashboard. */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../../../dashboard/dist/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};
// One path segment of plain characters: no "..", no slashes, no encoded tricks reach the file system.
const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;
const NOT_BUILT =
  'The hookd dashboard is not built: run `npm run build` in the hookd checkout (npm ci does it too), then reload.\n';

export interface DashboardFilesOptions {
  /** The directory holding index.html and assets/. */
  dir: string;
  /** The origins that may frame `/portal?ws=<id>`: the workspace's portalOrigins (none for an unknown workspace). */
  portalFrameAncestors: (workspaceId: string) => Promise<readonly string[]>;
}

async function readOrUndefined(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}

async function sendIndex(reply: FastifyReply, dir: string, frameAncestors: readonly string[] = []) {
  setDashboardHeaders(reply, frameAncestors);
  reply.header('cache-control', 'no-cache');
  const html = await readOrUndefined(join(dir, 'index.html'));
  if (!html) return reply.status(503).type('text/plain; charset=utf-8').send(NOT_BUILT);
  return reply.type(CONTENT_TYPES['.html']!).send(html);
}

async function sendFile(reply: FastifyReply, path: string, name: string, immutable: boolean) {
  const type = CONTENT_TYPES[extname(name)];
  const content = type && SAFE_NAME.test(name) ? await readOrUndefined(path) : undefined;
  // The app's own 404, as for any path it does not know.
  if (!type || !content) return reply.callNotFound();
  setDashboardHeaders(reply);
  reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  return reply.type(type).send(content);
}

export function dashboardFileRoutes(app: FastifyInstance, options: DashboardFilesOptions): void {
  const { dir } = options;
  const hide = { schema: { hide: true } };
  app.get('/', hide, async (_request, reply) => sendIndex(reply, dir));
  app.get('/index.html', hide, async (_request, reply) => sendIndex(reply, dir));
  app.get('/portal', hide, async (request: FastifyRequest<{ Querystring: { ws?: unknown } }>, reply) => {
    const ws = request.query.ws;
    const ancestors = typeof ws === 'string' && SAFE_NAME.test(ws) ? await options.portalFrameAncestors(ws) : [];
    return sendIndex(reply, dir, ancestors);
  });
  app.get('/assets/:name', hide, async (request: FastifyRequest<{ Params: { name: string } }>, reply) =>
    sendFile(reply, join(dir, 'assets', request.params.name), request.params.name, true),
  );
  // Vite copies public/ to the root of dist (favicon.svg and the like); /healthz, /readyz and /openapi.json are
  // static routes, which Fastify matches before this one.
  app.get('/:name', hide, async (request: FastifyRequest<{ Params: { name: string } }>, reply) =>
    sendFile(reply, join(dir, request.params.name), request.params.name, false),
  );
}
