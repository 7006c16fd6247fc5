// /api/v1/workspaces: tenants and their API keys; admin keys only. Register in its own scope: it adds a hook.
// Keys are managed by admin keys only, as POST /workspaces/:id/keys always was (Stripe and Svix do the same): a
// workspace key that leaked must not be able to mint, find or revoke its workspace's other keys.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { isIdOf } from '../../domain/ids.js';
import type { Workspace } from '../../domain/workspace.js';
import { issueApiKey, listApiKeys, revokeApiKey } from '../../services/api-keys.js';
import type { ServiceDeps } from '../../services/deps.js';
import { issueAlertSecretIfNone, rotateAlertSecret } from '../../services/alert-secrets.js';
import * as workspaces from '../../services/workspaces.js';
import { requireAdmin } from '../auth.js';
import { pageRequest } from '../paging.js';
import { errorResponses, ListOf, PageQuery } from '../schemas/common.js';
import {
  AlertSecretResponse,
  ApiKeyParams,
  ApiKeyResponse,
  ApiKeySummaryResponse,
  CreateApiKeyBody,
  CreateWorkspaceBody,
  RotateAlertSecretBody,
  UpdateWorkspaceBody,
  WorkspaceParams,
  WorkspaceResponse,
} from '../schemas/workspace.js';
import { apiKeySummaryView, apiKeyView, workspaceView } from '../views.js';

const tags = ['workspaces'];
const workspaceRef = Type.Ref('Workspace');

export function workspaceRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.addSchema(WorkspaceResponse);
  app.addSchema(ApiKeyResponse);
  app.addSchema(ApiKeySummaryResponse);
  app.addSchema(AlertSecretResponse);
  // Before validation, so a non-admin learns nothing from error messages about the bodies it may not send.
  app.addHook('preValidation', async (request) => requireAdmin(request));
  workspaceCollectionRoutes(app, deps);
  workspaceItemRoutes(app, deps);
  alertSecretRoutes(app, deps);
  apiKeyRoutes(app, deps);
  apiKeyListRoutes(app, deps);
}

/** /workspaces: create and list. */
function workspaceCollectionRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.post<{ Body: CreateWorkspaceBody }>(
    '/workspaces',
    {
      schema: {
        tags,
        summary: 'Create a workspace (admin)',
        body: CreateWorkspaceBody,
        response: { 201: workspaceRef, ...errorResponses(403, 409) },
      },
    },
    async (request, reply) => {
      const workspace = await workspaces.createWorkspace(deps, request.body);
      request.log.info({ workspaceId: workspace.id }, 'workspace created');
      return reply.status(201).send(await withAlertSecretIfNew(deps, workspace));
    },
  );

  app.get<{ Querystring: PageQuery }>(
    '/workspaces',
    {
      schema: {
        tags,
        summary: 'List workspaces, newest first (admin)',
        querystring: PageQuery,
        response: { 200: ListOf(workspaceRef), ...errorResponses(403) },
      },
    },
    async (request) => {
      const page = await workspaces.listWorkspaces(
        deps,
        pageRequest(request.query, (c) => isIdOf('ws', c)),
      );
      return { data: page.data.map(workspaceView), nextCursor: page.nextCursor };
    },
  );
}

/** /workspaces/:id: read and change. */
function workspaceItemRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.get<{ Params: WorkspaceParams }>(
    '/workspaces/:id',
    {
      schema: {
        tags,
        summary: 'Read a workspace (admin)',
        params: WorkspaceParams,
        response: { 200: workspaceRef, ...errorResponses(403, 404) },
      },
    },
    async (request) => {
      return workspaceView(await workspaces.getWorkspace(deps, request.params.id));
    },
  );

  app.patch<{ Params: WorkspaceParams; Body: UpdateWorkspaceBody }>(
    '/workspaces/:id',
    {
      schema: {
        tags,
        summary: 'Change a workspace (admin)',
        params: WorkspaceParams,
        body: UpdateWorkspaceBody,
        response: { 200: workspaceRef, ...errorResponses(403, 404, 409) },
      },
    },
    async (request) => {
      return withAlertSecretIfNew(deps, await workspaces.updateWorkspace(deps, request.params.id, request.body));
    },
  );
}

