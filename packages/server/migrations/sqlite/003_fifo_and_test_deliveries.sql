-- "Send test" deliveries are marked, so that they neither retry nor take a FIFO webhook's place in line.
ALTER TABLE deliveries ADD COLUMN kind TEXT NOT NULL DEFAULT 'event'; -- event | test

-- FIFO webhooks deliver only the oldest pending delivery; this finds it without walking their delivered history.
CREATE INDEX deliveries_pending_by_webhook ON deliveries (webhook_id, seq) WHERE status = 'pending';
