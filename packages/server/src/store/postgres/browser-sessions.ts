// SQL for browser sessions (dashboard logins and portal links).
import type { BrowserSession, LiveBrowserSession } from '../../domain/browser-session.js';
import {
  browserSessionValues,
  LIVE_SESSION_SQL,
  toLiveBrowserSession,
  type BrowserSessionRow,
} from '../browser-session-rows.js';
import type { DeleteBeforeBatch } from '../store.js';
import type { PostgresDatabase } from './database.js';

/** Inserts the session and, in the same statement, deletes every expired one (an index range: cheap). */
export async function insertBrowserSession(database: PostgresDatabase, session: BrowserSession): Promise<void> {
  const values = browserSessionValues(session);
  await database.execute(
    `WITH expired AS (DELETE FROM browser_sessions WHERE expires_at <= $8)
     INSERT INTO browser_sessions (token_hash, id, kind, workspace_id, api_key_id, webhook_ids, read_only, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      values.token_hash,
      values.id,
      values.kind,
      values.workspace_id,
      values.api_key_id,
      values.webhook_ids,
      session.readOnly,
      session.createdAt,
      session.expiresAt,
    ],
  );
}

export async function findLiveBrowserSession(
  database: PostgresDatabase,
  tokenHash: string,
  now: Date,
): Promise<LiveBrowserSession | undefined> {
  const [row] = await database.query<BrowserSessionRow>(LIVE_SESSION_SQL.replace('$hash', '$1').replace('$now', '$2'), [
    tokenHash,
    now,
  ]);
  return row && toLiveBrowserSession(row);
}

export async function deleteBrowserSession(database: PostgresDatabase, tokenHash: string): Promise<boolean> {
  return (await database.execute('DELETE FROM browser_sessions WHERE token_hash = $1', [tokenHash])) > 0;
}

/** The retention pruner's batch: the oldest expired first, an index range (browser_sessions_by_expiry). */
export async function deleteExpiredBrowserSessions(
  database: PostgresDatabase,
  batch: DeleteBeforeBatch,
): Promise<number> {
  return database.execute(
    `DELETE FROM browser_sessions WHERE token_hash IN
       (SELECT token_hash FROM browser_sessions WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2)`,
    [batch.before, batch.limit],
  );
}
