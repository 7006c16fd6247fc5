// @hookd/client: a typed client for hookd's API, its types generated from the server's /openapi.json.
import type { components, paths } from './generated/api.js';

export { createHookdClient, dataOf, type HookdClient, type HookdClientOptions } from './client.js';
export { HookdApiError, HookdConnectionError, type ApiErrorBody } from './errors.js';
export { paginate, type Page } from './pagination.js';
export type { components, paths } from './generated/api.js';

type Schemas = components['schemas'];
export type Webhook = Schemas['Webhook'];
export type Delivery = Schemas['Delivery'];
export type Attempt = Schemas['Attempt'];
/** A published event, as GET /events answers it. */
export type PublishedEvent = Schemas['Event'];
export type EventType = Schemas['EventType'];
export type Workspace = Schemas['Workspace'];
export type ApiKey = Schemas['ApiKey'];
/** The body of POST /webhooks. */
export type CreateWebhookBody = NonNullable<
  paths['/api/v1/webhooks']['post']['requestBody']
>['content']['application/json'];
/** The body of POST /events. */
export type PublishEventBody = NonNullable<
  paths['/api/v1/events']['post']['requestBody']
>['content']['application/json'];
