-- "Send test" deliveries are marked: one attempt each, and a failed one does not mark the webhook failing.
ALTER TABLE deliveries ADD COLUMN kind TEXT NOT NULL DEFAULT 'event'; -- event | test

-- Claims walk the webhooks and take each one's due deliveries from these, so the work per claim follows the number
-- of webhooks, not the length of the queue (a backlog held back by a saturated webhook is never scanned).
CREATE INDEX deliveries_pending_by_webhook_due ON deliveries (webhook_id, next_attempt_at) WHERE status = 'pending';
-- FIFO webhooks deliver only their oldest pending delivery; "Send test" deliveries stand outside that line.
CREATE INDEX deliveries_pending_by_webhook_seq ON deliveries (webhook_id, seq) WHERE status = 'pending';
CREATE INDEX deliveries_pending_tests ON deliveries (webhook_id) WHERE status = 'pending' AND kind = 'test';
-- Superseded by the per-webhook index above.
DROP INDEX deliveries_due;
-- Nothing looks deliveries up by event, and every publish paid to keep it.
DROP INDEX deliveries_by_event;
