// The delivery log and its actions: list a webhook's deliveries, read one and its attempts, redeliver, send a test.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import * as deliveries from '../../services/deliveries.js';
import type { ServiceDeps } from '../../services/deps.js';
import { isSeqCursor, pageRequest } from '../paging.js';
import { errorResponses, ListOf, PageQuery } from '../schemas/common.js';
import {
  AttemptResponse,
  DeliveryParams,
  DeliveryQuery,
  DeliveryResponse,
  RedeliverBody,
} from '../schemas/delivery.js';
import { WebhookParams } from '../schemas/webhook.js';
import { attemptView, deliveryView } from '../views.js';

const tags = ['deliveries'];
const deliveryRef = Type.Ref('Delivery');
/** These actions take no fields; an empty or absent body is fine. */
const NoBody = Type.Object({}, { additionalProperties: false });

export function deliveryRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.addSchema(DeliveryResponse);
  app.addSchema(AttemptResponse);
  deliveryLogRoutes(app, deps);
  attemptRoutes(app, deps);
  resendRoutes(app, deps);
}

/** The delivery log: a webhook's deliveries, and one delivery. */
function deliveryLogRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.get<{ Params: WebhookParams; Querystring: DeliveryQuery }>(
    '/webhooks/:id/deliveries',
    {
      config: { portal: { webhookParam: 'id' } },
      schema: {
        tags,
        summary: "A webhook's delivery log, newest first",
        params: WebhookParams,
        querystring: DeliveryQuery,
        response: { 200: ListOf(deliveryRef), ...errorResponses(404) },
      },
    },
    async (request) => {
      const { status, event, eventId } = request.query;
      const page = await deliveries.listDeliveries(
        deps,
        request.caller.workspaceId,
        { webhookId: request.params.id, status, eventType: event, eventId },
        pageRequest(request.query, isSeqCursor),
      );
      return { data: page.data.map(deliveryView), nextCursor: page.nextCursor };
    },
  );

  app.get<{ Params: DeliveryParams }>(
    '/deliveries/:id',
    {
      config: { portal: { deliveryParam: 'id' } },
      schema: {
        tags,
        summary: 'Read a delivery',
        params: DeliveryParams,
        response: { 200: deliveryRef, ...errorResponses(404) },
      },
    },
    async (request) => {
      const { delivery, body } = await deliveries.getDeliveryWithBody(
        deps,
        request.caller.workspaceId,
        request.params.id,
      );
      return { ...deliveryView(delivery), body };
    },
  );
}

/** Every attempt of one delivery, request and response. */
function attemptRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.get<{ Params: DeliveryParams; Querystring: PageQuery }>(
    '/deliveries/:id/attempts',
    {
      config: { portal: { deliveryParam: 'id' } },
      schema: {
        tags,
        summary:
          'Every attempt of a delivery, oldest first: request headers, response status, headers, body (first 4 KiB), duration, error',
        params: DeliveryParams,
        querystring: PageQuery,
        response: { 200: ListOf(Type.Ref('Attempt')), ...errorResponses(404) },
      },
    },
    async (request) => {
      const page = await deliveries.listAttempts(
        deps,
        request.caller.workspaceId,
        request.params.id,
        pageRequest(request.query, isSeqCursor),
      );
      return { data: page.data.map(attemptView), nextCursor: page.nextCursor };
    },
  );
}

/** Sending again: retry a delivery, redeliver a time range, send a test event. */
function resendRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  // The seed's path and the shorter one beside GET /deliveries/:id: the same action, both in /openapi.json.
  for (const path of ['/webhooks/deliveries/:id/retry', '/deliveries/:id/retry']) {
    app.post<{ Params: DeliveryParams }>(
      path,
      {
        config: { portal: { deliveryParam: 'id' } },
        schema: {
          tags,
          summary: 'Redeliver one delivery now, whatever its status, with a fresh retry schedule',
          params: DeliveryParams,
          body: NoBody,
          response: { 202: deliveryRef, ...errorResponses(404, 409) },
        },
      },
      async (request, reply) =>
        reply
          .status(202)
          .send(deliveryView(await deliveries.retryDelivery(deps, request.caller.workspaceId, request.params.id))),
    );
  }

  app.post<{ Params: WebhookParams; Body: RedeliverBody }>(
    '/webhooks/:id/redeliver',
    {
      config: { portal: { webhookParam: 'id' } },
      schema: {
        tags,
        summary: 'Redeliver every failed delivery of a webhook (optionally only those created since a time)',
        params: WebhookParams,
        body: RedeliverBody,
        response: { 202: Type.Object({ redelivered: Type.Integer() }), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      const since = request.body.since === undefined ? undefined : new Date(request.body.since);
      const redelivered = await deliveries.redeliverFailed(deps, request.caller.workspaceId, request.params.id, since);
      return reply.status(202).send({ redelivered });
    },
  );

  app.post<{ Params: WebhookParams }>(
    '/webhooks/:id/test',
    {
      config: { portal: { webhookParam: 'id' } },
      schema: {
        tags,
        summary:
          '"Send test": a synthetic webhook.test event to this webhook alone; answers with the delivery and its first attempt',
        params: WebhookParams,
        body: NoBody,
        response: {
          200: Type.Object({ delivery: deliveryRef, attempt: Type.Union([Type.Ref('Attempt'), Type.Null()]) }),
          ...errorResponses(404),
        },
      },
    },
    async (request) => {
      const { delivery, attempt } = await deliveries.sendTestEvent(deps, request.caller.workspaceId, request.params.id);
      return { delivery: deliveryView(delivery), attempt: attempt ? attemptView(attempt) : null };
    },
  );
}
