// SQL for webhooks. Lists, patterns, headers and filters are JSON text columns.
import type { Webhook } from '../../domain/webhook.js';
import { toPage } from '../rows.js';
import { toWebhook, webhookChangeColumns, webhookColumns, type StoredForms, type WebhookRow } from '../webhook-rows.js';
import { toStoredSecrets, type StoredSecretsRow } from '../stored-secrets-row.js';
import type { Page, PageRequest, StoredSecrets, WebhookChanges } from '../store.js';
import { limitTo, toMs, type SqliteDatabase } from './database.js';

const FORMS: StoredForms = { time: toMs, flag: (value) => (value ? 1 : 0) };

export function insertWebhook(database: SqliteDatabase, webhook: Webhook): void {
  const columns = webhookColumns(webhook, FORMS);
  const names = Object.keys(columns);
  database.write(() =>
    database
      .prepared(`INSERT INTO webhooks (${names.join(', ')}) VALUES (${names.map((name) => `@${name}`).join(', ')})`)
      .run(columns),
  );
}

/** One UPDATE of the changed columns only; the statement text depends only on which columns, so few are compiled. */
export function updateWebhook(
  database: SqliteDatabase,
  workspaceId: string,
  id: string,
  changes: WebhookChanges,
): boolean {
  const columns = webhookChangeColumns(changes, FORMS);
  const set = Object.keys(columns)
    .map((name) => `${name} = @${name}`)
    .join(', ');
  return database.write(
    () =>
      database
        .prepared(`UPDATE webhooks SET ${set} WHERE id = @id AND workspace_id = @workspace_id`)
        .run({ ...columns, id, workspace_id: workspaceId }).changes > 0,
  );
}

export function getWebhook(database: SqliteDatabase, workspaceId: string, id: string): Webhook | undefined {
  const row = database.prepared('SELECT * FROM webhooks WHERE workspace_id = ? AND id = ?').get(workspaceId, id) as
    WebhookRow | undefined;
  return row && toWebhook(row);
}

export function listWebhookIds(database: SqliteDatabase, workspaceId: string): string[] {
  const rows = database
    .prepared('SELECT id FROM webhooks WHERE workspace_id = ? ORDER BY id DESC')
    .all(workspaceId) as { id: string }[];
  return rows.map((row) => row.id);
}

export function countWebhooks(database: SqliteDatabase, workspaceId: string): number {
  return (
    database.prepared('SELECT count(*) AS count FROM webhooks WHERE workspace_id = ?').get(workspaceId) as {
      count: number;
    }
  ).count;
}

export function listWebhooks(database: SqliteDatabase, workspaceId: string, page: PageRequest): Page<Webhook> {
  const rows = database
    .prepared(
      `SELECT * FROM webhooks WHERE workspace_id = @workspace_id AND (@cursor IS NULL OR id < @cursor)
       ORDER BY id DESC ${limitTo('limit')}`,
    )
    .all({ workspace_id: workspaceId, cursor: page.cursor ?? null, limit: page.limit + 1 }) as WebhookRow[];
  return toPage(rows, page.limit, toWebhook, (row) => row.id);
}

export function deleteWebhook(database: SqliteDatabase, workspaceId: string, id: string): boolean {
  return database.prepared('DELETE FROM webhooks WHERE workspace_id = ? AND id = ?').run(workspaceId, id).changes > 0;
}

export function listSubscribedWebhooks(database: SqliteDatabase, workspaceId: string): Webhook[] {
  const rows = database
    .prepared("SELECT * FROM webhooks WHERE workspace_id = ? AND status != 'disabled'")
    .all(workspaceId) as WebhookRow[];
  return rows.map(toWebhook);
}

export function listStoredSecrets(database: SqliteDatabase, page: PageRequest): Page<StoredSecrets> {
  const rows = database
    .prepared(
      `SELECT workspace_id, id, secret, previous_secret, headers FROM webhooks WHERE @cursor IS NULL OR id > @cursor ORDER BY id ${limitTo('limit')}`,
    )
    .all({ cursor: page.cursor ?? null, limit: page.limit + 1 }) as StoredSecretsRow[];
  return toPage(rows, page.limit, toStoredSecrets, (row) => row.id);
}

/** One transaction; each row is written only if it still holds what was read (IS: NULL equals NULL). */
export function replaceStoredSecrets(
  database: SqliteDatabase,
  replacements: { expected: StoredSecrets; replacement: StoredSecrets }[],
): number {
  return database.write(() => {
    const update = database.prepared(
      `UPDATE webhooks SET secret = @secret, previous_secret = @previous_secret, headers = @headers
       WHERE workspace_id = @workspace_id AND id = @id
         AND secret IS @expected_secret AND previous_secret IS @expected_previous_secret AND headers = @expected_headers`,
    );
    let written = 0;
    for (const { expected, replacement } of replacements) {
      written += update.run({
        workspace_id: expected.workspaceId,
        id: expected.id,
        expected_secret: expected.secret,
        expected_previous_secret: expected.previousSecret,
        expected_headers: expected.headersJson,
        secret: replacement.secret,
        previous_secret: replacement.previousSecret,
        headers: replacement.headersJson,
      }).changes;
    }
    return written;
  });
}
