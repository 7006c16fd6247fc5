// SQL for webhooks. Lists, patterns, headers and filters are JSON text columns.
import type { Filter } from '../../domain/filter.js';
import type { Ordering, SignatureScheme, Webhook, WebhookStatus } from '../../domain/webhook.js';
import type { Page, PageRequest } from '../store.js';
import { jsonOrNull, toDate, toDateOrNull, toMs, type SqliteDatabase } from './database.js';
import { toPage } from './paging.js';

export interface WebhookRow {
  id: string;
  workspace_id: string;
  url: string;
  description: string;
  events: string;
  active: number;
  status: string;
  headers: string;
  signature_scheme: string;
  signature_header_prefix: string;
  retry_schedule: string;
  retry_on_4xx: number;
  timeout: string;
  rate_limit: number | null;
  ordering: string;
  filter: string | null;
  secret: string | null;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
  created_at: number;
  updated_at: number;
}

export function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    url: row.url,
    description: row.description,
    events: JSON.parse(row.events) as string[],
    active: row.active === 1,
    status: row.status as WebhookStatus,
    headers: JSON.parse(row.headers) as Record<string, string>,
    signature: { scheme: row.signature_scheme as SignatureScheme, headerPrefix: row.signature_header_prefix },
    retry: { schedule: JSON.parse(row.retry_schedule) as string[], retryOn4xx: row.retry_on_4xx === 1 },
    timeout: row.timeout,
    rateLimit: row.rate_limit,
    ordering: row.ordering as Ordering,
    filter: row.filter === null ? null : (JSON.parse(row.filter) as Filter),
    secret: row.secret,
    previousSecret: row.previous_secret,
    previousSecretExpiresAt: toDateOrNull(row.previous_secret_expires_at),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

function toRow(webhook: Webhook): WebhookRow {
  return {
    id: webhook.id,
    workspace_id: webhook.workspaceId,
    url: webhook.url,
    description: webhook.description,
    events: JSON.stringify(webhook.events),
    active: webhook.active ? 1 : 0,
    status: webhook.status,
    headers: JSON.stringify(webhook.headers),
    signature_scheme: webhook.signature.scheme,
    signature_header_prefix: webhook.signature.headerPrefix,
    retry_schedule: JSON.stringify(webhook.retry.schedule),
    retry_on_4xx: webhook.retry.retryOn4xx ? 1 : 0,
    timeout: webhook.timeout,
    rate_limit: webhook.rateLimit,
    ordering: webhook.ordering,
    filter: jsonOrNull(webhook.filter),
    secret: webhook.secret,
    previous_secret: webhook.previousSecret,
    previous_secret_expires_at: webhook.previousSecretExpiresAt && toMs(webhook.previousSecretExpiresAt),
    created_at: toMs(webhook.createdAt),
    updated_at: toMs(webhook.updatedAt),
  };
}


export function insertWebhook(database: SqliteDatabase, webhook: Webhook): void {
  database.write(() =>
    database
      .prepared(
        `INSERT INTO webhooks (id, workspace_id, url, description, events, active, status, headers, signature_scheme,
           signature_header_prefix, retry_schedule, retry_on_4xx, timeout, rate_limit, ordering, filter, secret,
           previous_secret, previous_secret_expires_at, created_at, updated_at)
         VALUES (@id, @workspace_id, @url, @description, @events, @active, @status, @headers, @signature_scheme,
           @signature_header_prefix, @retry_schedule, @retry_on_4xx, @timeout, @rate_limit, @ordering, @filter, @secret,
           @previous_secret, @previous_secret_expires_at, @created_at, @updated_at)`,
      )
      .run(toRow(webhook)),
  );
}

export function updateWebhook(database: SqliteDatabase, webhook: Webhook): void {
  database.write(() =>
    database
      .prepared(
        `UPDATE webhooks SET url = @url, description = @description, events = @events, active = @active,
           status = @status, headers = @headers, signature_scheme = @signature_scheme,
           signature_header_prefix = @signature_header_prefix, retry_schedule = @retry_schedule,
           retry_on_4xx = @retry_on_4xx, timeout = @timeout, rate_limit = @rate_limit, ordering = @ordering,
           filter = @filter, secret = @secret, previous_secret = @previous_secret,
           previous_secret_expires_at = @previous_secret_expires_at, updated_at = @updated_at
         WHERE id = @id AND workspace_id = @workspace_id`,
      )
      .run(toRow(webhook)),
  );
}

export function getWebhook(database: SqliteDatabase, workspaceId: string, id: string): Webhook | undefined {
  const row = database.prepared('SELECT * FROM webhooks WHERE workspace_id = ? AND id = ?').get(workspaceId, id) as WebhookRow | undefined;
  return row && toWebhook(row);
}

export function listWebhooks(database: SqliteDatabase, workspaceId: string, page: PageRequest): Page<Webhook> {
  const rows = database
    .prepared(
      `SELECT * FROM webhooks WHERE workspace_id = @workspace_id AND (@cursor IS NULL OR id < @cursor)
       ORDER BY id DESC LIMIT @limit`,
    )
    .all({ workspace_id: workspaceId, cursor: page.cursor ?? null, limit: page.limit + 1 }) as WebhookRow[];
  return toPage(rows, page.limit, toWebhook, (row) => row.id);
}

export function deleteWebhook(database: SqliteDatabase, workspaceId: string, id: string): boolean {
  return database.prepared('DELETE FROM webhooks WHERE workspace_id = ? AND id = ?').run(workspaceId, id).changes > 0;
}

export function listSubscribedWebhooks(database: SqliteDatabase, workspaceId: string): Webhook[] {
  const rows = database.prepared("SELECT * FROM webhooks WHERE workspace_id = ? AND status != 'disabled'").all(workspaceId) as WebhookRow[];
  return rows.map(toWebhook);
}
