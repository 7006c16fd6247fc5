-- The dashboard's delivery log filtered by status "failed" (issue #17): without this index a webhook whose failures
-- are rare had its log walked newest first until 25 failed ones turned up. Partial, so a delivery enters it only
-- when it fails for good: the delivery path's writes for the other outcomes do not touch it.
CREATE INDEX deliveries_failed_by_webhook ON deliveries (webhook_id, seq) WHERE status = 'failed';

-- Retention deletes hourly counts by age (the primary key starts with the webhook): the oldest hours by range.
-- A new row each webhook-hour only; the counts' updates leave it alone.
CREATE INDEX webhook_hourly_stats_by_hour ON webhook_hourly_stats (hour_start);
