// /api/v1/portal-sessions: short-lived links that open the dashboard as a portal, scoped to one workspace (and maybe
// some of its webhooks), for a product to show its own customers their webhooks. Portal links cannot make more.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { durationProblem, parseDuration } from '../../domain/duration.js';
import { HookdError, throwIfProblems } from '../../domain/errors.js';
import { openPortalSession } from '../../services/browser-sessions.js';
import type { ServiceDeps } from '../../services/deps.js';
import * as workspaces from '../../services/workspaces.js';
import type { DashboardSettings } from '../dashboard/dashboard-settings.js';
import { CreatePortalSessionBody, PortalSessionResponse } from '../schemas/dashboard.js';
import { errorResponses } from '../schemas/common.js';

const MIN_PORTAL_MS = 60_000;
const MAX_PORTAL_MS = 24 * 3_600_000;
const DEFAULT_EXPIRES_IN = '1h';

function portalOrigin(request: FastifyRequest, publicUrl: string | undefined): string {
  return publicUrl !== undefined ? publicUrl.replace(/\/+$/, '') : `${request.protocol}://${request.host}`;
}

export function portalSessionRoutes(app: FastifyInstance, deps: ServiceDeps, settings: DashboardSettings): void {
  app.addSchema(PortalSessionResponse);
  app.post<{ Body: CreatePortalSessionBody }>(
    '/portal-sessions',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'Make a portal link: the dashboard for one workspace (or some of its webhooks), without an API key',
        body: CreatePortalSessionBody,
        response: { 201: Type.Ref('PortalSession'), ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      const { caller } = request;
      const workspaceId = request.body.workspaceId ?? caller.workspaceId;
      if (workspaceId !== caller.workspaceId && !caller.admin)
        throw new HookdError('HOOKD_ERR_FORBIDDEN', 'workspaceId: a portal of another workspace needs an admin key');
      const workspace = await workspaces.getWorkspace(deps, workspaceId);
      const expiresIn = request.body.expiresIn ?? DEFAULT_EXPIRES_IN;
      const problem = durationProblem(expiresIn, MIN_PORTAL_MS, MAX_PORTAL_MS);
      throwIfProblems(problem ? [{ field: 'expiresIn', message: problem }] : []);
      const { token, session } = await openPortalSession(deps, {
        workspaceId: workspace.id,
        webhookIds: request.body.webhookIds ?? null,
        readOnly: request.body.readOnly ?? false,
        ttlMs: parseDuration(expiresIn)!,
      });
      request.log.info({ workspaceId: workspace.id, sessionId: session.id }, 'portal session made');
      const url = `${portalOrigin(request, settings.publicUrl)}/portal?ws=${encodeURIComponent(workspace.id)}#token=${token}`;
      return reply.status(201).send({ url, token, expiresAt: session.expiresAt.toISOString() });
    },
  );
}
