// SQL for webhooks. Lists, patterns, headers and filters are JSON text columns, as in SQLite.
import type { Webhook } from '../../domain/webhook.js';
import { toPage } from '../rows.js';
import { toWebhook, webhookChangeColumns, webhookColumns, type StoredForms, type WebhookRow } from '../webhook-rows.js';
import { toStoredSecrets, type StoredSecretsRow } from '../stored-secrets-row.js';
import type { Page, PageRequest, StoredSecrets, WebhookChanges } from '../store.js';
import type { PostgresDatabase } from './database.js';
import { DUE_CHANNEL } from './events.js';

const FORMS: StoredForms = { time: (date) => date, flag: (value) => value };

export async function insertWebhook(database: PostgresDatabase, webhook: Webhook): Promise<void> {
  const columns = webhookColumns(webhook, FORMS);
  const names = Object.keys(columns);
  await database.execute(
    `INSERT INTO webhooks (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
    Object.values(columns),
  );
}

/**
 * One UPDATE of the changed columns only, so it cannot undo a status a worker wrote meanwhile. Switching a webhook
 * on NOTIFYs the workers: its held deliveries are due, and they may run in other processes.
 */
export async function updateWebhook(
  database: PostgresDatabase,
  workspaceId: string,
  id: string,
  changes: WebhookChanges,
): Promise<boolean> {
  const columns = webhookChangeColumns(changes, FORMS);
  const set = Object.keys(columns)
    .map((name, i) => `${name} = $${i + 3}`)
    .join(', ');
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

export async function getWebhook(
  database: PostgresDatabase,
  workspaceId: string,
  id: string,
): Promise<Webhook | undefined> {
  const [row] = await database.query<WebhookRow>('SELECT * FROM webhooks WHERE workspace_id = $1 AND id = $2', [
    workspaceId,
    id,
  ]);
  return row && toWebhook(row);
}

export async function countWebhooks(database: PostgresDatabase, workspaceId: string): Promise<number> {
  const [row] = await database.query<{ count: string }>(
    'SELECT count(*) AS count FROM webhooks WHERE workspace_id = $1',
    [workspaceId],
  );
  return Number(row!.count);
}

export async function listWebhookIds(database: PostgresDatabase, workspaceId: string): Promise<string[]> {
  const rows = await database.query<{ id: string }>(
    'SELECT id FROM webhooks WHERE workspace_id = $1 ORDER BY id COLLATE "C" DESC',
    [workspaceId],
  );
  return rows.map((row) => row.id);
}

export async function listWebhooks(
  database: PostgresDatabase,
  workspaceId: string,
  page: PageRequest,
): Promise<Page<Webhook>> {
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
  return (
    await database.query<WebhookRow>("SELECT * FROM webhooks WHERE workspace_id = $1 AND status != 'disabled'", [
      workspaceId,
    ])
  ).map(toWebhook);
}

/** In the primary key's own order (a walk of every row, not a page anyone reads), so the index serves it. */
export async function listStoredSecrets(database: PostgresDatabase, page: PageRequest): Promise<Page<StoredSecrets>> {
  const rows = await database.query<StoredSecretsRow>(
    `SELECT workspace_id, id, secret, previous_secret, headers FROM webhooks WHERE $1::text IS NULL OR id > $1
     ORDER BY id LIMIT $2`,
    [page.cursor ?? null, page.limit + 1],
  );
  return toPage(rows, page.limit, toStoredSecrets, (row) => row.id);
}

/** One statement for the batch; each row is written only if it still holds what was read. */
export async function replaceStoredSecrets(
  database: PostgresDatabase,
  replacements: { expected: StoredSecrets; replacement: StoredSecrets }[],
): Promise<number> {
  if (replacements.length === 0) return 0;
  const column = (pick: (replacement: { expected: StoredSecrets; replacement: StoredSecrets }) => string | null) =>
    replacements.map(pick);
  return database.execute(
    `UPDATE webhooks w SET secret = r.secret, previous_secret = r.previous_secret, headers = r.headers
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
       AS r(workspace_id, id, expected_secret, expected_previous_secret, expected_headers, secret, previous_secret, headers)
     WHERE w.workspace_id = r.workspace_id AND w.id = r.id AND w.secret IS NOT DISTINCT FROM r.expected_secret
       AND w.previous_secret IS NOT DISTINCT FROM r.expected_previous_secret AND w.headers = r.expected_headers`,
    [
      column((r) => r.expected.workspaceId),
      column((r) => r.expected.id),
      column((r) => r.expected.secret),
      column((r) => r.expected.previousSecret),
      column((r) => r.expected.headersJson),
      column((r) => r.replacement.secret),
      column((r) => r.replacement.previousSecret),
      column((r) => r.replacement.headersJson),
    ],
  );
}
