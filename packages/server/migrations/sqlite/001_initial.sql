-- Tenants, their API keys, webhooks and the event-type catalog. Times are unix milliseconds.

CREATE TABLE workspaces (
  id                 TEXT PRIMARY KEY,
  name               TEXT NOT NULL UNIQUE,
  alert_email        TEXT,
  alert_url          TEXT,
  auto_disable_after TEXT,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
) STRICT;

CREATE TABLE api_keys (
  id           TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  admin        INTEGER NOT NULL,
  lookup       TEXT NOT NULL,
  hash         TEXT NOT NULL UNIQUE,
  created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX api_keys_by_lookup ON api_keys (lookup);

CREATE TABLE webhooks (
  id                         TEXT PRIMARY KEY,
  workspace_id               TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  url                        TEXT NOT NULL,
  description                TEXT NOT NULL,
  events                     TEXT NOT NULL, -- JSON array of patterns
  active                     INTEGER NOT NULL,
  status                     TEXT NOT NULL,
  headers                    TEXT NOT NULL, -- JSON object
  signature_scheme           TEXT NOT NULL,
  signature_header_prefix    TEXT NOT NULL,
  retry_schedule             TEXT NOT NULL, -- JSON array of durations
  retry_on_4xx               INTEGER NOT NULL,
  timeout                    TEXT NOT NULL,
  rate_limit                 INTEGER,
  ordering                   TEXT NOT NULL,
  filter                     TEXT,          -- JSON condition
  secret                     TEXT,
  previous_secret            TEXT,
  previous_secret_expires_at INTEGER,
  created_at                 INTEGER NOT NULL,
  updated_at                 INTEGER NOT NULL
) STRICT;
CREATE INDEX webhooks_by_workspace ON webhooks (workspace_id, id);

CREATE TABLE event_types (
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  description  TEXT NOT NULL,
  schema       TEXT, -- JSON Schema for data
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, name)
) STRICT;
