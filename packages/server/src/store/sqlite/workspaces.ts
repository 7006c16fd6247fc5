// SQL for workspaces and their API keys.
import type { ApiKey, Workspace } from '../../domain/workspace.js';
import type { Page, PageRequest } from '../store.js';
import { toApiKey, toPage, toWorkspace, type ApiKeyRow, type WorkspaceRow } from '../rows.js';
import { limitTo, toMs, type SqliteDatabase } from './database.js';

function workspaceParams(workspace: Workspace) {
  return {
    id: workspace.id,
    name: workspace.name,
    alert_email: workspace.alertEmail,
    alert_url: workspace.alertUrl,
    auto_disable_after: workspace.autoDisableAfter,
    created_at: toMs(workspace.createdAt),
    updated_at: toMs(workspace.updatedAt),
  };
}

export function insertWorkspace(database: SqliteDatabase, workspace: Workspace): void {
  database.write(() =>
    database
      .prepared(
        `INSERT INTO workspaces (id, name, alert_email, alert_url, auto_disable_after, created_at, updated_at)
         VALUES (@id, @name, @alert_email, @alert_url, @auto_disable_after, @created_at, @updated_at)`,
      )
      .run(workspaceParams(workspace)),
  );
}

export function updateWorkspace(database: SqliteDatabase, workspace: Workspace): void {
  database.write(() =>
    database
      .prepared(
        `UPDATE workspaces SET name = @name, alert_email = @alert_email, alert_url = @alert_url,
           auto_disable_after = @auto_disable_after, updated_at = @updated_at WHERE id = @id`,
      )
      .run(workspaceParams(workspace)),
  );
}

export function getWorkspace(database: SqliteDatabase, id: string): Workspace | undefined {
  const row = database.prepared('SELECT * FROM workspaces WHERE id = ?').get(id) as WorkspaceRow | undefined;
  return row && toWorkspace(row);
}

export function findWorkspaceByName(database: SqliteDatabase, name: string): Workspace | undefined {
  const row = database.prepared('SELECT * FROM workspaces WHERE name = ?').get(name) as WorkspaceRow | undefined;
  return row && toWorkspace(row);
}

export function listWorkspaces(database: SqliteDatabase, page: PageRequest): Page<Workspace> {
  const rows = database
    .prepared(`SELECT * FROM workspaces WHERE (@cursor IS NULL OR id < @cursor) ORDER BY id DESC ${limitTo('limit')}`)
    .all({ cursor: page.cursor ?? null, limit: page.limit + 1 }) as WorkspaceRow[];
  return toPage(rows, page.limit, toWorkspace, (row) => row.id);
}

export function insertApiKey(database: SqliteDatabase, key: ApiKey): void {
  database.write(() =>
    database
      .prepared(
        `INSERT INTO api_keys (id, workspace_id, name, admin, lookup, hash, created_at)
         VALUES (@id, @workspace_id, @name, @admin, @lookup, @hash, @created_at)`,
      )
      .run({
        id: key.id,
        workspace_id: key.workspaceId,
        name: key.name,
        admin: key.admin ? 1 : 0,
        lookup: key.lookup,
        hash: key.hash,
        created_at: toMs(key.createdAt),
      }),
  );
}

export function findApiKeysByLookup(database: SqliteDatabase, lookup: string): ApiKey[] {
  const rows = database.prepared('SELECT * FROM api_keys WHERE lookup = ?').all(lookup) as ApiKeyRow[];
  return rows.map(toApiKey);
}

export function hasAdminKey(database: SqliteDatabase): boolean {
  return database.prepared('SELECT 1 FROM api_keys WHERE admin = 1 LIMIT 1').get() !== undefined;
}
