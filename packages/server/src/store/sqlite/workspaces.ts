// SQL for workspaces and their API keys.
import type { ApiKey, Workspace } from '../../domain/workspace.js';
import type { Page, PageRequest } from '../store.js';
import { toDate, toMs, type SqliteDatabase } from './database.js';
import { toPage } from './paging.js';

interface WorkspaceRow {
  id: string;
  name: string;
  alert_email: string | null;
  alert_url: string | null;
  auto_disable_after: string | null;
  created_at: number;
  updated_at: number;
}

function toWorkspace(row: WorkspaceRow): Workspace {
  return {
    id: row.id,
    name: row.name,
    alertEmail: row.alert_email,
    alertUrl: row.alert_url,
    autoDisableAfter: row.auto_disable_after,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

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
    .prepared('SELECT * FROM workspaces WHERE (@cursor IS NULL OR id < @cursor) ORDER BY id DESC LIMIT @limit')
    .all({ cursor: page.cursor ?? null, limit: page.limit + 1 }) as WorkspaceRow[];
  return toPage(rows, page.limit, toWorkspace, (row) => row.id);
}

interface ApiKeyRow {
  id: string;
  workspace_id: string;
  name: string;
  admin: number;
  lookup: string;
  hash: string;
  created_at: number;
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
  return rows.map((row) => ({
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    admin: row.admin === 1,
    lookup: row.lookup,
    hash: row.hash,
    createdAt: toDate(row.created_at),
  }));
}

export function hasAdminKey(database: SqliteDatabase): boolean {
  return database.prepared('SELECT 1 FROM api_keys WHERE admin = 1 LIMIT 1').get() !== undefined;
}
