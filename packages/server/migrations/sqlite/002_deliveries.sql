-- Published events, their deliveries (the queue and the log in one table) and every attempt.

CREATE TABLE events (
  seq             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL,
  workspace_id    TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  type            TEXT NOT NULL,
  timestamp       INTEGER NOT NULL,
  data            TEXT NOT NULL, -- JSON text, spliced into every body as is
  extras          TEXT NOT NULL, -- JSON object of the optional envelope fields that were published
  idempotency_key TEXT,
  delivery_count  INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  UNIQUE (workspace_id, id)
) STRICT;
CREATE UNIQUE INDEX events_by_idempotency_key ON events (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX events_by_workspace ON events (workspace_id, seq);

CREATE TABLE deliveries (
  seq                  INTEGER PRIMARY KEY,
  id                   TEXT NOT NULL UNIQUE,
  workspace_id         TEXT NOT NULL,
  webhook_id           TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event_seq            INTEGER NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
  status               TEXT NOT NULL, -- pending | success | failed
  attempts             INTEGER NOT NULL DEFAULT 0,
  round_failures       INTEGER NOT NULL DEFAULT 0, -- failures since the last (re)start: indexes the retry schedule
  -- When a pending delivery is next due. A claim moves it to the end of the lease, so a delivery whose worker
  -- died becomes due again by itself: that is crash recovery. NULL once final.
  next_attempt_at      INTEGER,
  lease_token          TEXT,          -- set while a worker holds it; its result is recorded only under this token
  last_response_status INTEGER,
  last_response_ms     INTEGER,
  last_error           TEXT,
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL
) STRICT;
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_by_webhook ON deliveries (webhook_id, seq);
CREATE INDEX deliveries_by_event ON deliveries (event_seq);

CREATE TABLE attempts (
  seq              INTEGER PRIMARY KEY,
  delivery_seq     INTEGER NOT NULL REFERENCES deliveries (seq) ON DELETE CASCADE,
  attempted_at     INTEGER NOT NULL,
  duration_ms      INTEGER NOT NULL,
  request_headers  TEXT NOT NULL, -- JSON object
  response_status  INTEGER,
  response_headers TEXT,          -- JSON object
  response_body    TEXT,          -- first 4 KiB
  error            TEXT
) STRICT;
CREATE INDEX attempts_by_delivery ON attempts (delivery_seq, seq);
