// One attempt of a claimed delivery, start to finish: send it, decide what follows, record both.
import type { ClaimedDelivery } from '../domain/delivery.js';
import type { Clock } from '../services/deps.js';
import type { AttemptRecorder } from './attempt-recorder.js';
import { nextDeliveryState } from './next-delivery-state.js';
import { sendAttempt, type SenderDeps } from './sender.js';

export interface AttemptDeps {
  sender: SenderDeps;
  recorder: AttemptRecorder;
  clock: Clock;
}

/** Resolves once the attempt is recorded (or its record was dropped because the lease was lost). */
export async function attemptDelivery(deps: AttemptDeps, claim: ClaimedDelivery): Promise<void> {
  const sent = await sendAttempt(deps.sender, claim.webhook, claim.event);
  await deps.recorder.record(nextDeliveryState(claim, sent, deps.clock()));
}
