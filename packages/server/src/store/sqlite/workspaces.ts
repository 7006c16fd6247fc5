// SQL for workspaces and their API keys.
import type { ApiKey, Workspace } from '../../domain/workspace.js';
import type { ApiKeyRevocation, Page, PageRequest } from '../store.js';
import { toApiKey, toPage, toWorkspace, type ApiKeyRow, type WorkspaceRow } from '../rows.js';
import { limitTo, toMs, type SqliteDatabase } from './database.js';

function workspaceParams(workspace: Workspace) {
  return {
    id: workspace.id,
    name: workspace.name,
    alert_email: workspace.alertEmail,
    alert_url: workspace.alertUrl,
    auto_disable_after: workspace.autoDisableAfter,
    portal_origins: JSON.stringify(workspace.portalOrigins),
    accent_color: workspace.accentColor,
    created_at: toMs(workspace.createdAt),
    updated_at: toMs(workspace.updatedAt),
  };
}

export function insertWorkspace(database: SqliteDatabase, workspace: Workspace): void {
  database.write(() =>
    database
      .prepared(
        `INSERT INTO workspaces (id, name, alert_email, alert_url, auto_disable_after, portal_origins, accent_color,
           created_at, updated_at)
         VALUES (@id, @name, @alert_email, @alert_url, @auto_disable_after, @portal_origins, @accent_color,
           @created_at, @updated_at)`,
      )
      .run(workspaceParams(workspace)),
  );
}

export function updateWorkspace(database: SqliteDatabase, workspace: Workspace): void {
  database.write(() =>
    database
      .prepared(
        `UPDATE workspaces SET name = @name, alert_email = @alert_email, alert_url = @alert_url,
           auto_disable_after = @auto_disable_after, portal_origins = @portal_origins, accent_color = @accent_color,
           updated_at = @updated_at WHERE id = @id`,
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
        `INSERT INTO api_keys (id, workspace_id, name, admin, lookup, hash, created_at, last_used_at)
         VALUES (@id, @workspace_id, @name, @admin, @lookup, @hash, @created_at, @last_used_at)`,
      )
      .run({
        id: key.id,
        workspace_id: key.workspaceId,
        name: key.name,
        admin: key.admin ? 1 : 0,
        lookup: key.lookup,
        hash: key.hash,
        created_at: toMs(key.createdAt),
        last_used_at: key.lastUsedAt && toMs(key.lastUsedAt),
      }),
  );
}

export function findApiKeysByLookup(database: SqliteDatabase, lookup: string): ApiKey[] {
  const rows = database
    .prepared('SELECT * FROM api_keys WHERE lookup = ? AND revoked_at IS NULL')
    .all(lookup) as ApiKeyRow[];
  return rows.map(toApiKey);
}

export function hasAdminKey(database: SqliteDatabase): boolean {
  return database.prepared('SELECT 1 FROM api_keys WHERE admin = 1 AND revoked_at IS NULL LIMIT 1').get() !== undefined;
}

export function listApiKeys(database: SqliteDatabase, workspaceId: string, page: PageRequest): Page<ApiKey> {
  const rows = database
    .prepared(
      `SELECT * FROM api_keys WHERE workspace_id = @workspace_id AND revoked_at IS NULL AND (@cursor IS NULL OR id < @cursor)
       ORDER BY id DESC ${limitTo('limit')}`,
    )
    .all({ workspace_id: workspaceId, cursor: page.cursor ?? null, limit: page.limit + 1 }) as ApiKeyRow[];
  return toPage(rows, page.limit, toApiKey, (row) => row.id);
}

/** One writer holds the file, so the check for another admin key and the revocation cannot interleave with another's. */
export function revokeApiKey(
  database: SqliteDatabase,
  revocation: ApiKeyRevocation,
): 'revoked' | 'not-found' | 'last-admin' {
  const params = {
    id: revocation.id,
    workspace_id: revocation.workspaceId ?? null,
    now: toMs(revocation.now),
    keep_an_admin: revocation.keepAnAdmin ? 1 : 0,
  };
  return database.immediateTransaction(() => {
    const revoked = database
      .prepared(
        `UPDATE api_keys SET revoked_at = @now
         WHERE id = @id AND (@workspace_id IS NULL OR workspace_id = @workspace_id) AND revoked_at IS NULL
           AND (@keep_an_admin = 0 OR admin = 0 OR EXISTS (SELECT 1 FROM api_keys other WHERE other.admin = 1 AND other.revoked_at IS NULL AND other.id <> @id))`,
      )
      .run(params).changes;
    if (revoked > 0) return 'revoked';
    const found = database
      .prepared(
        'SELECT 1 FROM api_keys WHERE id = @id AND (@workspace_id IS NULL OR workspace_id = @workspace_id) AND revoked_at IS NULL',
      )
      .get(params);
    return found === undefined ? 'not-found' : 'last-admin';
  });
}

export function recordApiKeyUse(database: SqliteDatabase, id: string, at: Date): void {
  database.prepared('UPDATE api_keys SET last_used_at = @at WHERE id = @id').run({ id, at: toMs(at) });
}
