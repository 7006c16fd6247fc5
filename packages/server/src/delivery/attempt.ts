// One attempt of a claimed delivery, start to finish: send it, decide what follows, record both.
// Recording is one store call per attempt: the store's group commit already writes everything that finishes in the
// same turn of the event loop in one transaction.
import type { ClaimedDelivery, DeliveryStatus } from '../domain/delivery.js';
import type { Clock } from '../services/deps.js';
import type { Store } from '../store/store.js';
import { nextDeliveryState } from './next-delivery-state.js';
import { sendAttempt, type SenderDeps } from './sender.js';

export interface AttemptDeps {
  sender: SenderDeps;
  store: Store;
  clock: Clock;
  /** True once shutdown has cut attempts off: theirs are not results, and their deliveries go back untried. */
  abandoned?: () => boolean;
}

/**
 * Resolves with the delivery's new status once the attempt is recorded (or its record was dropped because the lease
 * was lost), or undefined when shutdown cut it off before any answer. If recording fails, the delivery keeps its
 * lease and is due again when that runs out (at least once). `onAnswered` runs when the HTTP exchange is over, before
 * the record is written: the endpoint is free for the next delivery from then on.
 */
export async function attemptDelivery(deps: AttemptDeps, claim: ClaimedDelivery, onAnswered?: () => void): Promise<DeliveryStatus | undefined> {
  const sent = await sendAttempt(deps.sender, claim.webhook, claim.event);
  onAnswered?.();
  // Cut off by shutdown before any answer: not a failure of the endpoint, so nothing is recorded (the worker hands the
  // delivery back). An answer that came first is recorded as usual.
  if (sent.attempt.responseStatus === null && deps.abandoned?.()) return undefined;
  const record = nextDeliveryState(claim, sent, deps.clock());
  await deps.store.recordAttempts([record], deps.clock());
  return record.status;
}
