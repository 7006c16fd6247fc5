// /api/v1/webhooks: create, list, read, change, delete, rotate the secret.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { isIdOf } from '../../domain/ids.js';
import type { ServiceDeps } from '../../services/deps.js';
import * as webhooks from '../../services/webhooks.js';
import { pageRequest } from '../paging.js';
import { errorResponses, ListOf, PageQuery } from '../schemas/common.js';
import {
  CreateWebhookBody,
  RotateSecretBody,
  UpdateWebhookBody,
  WebhookParams,
  WebhookResponse,
} from '../schemas/webhook.js';
import { webhookView, webhookWithSecretView } from '../views.js';

const tags = ['webhooks'];
const webhookRef = Type.Ref('Webhook');

export function webhookRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.addSchema(WebhookResponse);
  webhookCollectionRoutes(app, deps);
  webhookItemRoutes(app, deps);
  webhookSecretRoutes(app, deps);
}

/** /webhooks: create and list. */
function webhookCollectionRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.post<{ Body: CreateWebhookBody }>(
    '/webhooks',
    {
      config: { portal: 'workspace' },
      schema: {
        tags,
        summary: 'Create a webhook; the answer carries its secret, shown this once',
        body: CreateWebhookBody,
        response: { 201: webhookRef, ...errorResponses(409, 422) },
      },
    },
    async (request, reply) => {
      const created = await webhooks.createWebhook(deps, request.caller.workspaceId, request.body);
      request.log.info({ webhookId: created.webhook.id }, 'webhook created');
      return reply.status(201).send(webhookWithSecretView(created));
    },
  );

  app.get<{ Querystring: PageQuery }>(
    '/webhooks',
    {
      config: { portal: 'any' },
      schema: {
        tags,
        summary: 'List webhooks, newest first',
        querystring: PageQuery,
        response: { 200: ListOf(webhookRef), ...errorResponses() },
      },
    },
    async (request) => {
      const page = await webhooks.listWebhooks(
        deps,
        request.caller.workspaceId,
        pageRequest(request.query, (c) => isIdOf('wh', c)),
        request.caller.portal?.webhookIds,
      );
      return { data: page.data.map((webhook) => webhookView(webhook)), nextCursor: page.nextCursor };
    },
  );
}

/** /webhooks/:id: read, change and delete. */
function webhookItemRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.get<{ Params: WebhookParams }>(
    '/webhooks/:id',
    {
      config: { portal: { webhookParam: 'id' } },
      schema: {
        tags,
        summary: 'Read a webhook',
        params: WebhookParams,
        response: { 200: webhookRef, ...errorResponses(404) },
      },
    },
    async (request) => webhookView(await webhooks.getWebhook(deps, request.caller.workspaceId, request.params.id)),
  );

  app.patch<{ Params: WebhookParams; Body: UpdateWebhookBody }>(
    '/webhooks/:id',
    {
      config: { portal: { webhookParam: 'id' } },
      schema: {
        tags,
        summary: 'Change a webhook; fields left out keep their value',
        params: WebhookParams,
        body: UpdateWebhookBody,
        response: { 200: webhookRef, ...errorResponses(404, 422) },
      },
    },
    async (request) => {
      const updated = await webhooks.updateWebhook(deps, request.caller.workspaceId, request.params.id, request.body);
      request.log.info({ webhookId: updated.webhook.id }, 'webhook updated');
      return webhookWithSecretView(updated);
    },
  );

  app.delete<{ Params: WebhookParams }>(
    '/webhooks/:id',
    {
      config: { portal: { webhookParam: 'id' } },
      schema: {
        tags,
        summary: 'Delete a webhook',
        params: WebhookParams,
        response: { 204: Type.Null(), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await webhooks.deleteWebhook(deps, request.caller.workspaceId, request.params.id);
      request.log.info({ webhookId: request.params.id }, 'webhook deleted');
      return reply.status(204).send();
    },
  );
}

/** /webhooks/:id/rotate-secret. */
function webhookSecretRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.post<{ Params: WebhookParams; Body: RotateSecretBody }>(
    '/webhooks/:id/rotate-secret',
    {
      config: { portal: { webhookParam: 'id' } },
      schema: {
        tags,
        summary: 'Replace the secret; the old one keeps signing beside it for 24 hours',
        params: WebhookParams,
        body: RotateSecretBody,
        response: { 200: webhookRef, ...errorResponses(404, 422) },
      },
    },
    async (request) => {
      const rotated = await webhooks.rotateWebhookSecret(
        deps,
        request.caller.workspaceId,
        request.params.id,
        request.body,
      );
      request.log.info({ webhookId: rotated.webhook.id }, 'webhook secret rotated');
      return webhookWithSecretView(rotated);
    },
  );
}
