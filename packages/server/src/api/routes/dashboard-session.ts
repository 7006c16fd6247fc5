// /api/v1/dashboard/session: the dashboard logs in with an API key once and holds an HttpOnly cookie from then on,
// so no script on the page can read a long-lived credential. GET also answers a portal link's bearer token, with the
// workspace's name and accent colour for the portal's branding.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { csrfTokenOf } from '../../domain/browser-session.js';
import { HookdError } from '../../domain/errors.js';
import type { Workspace } from '../../domain/workspace.js';
import type { Caller } from '../../services/api-keys.js';
import { endSession, openDashboardSession } from '../../services/browser-sessions.js';
import type { ServiceDeps } from '../../services/deps.js';
import * as workspaces from '../../services/workspaces.js';
import type { DashboardSettings } from '../dashboard/dashboard-settings.js';
import { clearSessionCookie, isOwnOrigin, sessionCookieOf, setSessionCookie } from '../dashboard/session-cookie.js';
import type { RequestLimits } from '../request-limits.js';
import { OpenSessionBody } from '../schemas/dashboard.js';
import { errorResponses } from '../schemas/common.js';

const tags = ['dashboard'];
const sessionRef = Type.Ref('DashboardSession');

function sessionView(workspace: Workspace, caller: Caller, csrfToken: string | null) {
  return {
    workspace: { id: workspace.id, name: workspace.name, accentColor: workspace.accentColor },
    admin: caller.admin,
    expiresAt: caller.sessionExpiresAt!.toISOString(),
    csrfToken,
    readOnly: caller.portal?.readOnly ?? false,
    webhookIds: caller.portal?.webhookIds ?? null,
  };
}

/** POST: the login. Outside the authenticated scope (it takes the key in its body); bad keys count as failures. */
export function openSessionRoute(
  app: FastifyInstance,
  deps: ServiceDeps & { monotonicClock: () => number },
  options: { settings: DashboardSettings; requestLimits: RequestLimits },
): void {
  app.post<{ Body: OpenSessionBody }>(
    '/dashboard/session',
    {
      schema: {
        tags,
        summary: 'Log the dashboard in with an API key: sets the HttpOnly session cookie',
        security: [],
        body: OpenSessionBody,
        response: { 200: sessionRef, ...errorResponses(403) },
      },
      // Before the body is read: a stranger over its failure limit is refused without parsing anything.
      onRequest: async (request) => options.requestLimits.checkAddress(request.ip, deps.monotonicClock()),
    },
    async (request, reply) => {
      const origin = request.headers.origin;
      if (typeof origin === 'string' && !isOwnOrigin(request, origin, options.settings.publicUrl))
        throw new HookdError('HOOKD_ERR_CSRF', `Origin ${origin} is not this server's: refused`);
      const opened = await openDashboardSession(deps, {
        apiKey: request.body.apiKey,
        ttlMs: options.settings.sessionTtlMs,
      });
      if (!opened) {
        options.requestLimits.authenticationFailed(request.ip, deps.monotonicClock());
        throw new HookdError('HOOKD_ERR_UNAUTHORIZED', 'invalid API key');
      }
      const { session, token } = opened;
      request.log.info({ workspaceId: session.workspaceId, sessionId: session.id }, 'dashboard session opened');
      setSessionCookie(request, reply, token, session.expiresAt.getTime() - deps.clock().getTime());
      const caller = { keyId: session.apiKeyId!, workspaceId: session.workspaceId, admin: session.admin };
      const workspace = await workspaces.getWorkspace(deps, session.workspaceId);
      return sessionView(
        workspace,
        { ...caller, lastUsedAt: null, sessionExpiresAt: session.expiresAt },
        csrfTokenOf(token),
      );
    },
  );
}

function requireSession(request: FastifyRequest): void {
  if (request.caller.sessionExpiresAt === undefined)
    throw new HookdError(
      'HOOKD_ERR_UNAUTHORIZED',
      'no dashboard session: an API key is sent with every request instead (POST /api/v1/dashboard/session opens one)',
    );
}

/** GET and DELETE, in the authenticated scope: the cookie (or a portal token) is the caller. */
export function sessionRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.get(
    '/dashboard/session',
    {
      schema: {
        tags,
        summary: 'The current dashboard session (cookie) or portal session (bearer hps_…)',
        response: { 200: sessionRef, ...errorResponses(404) },
      },
      config: { portal: 'any' },
    },
    async (request) => {
      requireSession(request);
      const workspace = await workspaces.getWorkspace(deps, request.caller.workspaceId);
      const cookie = request.caller.via === 'dashboard' ? sessionCookieOf(request) : undefined;
      return sessionView(workspace, request.caller, cookie === undefined ? null : csrfTokenOf(cookie));
    },
  );

  app.delete(
    '/dashboard/session',
    {
      schema: {
        tags,
        summary: 'Log the dashboard out: ends the session and clears its cookie',
        response: { 204: Type.Null(), ...errorResponses(403) },
      },
    },
    async (request, reply) => {
      const cookie = request.caller.via === 'dashboard' ? sessionCookieOf(request) : undefined;
      if (cookie !== undefined) await endSession(deps, cookie);
      clearSessionCookie(request, reply);
      return reply.status(204).send();
    },
  );
}
