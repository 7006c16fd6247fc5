// /api/v1/events: publish (stored with all its deliveries before the 202), list and read events.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { HookdError } from '../../domain/errors.js';
import type { ServiceDeps } from '../../services/deps.js';
import { publishEvent } from '../../services/publish.js';
import { isSeqCursor, pageRequest } from '../paging.js';
import { errorResponses, ListOf, type PageQuery } from '../schemas/common.js';
import {
  EVENT_PAGE_DATA_BYTES,
  EventPageQuery,
  EventParams,
  EventResponse,
  PublishBody,
  PublishResponse,
} from '../schemas/delivery.js';
import { sendJsonText } from '../json-text.js';
import { eventJson } from '../views.js';

const tags = ['events'];

export function eventRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.addSchema(EventResponse);
  publishRoute(app, deps);
  eventReadRoutes(app, deps);
}

/** POST /events: publish. */
function publishRoute(app: FastifyInstance, deps: ServiceDeps): void {
  app.post<{ Body: PublishBody }>(
    '/events',
    {
      schema: {
        tags,
        summary:
          'Publish an event to every subscribed webhook; a repeated id or Idempotency-Key answers the first result',
        description:
          'The same request sent again with an event id or Idempotency-Key seen before answers the first result and delivers nothing again; a different request (type, data or any other field) under them answers 409 HOOKD_ERR_IDEMPOTENCY_CONFLICT.',
        body: PublishBody,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 255 })) }),
        response: { 202: PublishResponse, ...errorResponses(409, 413, 422) },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const result = await publishEvent(
        deps,
        request.caller.workspaceId,
        request.body,
        typeof key === 'string' ? key : undefined,
      );
      // Ids and the type only: the data is the customer's and is never logged.
      request.log.debug(
        {
          workspaceId: request.caller.workspaceId,
          eventId: result.id,
          type: result.type,
          deliveries: result.deliveries,
        },
        'event published',
      );
      return reply.status(202).send(result);
    },
  );
}

/** Reading events back. */
function eventReadRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.get<{ Querystring: PageQuery }>(
    '/events',
    {
      config: { portal: 'workspace' },
      schema: {
        tags,
        summary: 'List published events, newest first',
        querystring: EventPageQuery,
        response: { 200: ListOf(Type.Ref('Event')), ...errorResponses() },
      },
    },
    async (request, reply) => {
      const page = await deps.store.listEvents(request.caller.workspaceId, {
        ...pageRequest(request.query, isSeqCursor),
        maxDataBytes: EVENT_PAGE_DATA_BYTES,
      });
      const json = `{"data":[${page.data.map(eventJson).join(',')}],"nextCursor":${JSON.stringify(page.nextCursor)}}`;
      return sendJsonText(reply, json);
    },
  );

  app.get<{ Params: EventParams }>(
    '/events/:id',
    {
      config: { portal: 'workspace' },
      schema: {
        tags,
        summary: 'Read an event',
        params: EventParams,
        response: { 200: Type.Ref('Event'), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      const event = await deps.store.findEvent(request.caller.workspaceId, request.params.id);
      if (!event) throw new HookdError('HOOKD_ERR_NOT_FOUND', `no event ${request.params.id}`);
      return sendJsonText(reply, eventJson(event));
    },
  );
}
