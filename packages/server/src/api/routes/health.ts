// /healthz (the process answers) and /readyz (and its database answers), for load balancers and orchestrators.
import type { FastifyInstance } from 'fastify';
import type { ServiceDeps } from '../../services/deps.js';

export function healthRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (request, reply) => {
    try {
      await deps.store.ping();
      return { status: 'ready' };
    } catch (error) {
      request.log.warn({ err: error }, 'database not reachable or not writable');
      return reply.status(503).send({ status: 'unavailable', reason: 'database not reachable or not writable' });
    }
  });
}
