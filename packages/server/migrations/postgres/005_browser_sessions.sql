-- The dashboard and portal (issue #17): browser sessions stored by the hash of their token, and what a workspace
-- says about its portal (which origins may frame it, its accent colour).
ALTER TABLE workspaces ADD COLUMN portal_origins text NOT NULL DEFAULT '[]';
ALTER TABLE workspaces ADD COLUMN accent_color text;

CREATE TABLE browser_sessions (
  token_hash   text PRIMARY KEY,
  id           text NOT NULL UNIQUE,
  kind         text NOT NULL CHECK (kind IN ('dashboard', 'portal')),
  workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  api_key_id   text REFERENCES api_keys (id) ON DELETE CASCADE,
  webhook_ids  text,
  read_only    boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL
);
-- Expired sessions are deleted as new ones are made.
CREATE INDEX browser_sessions_by_expiry ON browser_sessions (expires_at);
