-- FIFO webhooks deliver only the oldest pending delivery; this finds it without walking their delivered history.
CREATE INDEX deliveries_pending_by_webhook ON deliveries (webhook_id, seq) WHERE status = 'pending';
