-- The dashboard and portal (issue #17): browser sessions stored by the hash of their token, and what a workspace
-- says about its portal (which origins may frame it, its accent colour).
ALTER TABLE workspaces ADD COLUMN portal_origins TEXT NOT NULL DEFAULT '[]';
ALTER TABLE workspaces ADD COLUMN accent_color TEXT;

CREATE TABLE browser_sessions (
  token_hash   TEXT PRIMARY KEY,
  id           TEXT NOT NULL UNIQUE,
  kind         TEXT NOT NULL CHECK (kind IN ('dashboard', 'portal')),
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  api_key_id   TEXT REFERENCES api_keys (id) ON DELETE CASCADE,
  webhook_ids  TEXT,
  read_only    INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
) STRICT;
-- Expired sessions are deleted as new ones are made.
CREATE INDEX browser_sessions_by_expiry ON browser_sessions (expires_at);
