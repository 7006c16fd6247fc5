-- Alerts (issue #18): the outbox of alerts to send when a webhook turns failing, is disabled or recovers, one row per
-- alert and channel (email, url), written in the statement that changes the webhook's status; and the workspace's
-- secret that signs its alert POSTs (encrypted like webhook secrets when a key is set). What the alert says is copied
-- into the row when it is made, so it still says it once the webhook has changed or gone.
ALTER TABLE workspaces ADD COLUMN alert_secret text;

CREATE TABLE alerts (
  seq                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id                  text NOT NULL UNIQUE,
  workspace_id        text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  webhook_id          text NOT NULL,
  type                text NOT NULL, -- webhook.failing, webhook.disabled, webhook.recovered
  channel             text NOT NULL CHECK (channel IN ('email', 'url')),
  target              text NOT NULL, -- the address or URL the workspace had when the alert was made
  webhook_url         text NOT NULL,
  webhook_description text NOT NULL,
  webhook_status      text NOT NULL,
  event_type          text,
  last_error          text,
  status              text NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts            integer NOT NULL DEFAULT 0,
  next_attempt_at     timestamptz NOT NULL, -- due time; while leased, the end of the lease
  lease_token         text,
  send_error          text,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL
);
-- The sender's claim reads only pending alerts, earliest due first.
CREATE INDEX alerts_due ON alerts (next_attempt_at) WHERE status = 'pending';
