// SQL for workspaces and their API keys.
import type { ApiKey, Workspace } from '../../domain/workspace.js';
import { toApiKey, toPage, toWorkspace, type ApiKeyRow, type WorkspaceRow } from '../rows.js';
import type { Page, PageRequest } from '../store.js';
import type { PostgresDatabase } from './database.js';

export async function insertWorkspace(database: PostgresDatabase, workspace: Workspace): Promise<void> {
  await database.execute(
    `INSERT INTO workspaces (id, name, alert_email, alert_url, auto_disable_after, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [workspace.id, workspace.name, workspace.alertEmail, workspace.alertUrl, workspace.autoDisableAfter, workspace.createdAt, workspace.updatedAt],
  );
}

export async function updateWorkspace(database: PostgresDatabase, workspace: Workspace): Promise<void> {
  await database.execute('UPDATE workspaces SET name = $2, alert_email = $3, alert_url = $4, auto_disable_after = $5, updated_at = $6 WHERE id = $1', [
    workspace.id,
    workspace.name,
    workspace.alertEmail,
    workspace.alertUrl,
    workspace.autoDisableAfter,
    workspace.updatedAt,
  ]);
}

export async function getWorkspace(database: PostgresDatabase, id: string): Promise<Workspace | undefined> {
  const [row] = await database.query<WorkspaceRow>('SELECT * FROM workspaces WHERE id = $1', [id]);
  return row && toWorkspace(row);
}

export async function findWorkspaceByName(database: PostgresDatabase, name: string): Promise<Workspace | undefined> {
  const [row] = await database.query<WorkspaceRow>('SELECT * FROM workspaces WHERE name = $1', [name]);
  return row && toWorkspace(row);
}

export async function listWorkspaces(database: PostgresDatabase, page: PageRequest): Promise<Page<Workspace>> {
  // COLLATE "C": ids compare byte by byte, as in SQLite, whatever the database's collation.
  const rows = await database.query<WorkspaceRow>(
    'SELECT * FROM workspaces WHERE ($1::text IS NULL OR id COLLATE "C" < $1) ORDER BY id COLLATE "C" DESC LIMIT $2',
    [page.cursor ?? null, page.limit + 1],
  );
  return toPage(rows, page.limit, toWorkspace, (row) => row.id);
}

export async function insertApiKey(database: PostgresDatabase, key: ApiKey): Promise<void> {
  await database.execute('INSERT INTO api_keys (id, workspace_id, name, admin, lookup, hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
    key.id,
    key.workspaceId,
    key.name,
    key.admin,
    key.lookup,
    key.hash,
    key.createdAt,
  ]);
}

export async function findApiKeysByLookup(database: PostgresDatabase, lookup: string): Promise<ApiKey[]> {
  return (await database.query<ApiKeyRow>('SELECT * FROM api_keys WHERE lookup = $1', [lookup])).map(toApiKey);
}

export async function hasAdminKey(database: PostgresDatabase): Promise<boolean> {
  return (await database.query('SELECT 1 FROM api_keys WHERE admin LIMIT 1')).length > 0;
}
