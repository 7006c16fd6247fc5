-- Attempts by outcome per webhook and hour (issue #17: GET /api/v1/stats and the dashboard's charts), counted in the
-- same statement that records the attempts, so the numbers never need a scan of the log.
CREATE TABLE webhook_hourly_stats (
  webhook_id text NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  hour_start timestamptz NOT NULL,
  succeeded  integer NOT NULL DEFAULT 0,
  failed     integer NOT NULL DEFAULT 0,
  PRIMARY KEY (webhook_id, hour_start)
);
