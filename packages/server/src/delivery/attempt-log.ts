// The log line of a recorded attempt: its ids (workspace, webhook, delivery, event) and what happened, never the
// request or response body, a header value or the webhook's URL (a query string may hold a receiver's token).
import type { Logger } from 'pino';
import type { AttemptRecord, ClaimedDelivery } from '../domain/delivery.js';

/** The ids a line about this delivery carries, so one grep finds every line of a webhook, a delivery or an event. */
export function deliveryIds(claim: Pick<ClaimedDelivery, 'id' | 'webhook' | 'event'>) {
  return {
    workspaceId: claim.webhook.workspaceId,
    webhookId: claim.webhook.id,
    deliveryId: claim.id,
    eventId: claim.event.id,
  };
}

/**
 * A success at debug (the delivery log has it; at info it would be a line per delivery), a failure to be retried at
 * info, a delivery out of retries and a webhook disabled (410 Gone) at warn.
 */
export function logRecordedAttempt(logger: Logger, claim: ClaimedDelivery, record: AttemptRecord): void {
  if (record.status === 'success') {
    if (logger.isLevelEnabled('debug'))
      logger.debug(
        { ...deliveryIds(claim), responseStatus: record.attempt.responseStatus, durationMs: record.attempt.durationMs },
        'delivered',
      );
    return;
  }
  const fields = {
    ...deliveryIds(claim),
    responseStatus: record.attempt.responseStatus,
    durationMs: record.attempt.durationMs,
    error: record.attempt.error,
  };
  if (record.status === 'pending')
    logger.info({ ...fields, nextAttemptAt: record.nextAttemptAt }, 'delivery attempt failed; retrying on schedule');
  else logger.warn(fields, 'delivery failed: no retries left');
  // 410 Gone is what disables a webhook today; the attempt's error says the rest.
  if (record.webhookStatus === 'disabled' && claim.webhook.status !== 'disabled')
    logger.warn(deliveryIds(claim), 'webhook disabled: the receiver answered 410 Gone');
}
