-- The whole schema, as SQLite's migrations 001-003 leave it. Times are timestamptz (microseconds, so a JavaScript
-- Date reads back exactly); JSON is text, so it reads back byte for byte (jsonb would reorder keys).

CREATE TABLE workspaces (
  id                 text PRIMARY KEY,
  name               text NOT NULL UNIQUE,
  alert_email        text,
  alert_url          text,
  auto_disable_after text,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL
);

CREATE TABLE api_keys (
  id           text PRIMARY KEY,
  workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name         text NOT NULL,
  admin        boolean NOT NULL,
  lookup       text NOT NULL,
  hash         text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL
);
CREATE INDEX api_keys_by_lookup ON api_keys (lookup);

CREATE TABLE webhooks (
  id                         text PRIMARY KEY,
  workspace_id               text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  url                        text NOT NULL,
  description                text NOT NULL,
  events                     text NOT NULL, -- JSON array of patterns
  active                     boolean NOT NULL,
  status                     text NOT NULL,
  headers                    text NOT NULL, -- JSON object
  signature_scheme           text NOT NULL,
  signature_header_prefix    text NOT NULL,
  retry_schedule             text NOT NULL, -- JSON array of durations
  retry_on_4xx               boolean NOT NULL,
  timeout                    text NOT NULL,
  rate_limit                 integer,
  ordering                   text NOT NULL,
  filter                     text,          -- JSON condition
  secret                     text,
  previous_secret            text,
  previous_secret_expires_at timestamptz,
  created_at                 timestamptz NOT NULL,
  updated_at                 timestamptz NOT NULL
);
CREATE INDEX webhooks_by_workspace ON webhooks (workspace_id, id);

CREATE TABLE event_types (
  workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name         text NOT NULL,
  description  text NOT NULL,
  schema       text, -- JSON Schema for data
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, name)
);

CREATE TABLE events (
  seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id              text NOT NULL,
  workspace_id    text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  type            text NOT NULL,
  timestamp       timestamptz NOT NULL,
  data            text NOT NULL, -- JSON text, spliced into every body as is
  extras          text NOT NULL, -- JSON object of the optional envelope fields that were published
  idempotency_key text,
  delivery_count  integer NOT NULL,
  created_at      timestamptz NOT NULL,
  CONSTRAINT events_workspace_id_id_key UNIQUE (workspace_id, id)
);
CREATE UNIQUE INDEX events_by_idempotency_key ON events (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX events_by_workspace ON events (workspace_id, seq);

CREATE TABLE deliveries (
  seq                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id                   text NOT NULL UNIQUE,
  workspace_id         text NOT NULL,
  webhook_id           text NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event_seq            bigint NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
  kind                 text NOT NULL DEFAULT 'event', -- event | test
  status               text NOT NULL, -- pending | success | failed
  attempts             integer NOT NULL DEFAULT 0,
  round_failures       integer NOT NULL DEFAULT 0, -- failures since the last (re)start: indexes the retry schedule
  -- When a pending delivery is next due. A claim moves it to the end of the lease, so a delivery whose worker
  -- died becomes due again by itself: that is crash recovery. NULL once final.
  next_attempt_at      timestamptz,
  lease_token          text,          -- set while a worker holds it; its result is recorded only under this token
  last_response_status integer,
  last_response_ms     integer,
  last_error           text,
  created_at           timestamptz NOT NULL,
  updated_at           timestamptz NOT NULL
);
CREATE INDEX deliveries_by_webhook ON deliveries (webhook_id, seq);
-- Claims walk the webhooks and take each one's due deliveries from these (see store/postgres/deliveries.ts).
CREATE INDEX deliveries_pending_by_webhook_due ON deliveries (webhook_id, next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_pending_by_webhook_seq ON deliveries (webhook_id, seq) WHERE status = 'pending';
CREATE INDEX deliveries_pending_tests ON deliveries (webhook_id) WHERE status = 'pending' AND kind = 'test';

CREATE TABLE attempts (
  seq              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_seq     bigint NOT NULL REFERENCES deliveries (seq) ON DELETE CASCADE,
  attempted_at     timestamptz NOT NULL,
  duration_ms      integer NOT NULL,
  request_headers  text NOT NULL, -- JSON object
  response_status  integer,
  response_headers text,          -- JSON object
  response_body    text,          -- first 4 KiB
  error            text
);
CREATE INDEX attempts_by_delivery ON attempts (delivery_seq, seq);
