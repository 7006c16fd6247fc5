// What an attempt changes on its webhook: the status, and the failing clock auto-disable measures (failing_since).
import type { AttemptRecord } from '../../domain/delivery.js';
import { toMs, type SqliteDatabase } from './database.js';

/**
 * A writer for one batch of records, in the batch's transaction. Only a real change is written, so a healthy
 * webhook's row is not written per delivery: a success on a webhook neither failing nor timing a failure, and a
 * failure on one whose clock already runs, match no row. The clock is started at most once per webhook and batch
 * (unless a success in between stopped it), so a batch of failures to one endpoint costs one more statement, not one
 * per attempt. A disabled webhook stays so until an operator turns it back on, which also stops its clock.
 */
export function webhookHealthWriter(database: SqliteDatabase): (record: AttemptRecord, nowMs: number) => void {
  const markHealthy = database.prepared(
    `UPDATE webhooks SET status = 'healthy', failing_since = NULL,
       updated_at = CASE WHEN status = 'healthy' THEN updated_at ELSE @now END
     WHERE id = @id AND status != 'disabled' AND (status != 'healthy' OR failing_since IS NOT NULL)`,
  );
  const changeStatus = database.prepared(
    "UPDATE webhooks SET status = @status, updated_at = @now WHERE id = @id AND status != @status AND status != 'disabled'",
  );
  const startClock = database.prepared(
    'UPDATE webhooks SET failing_since = @at WHERE id = @id AND failing_since IS NULL',
  );
  const clockStarted = new Set<string>();
  return (record, nowMs) => {
    const id = record.claim.webhook.id;
    if (record.webhookStatus === 'healthy') {
      markHealthy.run({ now: nowMs, id });
      clockStarted.delete(id);
      return;
    }
    if (record.webhookFailed && !clockStarted.has(id)) {
      startClock.run({ at: toMs(record.attempt.attemptedAt), id });
      clockStarted.add(id);
    }
    if (record.webhookStatus) changeStatus.run({ status: record.webhookStatus, now: nowMs, id });
  };
}
