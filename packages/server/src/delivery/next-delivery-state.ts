// Turns one attempt's result into what is written back: the delivery's next state and any webhook status change.
import { decideOutcome, finalFailureText } from '../domain/attempt-outcome.js';
import type { AttemptRecord, ClaimedDelivery } from '../domain/delivery.js';
import { parseDuration } from '../domain/duration.js';
import type { SentAttempt } from './sender.js';

export function nextDeliveryState(claim: ClaimedDelivery, sent: SentAttempt, now: Date): AttemptRecord {
  const { webhook } = claim;
  // "Send test" is one attempt: a receiver that does not know the test type must not earn a day of retries.
  const scheduleMs = claim.kind === 'test' ? [] : webhook.retry.schedule.map((step) => parseDuration(step) ?? 0);
  const outcome = decideOutcome(
    {
      status: sent.attempt.responseStatus ?? undefined,
      error: sent.attempt.error ?? undefined,
      retryAfterMs: sent.retryAfterMs,
    },
    { failuresBefore: claim.roundFailures, scheduleMs, retryOn4xx: webhook.retry.retryOn4xx },
  );
  const recorded = { seq: claim.seq, leaseToken: claim.leaseToken, webhook: { id: webhook.id } };
  // Literals spelled out rather than spread from a common base: once per delivery, the spreads showed in the profile.
  switch (outcome.kind) {
    case 'success':
      // The store writes a status only when it changes, so saying "healthy" on every success costs nothing.
      return {
        claim: recorded,
        attempt: sent.attempt,
        status: 'success',
        roundFailures: claim.roundFailures,
        nextAttemptAt: null,
        webhookStatus: 'healthy',
      };
    case 'retry':
      return {
        claim: recorded,
        attempt: sent.attempt,
        status: 'pending',
        roundFailures: claim.roundFailures + 1,
        nextAttemptAt: new Date(now.getTime() + outcome.delayMs),
        webhookFailed: claim.kind !== 'test',
      };
    case 'failed':
      return {
        claim: recorded,
        attempt: {
          ...sent.attempt,
          error: finalFailureText(sent.attempt.error || null, outcome.reason),
        },
        status: 'failed',
        roundFailures: claim.roundFailures + 1,
        nextAttemptAt: null,
        // A failed test says nothing about the real traffic, so it does not mark the webhook failing.
        webhookStatus: outcome.disableWebhook ? 'disabled' : claim.kind === 'test' ? undefined : 'failing',
        webhookFailed: claim.kind !== 'test',
      };
  }
}
