-- Alerts (issue #18): the outbox of alerts to send when a webhook turns failing, is disabled or recovers, one row per
-- alert and channel (email, url), written in the transaction that changes the webhook's status; and the workspace's
-- secret that signs its alert POSTs (encrypted like webhook secrets when a key is set). What the alert says is copied
-- into the row when it is made, so it still says it once the webhook has changed or gone.
ALTER TABLE workspaces ADD COLUMN alert_secret TEXT;

CREATE TABLE alerts (
  seq                 INTEGER PRIMARY KEY,
  id                  TEXT NOT NULL UNIQUE,
  workspace_id        TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  webhook_id          TEXT NOT NULL,
  type                TEXT NOT NULL, -- webhook.failing, webhook.disabled, webhook.recovered
  channel             TEXT NOT NULL CHECK (channel IN ('email', 'url')),
  target              TEXT NOT NULL, -- the address or URL the workspace had when the alert was made
  webhook_url         TEXT NOT NULL,
  webhook_description TEXT NOT NULL,
  webhook_status      TEXT NOT NULL,
  event_type          TEXT,
  last_error          TEXT,
  status              TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts            INTEGER NOT NULL DEFAULT 0,
  next_attempt_at     INTEGER NOT NULL, -- due time; while leased, the end of the lease
  lease_token         TEXT,
  send_error          TEXT,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
) STRICT;
-- The sender's claim reads only pending alerts, earliest due first.
CREATE INDEX alerts_due ON alerts (next_attempt_at) WHERE status = 'pending';
