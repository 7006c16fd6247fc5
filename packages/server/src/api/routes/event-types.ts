// /api/v1/event-types: the catalog of event names, each with a description and an optional JSON Schema.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { eventTypeNameProblem } from '../../domain/event-pattern.js';
import type { ServiceDeps } from '../../services/deps.js';
import * as eventTypes from '../../services/event-types.js';
import { pageRequest } from '../paging.js';
import { errorResponses, ListOf, PageQuery } from '../schemas/common.js';
import { CreateEventTypeBody, EventTypeParams, EventTypeResponse } from '../schemas/workspace.js';
import { eventTypeView } from '../views.js';

const tags = ['event types'];
const eventTypeRef = Type.Ref('EventType');

export function eventTypeRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.addSchema(EventTypeResponse);
  eventTypeCollectionRoutes(app, deps);
  eventTypeItemRoutes(app, deps);
}

/** /event-types: create and list. */
function eventTypeCollectionRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.post<{ Body: CreateEventTypeBody }>(
    '/event-types',
    {
      schema: {
        tags,
        summary: 'Add an event type to the catalog',
        body: CreateEventTypeBody,
        response: { 201: eventTypeRef, ...errorResponses(409, 422) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(eventTypeView(await eventTypes.createEventType(deps, request.caller.workspaceId, request.body))),
  );

  app.get<{ Querystring: PageQuery }>(
    '/event-types',
    {
      config: { portal: 'any' },
      schema: {
        tags,
        summary: 'List the catalog by name',
        querystring: PageQuery,
        response: { 200: ListOf(eventTypeRef), ...errorResponses() },
      },
    },
    async (request) => {
      const page = await eventTypes.listEventTypes(
        deps,
        request.caller.workspaceId,
        pageRequest(request.query, (c) => eventTypeNameProblem(c) === undefined),
      );
      return { data: page.data.map(eventTypeView), nextCursor: page.nextCursor };
    },
  );
}

/** /event-types/:name: read and delete. */
function eventTypeItemRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.get<{ Params: EventTypeParams }>(
    '/event-types/:name',
    {
      config: { portal: 'any' },
      schema: {
        tags,
        summary: 'Read an event type',
        params: EventTypeParams,
        response: { 200: eventTypeRef, ...errorResponses(404) },
      },
    },
    async (request) =>
      eventTypeView(await eventTypes.getEventType(deps, request.caller.workspaceId, request.params.name)),
  );

  app.delete<{ Params: EventTypeParams }>(
    '/event-types/:name',
    {
      schema: {
        tags,
        summary: 'Remove an event type from the catalog',
        params: EventTypeParams,
        response: { 204: Type.Null(), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await eventTypes.deleteEventType(deps, request.caller.workspaceId, request.params.name);
      return reply.status(204).send();
    },
  );
}
