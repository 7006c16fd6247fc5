// One attempt of a claimed delivery, start to finish: open the webhook's secrets, send, decide what follows, record.
// Recording is one store call per attempt: the store's group commit already writes everything that finishes in the
// same turn of the event loop in one transaction.
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import type { ClaimedDelivery, DeliveryStatus } from '../domain/delivery.js';
import { SecretUnreadable } from '../domain/secret-encryption.js';
import type { WebhookSecrets } from '../domain/webhook-secrets.js';
import type { OperationCounters } from '../services/operation-counters.js';
import type { Store } from '../store/store.js';
import { deliveryIds, logRecordedAttempt } from './attempt-log.js';
import { nextDeliveryState } from './next-delivery-state.js';
import { sendAttempt, unsentAttempt, type SenderDeps, type SentAttempt } from './sender.js';

export interface AttemptDeps {
  sender: SenderDeps;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Decrypts a claimed webhook's secrets (claims carry them as stored). */
  secrets: WebhookSecrets;
  /** True once shutdown has cut attempts off: theirs are not results, and their deliveries go back untried. */
  abandoned?: () => boolean;
  /** Counts each recorded attempt for /metrics, and traces it (in memory: nothing on the hot path waits for it). */
  counters?: OperationCounters | undefined;
}

/**
 * The attempt's result. Whatever prevents sending (a secret whose key is not configured, an unexpected throw) is the
 * attempt's failure, recorded and retried on the schedule: the delivery never stays leased, to be claimed again at
 * every lease expiry, and never goes out unsigned.
 */
async function sendClaim(deps: AttemptDeps, claim: ClaimedDelivery): Promise<SentAttempt> {
  const ids = deliveryIds(claim);
  try {
    return await sendAttempt(deps.sender, deps.secrets.open(claim.webhook), claim.event);
  } catch (error) {
    if (error instanceof SecretUnreadable) {
      deps.logger.error(
        { ...ids, keyId: error.keyId },
        `not sent: ${error.message}; retried on the webhook's schedule`,
      );
      return unsentAttempt(
        deps.clock(),
        `the webhook's secrets cannot be decrypted (${error.keyId ? `key id ${error.keyId} is not configured or does not match` : 'not in a form hookd encrypts to'})`,
      );
    }
    deps.logger.error({ err: error, ...ids }, 'delivery attempt failed unexpectedly; recorded as a failed attempt');
    return unsentAttempt(deps.clock(), 'an internal error; the server log has the details');
  }
}

/**
 * Resolves with the delivery's new status once the attempt is recorded (or its record was dropped because the lease
 * was lost), or undefined when shutdown cut it off before any answer. If recording fails, the delivery keeps its
 * lease and is due again when that runs out (at least once). `onAnswered` runs when the HTTP exchange is over, before
 * the record is written: the endpoint is free for the next delivery from then on.
 */
export async function attemptDelivery(
  deps: AttemptDeps,
  claim: ClaimedDelivery,
  onAnswered?: () => void,
): Promise<DeliveryStatus | undefined> {
  const sent = await sendClaim(deps, claim);
  onAnswered?.();
  // Cut off by shutdown before any answer: not a failure of the endpoint, so nothing is recorded (the worker hands the
  // delivery back). An answer that came first is recorded as usual.
  if (sent.attempt.responseStatus === null && deps.abandoned?.()) return undefined;
  const record = nextDeliveryState(claim, sent, deps.clock());
  await deps.store.recordAttempts([record], deps.clock());
  deps.counters?.attemptRecorded(claim, record);
  logRecordedAttempt(deps.logger, claim, record);
  return record.status;
}
