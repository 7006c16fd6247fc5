// The row of a browser session, the same in both engines (times as numbers in SQLite, Dates in PostgreSQL).
import type { BrowserSession, LiveBrowserSession } from '../domain/browser-session.js';
import { asDate, asFlag, type StoredFlag, type StoredTime } from './rows.js';

export interface BrowserSessionRow {
  token_hash: string;
  id: string;
  kind: string;
  workspace_id: string;
  api_key_id: string | null;
  webhook_ids: string | null;
  read_only: StoredFlag;
  created_at: StoredTime;
  expires_at: StoredTime;
  /** From the join with the session's API key: null for a portal session. */
  key_admin: StoredFlag | null;
}

export function toLiveBrowserSession(row: BrowserSessionRow): LiveBrowserSession {
  return {
    id: row.id,
    kind: row.kind === 'portal' ? 'portal' : 'dashboard',
    tokenHash: row.token_hash,
    workspaceId: row.workspace_id,
    apiKeyId: row.api_key_id,
    webhookIds: row.webhook_ids === null ? null : (JSON.parse(row.webhook_ids) as string[]),
    readOnly: asFlag(row.read_only),
    createdAt: asDate(row.created_at),
    expiresAt: asDate(row.expires_at),
    admin: row.key_admin !== null && asFlag(row.key_admin),
  };
}

export function browserSessionValues(session: BrowserSession) {
  return {
    token_hash: session.tokenHash,
    id: session.id,
    kind: session.kind,
    workspace_id: session.workspaceId,
    api_key_id: session.apiKeyId,
    webhook_ids: session.webhookIds === null ? null : JSON.stringify(session.webhookIds),
  };
}

/**
 * The live session of a token hash: not expired, and, for a dashboard session, its key not revoked (the join makes a
 * revocation end every session of the key at once, with nothing to notify). `$now` and `$hash` are bound by engine.
 */
export const LIVE_SESSION_SQL = `SELECT s.*, k.admin AS key_admin FROM browser_sessions s
  LEFT JOIN api_keys k ON k.id = s.api_key_id
  WHERE s.token_hash = $hash AND s.expires_at > $now AND (s.api_key_id IS NULL OR k.revoked_at IS NULL)`;
