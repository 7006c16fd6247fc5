// What the API shows of each record: ISO times, and never a stored secret unless it was just made.
import type { Webhook } from '../domain/webhook.js';
import type { EventType, Workspace } from '../domain/workspace.js';
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
    headers: webhook.headers,
    signature: webhook.signature,
    retry: webhook.retry,
    timeout: webhook.timeout,
    rateLimit: webhook.rateLimit,
    ordering: webhook.ordering,
    filter: webhook.filter,
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
  return { id: record.id, workspaceId: record.workspaceId, name: record.name, admin: record.admin, key, createdAt: record.createdAt.toISOString() };
}

export function eventTypeView(eventType: EventType) {
  return { name: eventType.name, description: eventType.description, schema: eventType.schema, createdAt: eventType.createdAt.toISOString() };
}
