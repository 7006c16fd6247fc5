-- Auto-disable (issue #18). `auto_disable_after` is the webhook's own limit ("5d"; NULL: the workspace's).
-- `failing_since` is when the first failed attempt since the last success was made (ms; NULL: not failing): set by
-- recordAttempts only when it is NULL, cleared by a success, so a healthy webhook's row is not written per delivery.
ALTER TABLE webhooks ADD COLUMN auto_disable_after TEXT;
ALTER TABLE webhooks ADD COLUMN failing_since INTEGER;
