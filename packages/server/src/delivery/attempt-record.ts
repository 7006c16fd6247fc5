// Turns one attempt's result into what is written back: the delivery's next state and any webhook status change.
import { decideOutcome } from '../domain/attempt-outcome.js';
import type { AttemptRecord, ClaimedDelivery } from '../domain/delivery.js';
import { parseDuration } from '../domain/duration.js';
import type { SentAttempt } from './sender.js';

export function toAttemptRecord(claim: ClaimedDelivery, sent: SentAttempt, now: Date): AttemptRecord {
  const { webhook } = claim;
  const scheduleMs = webhook.retry.schedule.map((step) => parseDuration(step) ?? 0);
  const outcome = decideOutcome(
    { status: sent.attempt.responseStatus ?? undefined, error: sent.attempt.error ?? undefined, retryAfterMs: sent.retryAfterMs },
    claim.roundFailures,
    scheduleMs,
    webhook.retry.retryOn4xx,
  );
  const base = { claim, attempt: sent.attempt };
  switch (outcome.kind) {
    case 'success':
      return { ...base, status: 'success', roundFailures: claim.roundFailures, nextAttemptAt: null, webhookStatus: webhook.status === 'failing' ? 'healthy' : undefined };
    case 'retry':
      return { ...base, status: 'pending', roundFailures: claim.roundFailures + 1, nextAttemptAt: new Date(now.getTime() + outcome.delayMs) };
    case 'failed':
      return {
        ...base,
        attempt: { ...sent.attempt, error: sent.attempt.error ? `${sent.attempt.error}; ${outcome.reason}` : outcome.reason },
        status: 'failed',
        roundFailures: claim.roundFailures + 1,
        nextAttemptAt: null,
        webhookStatus: outcome.disableWebhook ? 'disabled' : 'failing',
      };
  }
}
