// What the API shows of each record: ISO times, never a stored secret unless it was just made, and a webhook's own
// header values (credentials for the receiver, often) never: only their names.
import type { Attempt, Delivery } from '../domain/delivery.js';
import type { EventRecord } from '../domain/envelope.js';
import { maskHeaderValues } from '../domain/masked-headers.js';
import type { Webhook } from '../domain/webhook.js';
import type { ApiKey, EventType, Workspace } from '../domain/workspace.js';
import type { IssuedKey } from '../services/api-keys.js';
import type { WebhookWithSecret } from '../services/webhooks.js';

export function webhookView(webhook: Webhook, secret?: string) {
  return {
    id: webhook.id,
    url: webhook.url,
    description: webhook.description,
    events: webhook.events,
    active: webhook.active,
    status: webhook.status,
    headers: maskHeaderValues(webhook.headers),
    signature: webhook.signature,
    retry: webhook.retry,
    timeout: webhook.timeout,
    rateLimit: webhook.rateLimit,
    ordering: webhook.ordering,
    filter: webhook.filter,
    autoDisableAfter: webhook.autoDisableAfter,
    failingSince: webhook.failingSince && webhook.failingSince.toISOString(),
    ...(secret !== undefined ? { secret } : {}),
    createdAt: webhook.createdAt.toISOString(),
    updatedAt: webhook.updatedAt.toISOString(),
  };
}

export const webhookWithSecretView = ({ webhook, secret }: WebhookWithSecret) => webhookView(webhook, secret);

export function workspaceView(workspace: Workspace) {
  return { ...workspace, createdAt: workspace.createdAt.toISOString(), updatedAt: workspace.updatedAt.toISOString() };
}

export function apiKeyView({ key, record }: IssuedKey) {
  return {
    id: record.id,
    workspaceId: record.workspaceId,
    name: record.name,
    admin: record.admin,
    key,
    createdAt: record.createdAt.toISOString(),
  };
}

export function apiKeySummaryView(key: ApiKey) {
  return {
    id: key.id,
    workspaceId: key.workspaceId,
    name: key.name,
    admin: key.admin,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  };
}

export function eventTypeView(eventType: EventType) {
  return {
    name: eventType.name,
    description: eventType.description,
    schema: eventType.schema,
    createdAt: eventType.createdAt.toISOString(),
  };
}

/**
 * An event as the API's JSON text, with `data` spliced in as stored: parsing it and serialising it again cost a
 * 255 KB event some 25 ms and several times its size in memory, for the same bytes.
 */
export function eventJson(event: EventRecord): string {
  let json = `{"id":${JSON.stringify(event.id)},"type":${JSON.stringify(event.type)},"timestamp":"${event.timestamp.toISOString()}","data":${event.dataJson}`;
  for (const [field, value] of Object.entries(event.extras))
    json += `,${JSON.stringify(field)}:${JSON.stringify(value ?? null)}`;
  return `${json},"deliveries":${event.deliveryCount}}`;
}

export function deliveryView(delivery: Delivery) {
  return {
    id: delivery.id,
    webhookId: delivery.webhookId,
    eventId: delivery.eventId,
    event: delivery.eventType,
    timestamp: delivery.createdAt.toISOString(),
    status: delivery.status,
    responseStatus: delivery.lastResponseStatus,
    responseTime: delivery.lastResponseMs,
    attempts: delivery.attempts,
    lastError: delivery.lastError,
    // While an attempt is under way the stored time is its lease end, which is no promise to anyone.
    nextAttemptAt:
      delivery.status === 'pending' && !delivery.inFlight && delivery.nextAttemptAt
        ? delivery.nextAttemptAt.toISOString()
        : null,
    createdAt: delivery.createdAt.toISOString(),
    updatedAt: delivery.updatedAt.toISOString(),
  };
}

export function attemptView(attempt: Attempt) {
  return {
    attemptedAt: attempt.attemptedAt.toISOString(),
    durationMs: attempt.durationMs,
    requestHeaders: attempt.requestHeaders,
    responseStatus: attempt.responseStatus,
    responseHeaders: attempt.responseHeaders,
    responseBody: attempt.responseBody,
    error: attempt.error,
  };
}
