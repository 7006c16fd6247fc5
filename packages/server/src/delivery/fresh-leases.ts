// New deliveries this process sends without claiming them: a publish's, made already leased to this process's worker
// when it has room, and "Send test"'s, attempted at once. Stored leased, they need no claim to find them, and no
// other worker takes them meanwhile: with events published one by one, claims of a few deliveries each cost more than
// the publishes.
import { randomUUID } from 'node:crypto';
import type { ClaimedDelivery } from '../domain/delivery.js';
import type { EventRecord } from '../domain/envelope.js';
import { newId } from '../domain/ids.js';
import type { Webhook } from '../domain/webhook.js';
import type { NewDelivery, Store, StoredEvent } from '../store/store.js';
import { attemptDelivery, type AttemptDeps } from './attempt.js';

/**
 * The webhooks whose deliveries of a new event the worker takes straight away: made leased under `leaseToken` until
 * `leaseEnd`, they are handed to it once stored.
 */
export interface FreshReservation {
  leaseToken: string;
  leaseEnd: Date;
  webhookIds: ReadonlySet<string>;
}

/** The worker as a publish sees it. */
export interface FreshDeliveryTaker {
  /** Which of these webhooks' deliveries of an event being published the worker sends at once; undefined: none. */
  reserveFresh(webhooks: Webhook[]): FreshReservation | undefined;
  /** The reserved deliveries are stored, leased (`claims`; none when the publish failed): send them. */
  takeFresh(reservation: FreshReservation, claims: ClaimedDelivery[]): void;
  /** Some deliveries were queued: a claim may find them. */
  wake(): void;
}

/**
 * The event and one delivery per webhook in one store write: those the worker (when this process runs one) has room
 * for made leased to it and handed over once stored, the others queued, due now. Resolves with how many were made.
 */
export async function storeWithFreshLeases(
  deps: { store: Store; worker: FreshDeliveryTaker | undefined },
  event: EventRecord,
  webhooks: Webhook[],
): Promise<number> {
  const { store, worker } = deps;
  const fresh = webhooks.length > 0 ? worker?.reserveFresh(webhooks) : undefined;
  const createdMs = event.createdAt.getTime();
  const deliveries: NewDelivery[] = webhooks.map((webhook) =>
    fresh?.webhookIds.has(webhook.id)
      ? {
          id: newId('dlv', createdMs),
          webhookId: webhook.id,
          nextAttemptAt: fresh.leaseEnd,
          leaseToken: fresh.leaseToken,
        }
      : { id: newId('dlv', createdMs), webhookId: webhook.id, nextAttemptAt: event.createdAt },
  );
  let stored: StoredEvent;
  try {
    stored = await store.insertEventWithDeliveries(event, deliveries);
  } catch (error) {
    if (fresh) worker!.takeFresh(fresh, []);
    throw error;
  }
  const leased = fresh ? leasedClaims(event, deliveries, webhooks, stored.leasedSeqs) : [];
  if (fresh) worker!.takeFresh(fresh, leased);
  if (stored.made > leased.length) worker?.wake();
  return stored.made;
}

/** The deliveries stored leased (`deliveries[n]` goes to `webhooks[n]`), as a claim gives them. */
function leasedClaims(
  event: EventRecord,
  deliveries: NewDelivery[],
  webhooks: Webhook[],
  leasedSeqs: Record<string, number>,
): ClaimedDelivery[] {
  const claims: ClaimedDelivery[] = [];
  deliveries.forEach((delivery, n) => {
    const seq = leasedSeqs[delivery.id];
    if (seq !== undefined)
      claims.push({
        seq,
        id: delivery.id,
        leaseToken: delivery.leaseToken!,
        kind: 'event',
        roundFailures: 0,
        attempts: 0,
        webhook: webhooks[n]!,
        event,
      });
  });
  return claims;
}

/**
 * "Send test": the test event with its one delivery, made leased to this call (so no worker takes it) for a claim's
 * lease; then its attempt, now. Resolves once that is recorded with the delivery's id, or undefined when the webhook
 * was deleted meanwhile and nothing was made.
 */
export async function sendTestNow(
  deps: { store: Store; attempts: AttemptDeps; leaseMs: number },
  event: EventRecord,
  webhook: Webhook,
): Promise<string | undefined> {
  const id = newId('dlv', event.createdAt.getTime());
  const leaseToken = randomUUID();
  const leaseEnd = new Date(event.createdAt.getTime() + deps.leaseMs);
  const stored = await deps.store.insertEventWithDeliveries(event, [
    { id, webhookId: webhook.id, kind: 'test', nextAttemptAt: leaseEnd, leaseToken },
  ]);
  const seq = stored.leasedSeqs[id];
  if (seq === undefined) return undefined;
  const claim = { seq, id, leaseToken, kind: 'test' as const, roundFailures: 0, attempts: 0, webhook, event };
  await attemptDelivery(deps.attempts, claim);
  return id;
}
