// SQL for workspaces and their API keys.
import type { ApiKey, Workspace } from '../../domain/workspace.js';
import { toApiKey, toPage, toWorkspace, type ApiKeyRow, type WorkspaceRow } from '../rows.js';
import type { ApiKeyRevocation, Page, PageRequest } from '../store.js';
import type { PostgresDatabase } from './database.js';

export async function insertWorkspace(database: PostgresDatabase, workspace: Workspace): Promise<void> {
  await database.execute(
    `INSERT INTO workspaces (id, name, alert_email, alert_url, auto_disable_after, portal_origins, accent_color, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      workspace.id,
      workspace.name,
      workspace.alertEmail,
      workspace.alertUrl,
      workspace.autoDisableAfter,
      JSON.stringify(workspace.portalOrigins),
      workspace.accentColor,
      workspace.createdAt,
      workspace.updatedAt,
    ],
  );
}

export async function updateWorkspace(database: PostgresDatabase, workspace: Workspace): Promise<void> {
  await database.execute(
    `UPDATE workspaces SET name = $2, alert_email = $3, alert_url = $4, auto_disable_after = $5, portal_origins = $6,
       accent_color = $7, updated_at = $8 WHERE id = $1`,
    [
      workspace.id,
      workspace.name,
      workspace.alertEmail,
      workspace.alertUrl,
      workspace.autoDisableAfter,
      JSON.stringify(workspace.portalOrigins),
      workspace.accentColor,
      workspace.updatedAt,
    ],
  );
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
  await database.execute(
    'INSERT INTO api_keys (id, workspace_id, name, admin, lookup, hash, created_at, last_used_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [key.id, key.workspaceId, key.name, key.admin, key.lookup, key.hash, key.createdAt, key.lastUsedAt],
  );
}

export async function findApiKeysByLookup(database: PostgresDatabase, lookup: string): Promise<ApiKey[]> {
  return (
    await database.query<ApiKeyRow>('SELECT * FROM api_keys WHERE lookup = $1 AND revoked_at IS NULL', [lookup])
  ).map(toApiKey);
}

export async function hasAdminKey(database: PostgresDatabase): Promise<boolean> {
  return (await database.query('SELECT 1 FROM api_keys WHERE admin AND revoked_at IS NULL LIMIT 1')).length > 0;
}

export async function listApiKeys(
  database: PostgresDatabase,
  workspaceId: string,
  page: PageRequest,
): Promise<Page<ApiKey>> {
  // COLLATE "C": ids compare byte by byte, as in SQLite, whatever the database's collation.
  const rows = await database.query<ApiKeyRow>(
    `SELECT * FROM api_keys WHERE workspace_id = $1 AND revoked_at IS NULL AND ($2::text IS NULL OR id COLLATE "C" < $2)
     ORDER BY id COLLATE "C" DESC LIMIT $3`,
    [workspaceId, page.cursor ?? null, page.limit + 1],
  );
  return toPage(rows, page.limit, toApiKey, (row) => row.id);
}

/** Every process LISTENs here and drops its cached keys (see read-cache.ts). */
export const KEY_REVOKED_CHANNEL = 'hookd_api_key_revoked';

/**
 * The lock makes "another admin key remains" and the revocation one step: two revocations of the last two admin
 * keys at once would otherwise each see the other's key still standing. Revocations are rare; the lock is brief.
 */
export async function revokeApiKey(
  database: PostgresDatabase,
  revocation: ApiKeyRevocation,
): Promise<'revoked' | 'not-found' | 'last-admin'> {
  const params = [revocation.id, revocation.workspaceId ?? null];
  return database.transaction(async (client) => {
    await client.query('LOCK TABLE api_keys IN SHARE ROW EXCLUSIVE MODE');
    const revoked = await client.query(
      `UPDATE api_keys SET revoked_at = $3
       WHERE id = $1 AND ($2::text IS NULL OR workspace_id = $2) AND revoked_at IS NULL
         AND (NOT $4 OR NOT admin OR EXISTS (SELECT 1 FROM api_keys other WHERE other.admin AND other.revoked_at IS NULL AND other.id <> $1))`,
      [...params, revocation.now, revocation.keepAnAdmin],
    );
    if ((revoked.rowCount ?? 0) > 0) {
      // Sent at commit, so a process that hears it reads the key revoked.
      await client.query(`SELECT pg_notify('${KEY_REVOKED_CHANNEL}', '')`);
      return 'revoked';
    }
    const found = await client.query(
      'SELECT 1 FROM api_keys WHERE id = $1 AND ($2::text IS NULL OR workspace_id = $2) AND revoked_at IS NULL',
      params,
    );
    return found.rows.length === 0 ? 'not-found' : 'last-admin';
  });
}

export async function recordApiKeyUse(database: PostgresDatabase, id: string, at: Date): Promise<void> {
  await database.execute('UPDATE api_keys SET last_used_at = $2 WHERE id = $1', [id, at]);
}
