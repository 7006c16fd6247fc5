// Builds the Fastify app from its dependencies: the API under /api/v1, health checks and /openapi.json.
import swagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import { HookdError } from '../domain/errors.js';
import type { MonotonicClock, ServiceDeps } from '../services/deps.js';
import { nestingDepth } from './json-depth.js';
import { requireApiKey } from './auth.js';
import { dashboardFileRoutes } from './dashboard/dashboard-files.js';
import { dashboardSettings, type DashboardSettings } from './dashboard/dashboard-settings.js';
import { installErrorHandlers } from './error-handler.js';
import type { ApiLimits } from './request-limits.js';
import { deliveryRoutes } from './routes/deliveries.js';
import { eventTypeRoutes } from './routes/event-types.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes, type MetricsRouteOptions } from './routes/metrics.js';
import { webhookRoutes } from './routes/webhooks.js';
import { workspaceRoutes } from './routes/workspaces.js';
import { RequestLimits } from './request-limits.js';
import { openSessionRoute, sessionRoutes } from './routes/dashboard-session.js';
import { portalSessionRoutes } from './routes/portal-sessions.js';
import { statsRoutes } from './routes/stats.js';
import { ErrorResponse } from './schemas/common.js';
import { SessionResponse } from './schemas/dashboard.js';
import { documentWorkspaceHeader } from './schemas/workspace-header.js';
import { buildValidator } from './validation.js';

export const BODY_LIMIT_BYTES = 256 * 1024;
const MAX_JSON_DEPTH = 64;

export interface AppDeps extends ServiceDeps {
  logger: FastifyBaseLogger;
  version: string;
  limits: ApiLimits;
  /** CIDRs of proxies whose X-Forwarded-For gives request.ip (`--trust-proxy`); empty: the connecting address. */
  trustProxy: string[];
  /** Paces the request limits (performance.now() in a server), injected so tests can move it. */
  monotonicClock: MonotonicClock;
  /** The dashboard's build directory, browser session lifetime and public URL; each has a default. */
  dashboard?: Partial<DashboardSettings>;
  /** Serves /metrics; none: no /metrics (`--metrics off`). */
  metrics?: MetricsRouteOptions | undefined;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger,
    // Request lines at debug: at thousands of publishes a second, one info line each would cost more than the work.
    logController: new LogController({
      disableRequestLogging: deps.logger.level !== 'debug' && deps.logger.level !== 'trace',
    }),
    bodyLimit: BODY_LIMIT_BYTES,
    return503OnClosing: true,
    // request.ip is the right-most X-Forwarded-For address that is not a listed proxy; with none listed the header is
    // ignored, so a client cannot name another address to escape its failed-authentication limit.
    trustProxy: deps.trustProxy.length > 0 ? deps.trustProxy : false,
    // Long enough that the route schemas (not the router) judge an over-long id, naming the parameter.
    routerOptions: { maxParamLength: 512 },
    // Malformed URLs and the like, in the API's error shape.
    frameworkErrors: (error, _request, reply) => {
      void (reply as FastifyReply)
        .status(400)
        .send({ error: { code: 'HOOKD_ERR_VALIDATION', message: `url: ${error.message}` } });
    },
    // Fastify's typings describe the compiler as taking a bare schema; at run time it gets the route schema definition.
    schemaController: { compilersFactory: { buildValidator: buildValidator as never } },
  });
  installErrorHandlers(app);

  acceptJsonBodiesOnly(app);

  await registerOpenApi(app, deps.version);
  app.addSchema(ErrorResponse);
  // Answered both by the login (outside the authenticated scope) and by GET /dashboard/session (inside it).
  app.addSchema(SessionResponse);

  healthRoutes(app, deps);
  if (deps.metrics) metricsRoutes(app, deps.metrics);
  const dashboard = dashboardSettings(deps.dashboard);
  dashboardFileRoutes(app, {
    dir: dashboard.dir,
    portalFrameAncestors: async (workspaceId) => (await deps.store.getWorkspace(workspaceId))?.portalOrigins ?? [],
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // One set of limits for the API and the dashboard's login, so failed logins count like failed requests.
  const requestLimits = new RequestLimits(deps.limits);
  await app.register(async (login) => openSessionRoute(login, deps, { settings: dashboard, requestLimits }), {
    prefix: '/api/v1',
  });
  await app.register(
    async (api) => {
      requireApiKey(api, deps, { requestLimits, publicUrl: dashboard.publicUrl });
      sessionRoutes(api, deps);
      portalSessionRoutes(api, deps, dashboard);
      webhookRoutes(api, deps);
      eventTypeRoutes(api, deps);
      eventRoutes(api, deps);
      deliveryRoutes(api, deps);
      statsRoutes(api, deps);
      await api.register(async (admin) => workspaceRoutes(admin, deps));
    },
    { prefix: '/api/v1' },
  );
  return app;
}

/** JSON bodies only, none too deep, and an empty body as no fields. */
function acceptJsonBodiesOnly(app: FastifyInstance): void {
  // The API speaks JSON only; Fastify would otherwise turn text/plain into a string and answer 400, not 415.
  app.removeContentTypeParser('text/plain');
  // An empty body with Content-Type: application/json means "no fields", as clients like curl -X POST send it.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, text, done) => {
    if (typeof text === 'string' && text.trim() === '') return done(null, undefined);
    void parseJson(request, text as string, (error, body: unknown) => {
      if (error) return done(error);
      // Deep nesting is no use to anyone and would overflow the stack of every recursive step after parsing.
      if (nestingDepth(body) > MAX_JSON_DEPTH)
        return done(
          new HookdError('HOOKD_ERR_VALIDATION', `body: nests deeper than ${MAX_JSON_DEPTH} levels`, [
            { field: 'body', message: `nests deeper than ${MAX_JSON_DEPTH} levels` },
          ]),
        );
      done(null, body);
    });
  });
  // Bodies are optional on some POSTs (rotate-secret); an absent body validates as an empty object.
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && (request.method === 'POST' || request.method === 'PATCH')) request.body = {};
  });
}

/** The OpenAPI document, built from the route schemas and served at /openapi.json. */
async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'hookd', version: version, description: 'Self-hosted webhook delivery.' },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }],
    },
    transform: documentWorkspaceHeader,
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });
}
