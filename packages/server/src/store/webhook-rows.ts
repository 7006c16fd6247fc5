// A webhook's row as both engines store it, and its mapping to the domain and back (column by column, so that a
// change writes only the columns it sets). The shared forms (times, flags, JSON) are in rows.ts.
import type { Filter } from '../domain/filter.js';
import type { Ordering, SignatureScheme, Webhook, WebhookStatus } from '../domain/webhook.js';
import { asDate, asDateOrNull, asFlag, jsonOrNull, type StoredFlag, type StoredTime } from './rows.js';
import type { WebhookChanges } from './store.js';

export interface WebhookRow {
  id: string;
  workspace_id: string;
  url: string;
  description: string;
  events: string;
  active: StoredFlag;
  status: string;
  headers: string;
  signature_scheme: string;
  signature_header_prefix: string;
  retry_schedule: string;
  retry_on_4xx: StoredFlag;
  timeout: string;
  rate_limit: number | null;
  ordering: string;
  filter: string | null;
  secret: string | null;
  previous_secret: string | null;
  previous_secret_expires_at: StoredTime | null;
  auto_disable_after: string | null;
  failing_since: StoredTime | null;
  created_at: StoredTime;
  updated_at: StoredTime;
}

export function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    url: row.url,
    description: row.description,
    events: JSON.parse(row.events) as string[],
    active: asFlag(row.active),
    status: row.status as WebhookStatus,
    headers: JSON.parse(row.headers) as Record<string, string>,
    signature: { scheme: row.signature_scheme as SignatureScheme, headerPrefix: row.signature_header_prefix },
    retry: { schedule: JSON.parse(row.retry_schedule) as string[], retryOn4xx: asFlag(row.retry_on_4xx) },
    timeout: row.timeout,
    rateLimit: row.rate_limit,
    ordering: row.ordering as Ordering,
    filter: row.filter === null ? null : (JSON.parse(row.filter) as Filter),
    secret: row.secret,
    previousSecret: row.previous_secret,
    previousSecretExpiresAt: asDateOrNull(row.previous_secret_expires_at),
    autoDisableAfter: row.auto_disable_after,
    failingSince: asDateOrNull(row.failing_since),
    createdAt: asDate(row.created_at),
    updatedAt: asDate(row.updated_at),
  };
}

/** How an engine writes times and flags. */
export interface StoredForms {
  time: (date: Date) => StoredTime;
  flag: (value: boolean) => StoredFlag;
}

/** Every column of a webhook, in the engine's forms. */
export function webhookColumns(webhook: Webhook, forms: StoredForms): Record<keyof WebhookRow, unknown> {
  return {
    id: webhook.id,
    workspace_id: webhook.workspaceId,
    ...webhookChangeColumns(webhook, forms),
    created_at: forms.time(webhook.createdAt),
  } as Record<keyof WebhookRow, unknown>;
}

/** The columns a change sets, and only those: what it leaves out keeps whatever another process wrote. */
export function webhookChangeColumns(
  changes: WebhookChanges,
  forms: StoredForms,
): Partial<Record<keyof WebhookRow, unknown>> {
  const columns: Partial<Record<keyof WebhookRow, unknown>> = {};
  if (changes.url !== undefined) columns.url = changes.url;
  if (changes.description !== undefined) columns.description = changes.description;
  if (changes.events !== undefined) columns.events = JSON.stringify(changes.events);
  if (changes.active !== undefined) columns.active = forms.flag(changes.active);
  if (changes.status !== undefined) columns.status = changes.status;
  if (changes.headers !== undefined) columns.headers = JSON.stringify(changes.headers);
  if (changes.signature !== undefined) {
    columns.signature_scheme = changes.signature.scheme;
    columns.signature_header_prefix = changes.signature.headerPrefix;
  }
  if (changes.retry !== undefined) {
    columns.retry_schedule = JSON.stringify(changes.retry.schedule);
    columns.retry_on_4xx = forms.flag(changes.retry.retryOn4xx);
  }
  if (changes.timeout !== undefined) columns.timeout = changes.timeout;
  if (changes.rateLimit !== undefined) columns.rate_limit = changes.rateLimit;
  if (changes.ordering !== undefined) columns.ordering = changes.ordering;
  if (changes.filter !== undefined) columns.filter = jsonOrNull(changes.filter);
  if (changes.secret !== undefined) columns.secret = changes.secret;
  if (changes.previousSecret !== undefined) columns.previous_secret = changes.previousSecret;
  if (changes.previousSecretExpiresAt !== undefined)
    columns.previous_secret_expires_at = changes.previousSecretExpiresAt && forms.time(changes.previousSecretExpiresAt);
  if (changes.autoDisableAfter !== undefined) columns.auto_disable_after = changes.autoDisableAfter;
  if (changes.failingSince !== undefined)
    columns.failing_since = changes.failingSince && forms.time(changes.failingSince);
  columns.updated_at = forms.time(changes.updatedAt);
  return columns;
}
