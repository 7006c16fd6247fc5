// /metrics in the Prometheus text format, outside /api/v1 like /healthz. With a token set (HOOKD_METRICS_TOKEN), only
// a scrape that sends it as a bearer token (Prometheus: `authorization: { credentials_file: … }`) gets the figures.
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/** What the route serves (built by the runtime with prom-client). */
export interface MetricsEndpoint {
  contentType: string;
  /** The exposition text; the database figures are read now. */
  render(): Promise<string>;
}

export interface MetricsRouteOptions {
  endpoint: MetricsEndpoint;
  /** When set, the bearer token a scrape must send. */
  token: string | undefined;
}

// Compared as SHA-256 digests: equal lengths for timingSafeEqual, and no timing that tells how much of it matched.
const digest = (text: string) => createHash('sha256').update(text).digest();

export function metricsRoutes(app: FastifyInstance, options: MetricsRouteOptions): void {
  const expected = options.token === undefined ? undefined : digest(options.token);
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (expected) {
      const header = request.headers.authorization ?? '';
      const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
      if (!timingSafeEqual(digest(given), expected))
        return reply.status(401).header('www-authenticate', 'Bearer realm="hookd metrics"').send({
          code: 'HOOKD_ERR_UNAUTHORIZED',
          message: 'authorization: a bearer token (HOOKD_METRICS_TOKEN) is required',
        });
    }
    const text = await options.endpoint.render();
    return reply.type(options.endpoint.contentType).send(text);
  });
}