/** The workspace as shown, with its alert secret when this is the change that first gave it an alertUrl (shown once). */
async function withAlertSecretIfNew(deps: ServiceDeps, workspace: Workspace) {
  const alertSecret = await issueAlertSecretIfNone(deps, workspace);
  return { ...workspaceView(workspace), ...(alertSecret !== undefined ? { alertSecret } : {}) };
}

/** POST /workspaces/:id/alert-secret: a new secret for the alert POSTs, shown this once. */
function alertSecretRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.post<{ Params: WorkspaceParams }>(
    '/workspaces/:id/alert-secret',
    {
      schema: {
        tags,
        summary:
          "Replace the secret that signs the workspace's alert POSTs (admin); the new one is shown this once and signs from the next alert on",
        params: WorkspaceParams,
        body: RotateAlertSecretBody,
        response: { 200: Type.Ref('AlertSecret'), ...errorResponses(403, 404) },
      },
    },
    async (request) => {
      const alertSecret = await rotateAlertSecret(deps, request.params.id);
      request.log.info({ workspaceId: request.params.id }, 'alert secret rotated');
      return { alertSecret };
    },
  );
}

/** POST /workspaces/:id/keys: issue a key, shown this once. */
function apiKeyRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.post<{ Params: WorkspaceParams; Body: CreateApiKeyBody }>(
    '/workspaces/:id/keys',
    {
      schema: {
        tags,
        summary: 'Issue an API key for a workspace (admin); the key is shown this once',
        params: WorkspaceParams,
        body: CreateApiKeyBody,
        response: { 201: Type.Ref('ApiKey'), ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      const workspace = await workspaces.getWorkspace(deps, request.params.id);
      const issued = await issueApiKey(deps, {
        workspaceId: workspace.id,
        name: request.body.name,
        admin: request.body.admin,
      });
      request.log.info({ workspaceId: workspace.id, keyId: issued.record.id }, 'API key issued');
      return reply.status(201).send(apiKeyView(issued));
    },
  );
}

/** GET and DELETE /workspaces/:id/keys: list a workspace's keys (never the keys themselves) and revoke one. */
function apiKeyListRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.get<{ Params: WorkspaceParams; Querystring: PageQuery }>(
    '/workspaces/:id/keys',
    {
      schema: {
        tags,
        summary: "List a workspace's API keys not revoked, newest first (admin); never the keys themselves",
        params: WorkspaceParams,
        querystring: PageQuery,
        response: { 200: ListOf(Type.Ref('ApiKeySummary')), ...errorResponses(403, 404) },
      },
    },
    async (request) => {
      const workspace = await workspaces.getWorkspace(deps, request.params.id);
      const page = await listApiKeys(
        deps,
        workspace.id,
        pageRequest(request.query, (c) => isIdOf('key', c)),
      );
      return { data: page.data.map(apiKeySummaryView), nextCursor: page.nextCursor };
    },
  );

  app.delete<{ Params: ApiKeyParams }>(
    '/workspaces/:id/keys/:keyId',
    {
      schema: {
        tags,
        summary:
          'Revoke an API key (admin): refused from the next request on; the only admin key left cannot be revoked here',
        params: ApiKeyParams,
        response: { 204: Type.Null(), ...errorResponses(403, 404, 409) },
      },
    },
    async (request, reply) => {
      const workspace = await workspaces.getWorkspace(deps, request.params.id);
      await revokeApiKey(deps, { workspaceId: workspace.id, keyId: request.params.keyId, keepAnAdmin: true });
      request.log.info({ workspaceId: workspace.id, keyId: request.params.keyId }, 'API key revoked');
      return reply.status(204).send();
    },
  );
}
