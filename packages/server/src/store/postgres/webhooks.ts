// SQL for webhooks. Lists, patterns, headers and filters are JSON text columns, as in SQLite.
import type { Webhook } from '../../domain/webhook.js';
import { toPage, toWebhook, webhookChangeColumns, webhookColumns, type StoredForms, type WebhookRow } from '../rows.js';
import type { Page, PageRequest, WebhookChanges } from '../store.js';
import type { PostgresDatabase } from './database.js';
import { DUE_CHANNEL } from './events.js';

const FORMS: StoredForms = { time: (date) => date, flag: (value) => value };

export async function insertWebhook(database: PostgresDatabase, webhook: Webhook): Promise<void> {
  const columns = webhookColumns(webhook, FORMS);
  const names = Object.keys(columns);
  await database.execute(`INSERT INTO webhooks (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(columns));
}

/**
 * One UPDATE of the changed columns only, so it cannot undo a status a worker wrote meanwhile. Switching a webhook
 * on NOTIFYs the workers: its held deliveries are due, and they may run in other processes.
 */
export async function updateWebhook(database: PostgresDatabase, workspaceId: string, id: string, changes: WebhookChanges): Promise<boolean> {
  const columns = webhookChangeColumns(changes, FORMS);
  const set = Object.keys(columns).map((name, i) => `${name} = $${i + 3}`).join(', ');
  const update = `UPDATE webhooks SET ${set} WHERE workspace_id = $1 AND id = $2`;
  const params = [workspaceId, id, ...Object.values(columns)];
  if (changes.active !== true) return (await database.execute(update, params)) > 0;
  const [row] = await database.query<{ changed: number }>(
    `WITH changed AS (${update} RETURNING 1)
     SELECT count(*) AS changed, CASE WHEN EXISTS (SELECT 1 FROM changed) THEN pg_notify('${DUE_CHANNEL}', '') END AS notified FROM changed`,
    params,
  );
  return row!.changed > 0;
}

export async function getWebhook(database: PostgresDatabase, workspaceId: string, id: string): Promise<Webhook | undefined> {
  const [row] = await database.query<WebhookRow>('SELECT * FROM webhooks WHERE workspace_id = $1 AND id = $2', [workspaceId, id]);
  return row && toWebhook(row);
}

export async function listWebhooks(database: PostgresDatabase, workspaceId: string, page: PageRequest): Promise<Page<Webhook>> {
  // COLLATE "C": ids compare byte by byte, as in SQLite, whatever the database's collation.
  const rows = await database.query<WebhookRow>(
    `SELECT * FROM webhooks WHERE workspace_id = $1 AND ($2::text IS NULL OR id COLLATE "C" < $2)
     ORDER BY id COLLATE "C" DESC LIMIT $3`,
    [workspaceId, page.cursor ?? null, page.limit + 1],
  );
  return toPage(rows, page.limit, toWebhook, (row) => row.id);
}

export async function deleteWebhook(database: PostgresDatabase, workspaceId: string, id: string): Promise<boolean> {
  return (await database.execute('DELETE FROM webhooks WHERE workspace_id = $1 AND id = $2', [workspaceId, id])) > 0;
}

export async function listSubscribedWebhooks(database: PostgresDatabase, workspaceId: string): Promise<Webhook[]> {
  return (await database.query<WebhookRow>("SELECT * FROM webhooks WHERE workspace_id = $1 AND status != 'disabled'", [workspaceId])).map(toWebhook);
}
