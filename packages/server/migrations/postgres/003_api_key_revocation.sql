-- API keys can be revoked (kept, for the record, but never accepted again) and say when they were last used
-- (written at most once a minute per key and process, not on every request: see services/api-key-use.ts).
ALTER TABLE api_keys ADD COLUMN revoked_at timestamptz;
ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz;
-- GET /workspaces/:id/keys pages a workspace's keys by id.
CREATE INDEX api_keys_by_workspace ON api_keys (workspace_id, id COLLATE "C");
