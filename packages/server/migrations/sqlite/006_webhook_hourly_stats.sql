-- Attempts by outcome per webhook and hour (issue #17: GET /api/v1/stats and the dashboard's charts), counted in the
-- same transaction that records the attempts, so the numbers never need a scan of the log. hour_start: unix ms.
CREATE TABLE webhook_hourly_stats (
  webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  hour_start INTEGER NOT NULL,
  succeeded  INTEGER NOT NULL DEFAULT 0,
  failed     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (webhook_id, hour_start)
) STRICT, WITHOUT ROWID;
