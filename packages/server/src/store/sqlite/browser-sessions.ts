// SQL for browser sessions (dashboard logins and portal links).
import type { BrowserSession, LiveBrowserSession } from '../../domain/browser-session.js';
import {
  browserSessionValues,
  LIVE_SESSION_SQL,
  toLiveBrowserSession,
  type BrowserSessionRow,
} from '../browser-session-rows.js';
import type { DeleteBeforeBatch } from '../store.js';
import { limitTo, toMs, type SqliteDatabase } from './database.js';

/** Inserts the session and, in the same transaction, deletes every expired one (an index range: cheap). */
export function insertBrowserSession(database: SqliteDatabase, session: BrowserSession): void {
  database.immediateTransaction(() => {
    database.prepared('DELETE FROM browser_sessions WHERE expires_at <= ?').run(toMs(session.createdAt));
    database
      .prepared(
        `INSERT INTO browser_sessions (token_hash, id, kind, workspace_id, api_key_id, webhook_ids, read_only, created_at, expires_at)
         VALUES (@token_hash, @id, @kind, @workspace_id, @api_key_id, @webhook_ids, @read_only, @created_at, @expires_at)`,
      )
      .run({
        ...browserSessionValues(session),
        read_only: session.readOnly ? 1 : 0,
        created_at: toMs(session.createdAt),
        expires_at: toMs(session.expiresAt),
      });
  });
}

export function findLiveBrowserSession(
  database: SqliteDatabase,
  tokenHash: string,
  now: Date,
): LiveBrowserSession | undefined {
  const row = database
    .prepared(LIVE_SESSION_SQL.replace('$hash', '@hash').replace('$now', '@now'))
    .get({ hash: tokenHash, now: toMs(now) }) as BrowserSessionRow | undefined;
  return row && toLiveBrowserSession(row);
}

export function deleteBrowserSession(database: SqliteDatabase, tokenHash: string): boolean {
  return database.prepared('DELETE FROM browser_sessions WHERE token_hash = ?').run(tokenHash).changes > 0;
}

/** The retention pruner's batch: the oldest expired first, an index range (browser_sessions_by_expiry). */
export function deleteExpiredBrowserSessions(database: SqliteDatabase, batch: DeleteBeforeBatch): number {
  return database
    .prepared(
      `DELETE FROM browser_sessions WHERE token_hash IN
         (SELECT token_hash FROM browser_sessions WHERE expires_at <= @before ORDER BY expires_at ${limitTo('limit')})`,
    )
    .run({ before: toMs(batch.before), limit: batch.limit }).changes;
}
