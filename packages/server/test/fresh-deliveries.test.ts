// A delivery published while this process's worker has room for its webhook is stored already leased to the worker
// and sent at once, with no claim. What a user must see: each delivery arrives exactly once, what did not fit waits
// in the queue and goes out later, and a publish that fails leaves the worker's room as it was.
import { afterEach, expect, it } from 'vitest';
import type { Store } from '../src/store/store.js';
import { createWebhook, publish, settledDeliveries } from './support/delivery-api.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await t?.close();
  await receiver?.close();
});

/** Counts, from now on, the claims made and the deliveries they hand to the worker (the store stays the real one). */
function countClaimed(store: Store): { count: number; calls: number } {
  const counter = { count: 0, calls: 0 };
  const claim = store.claimDueDeliveries.bind(store);
  store.claimDueDeliveries = async (request) => {
    const claims = await claim(request);
    counter.calls++;
    counter.count += claims.length;
    return claims;
  };
  return counter;
}

/** The webhook-id header of every request received: one per delivery, repeated only if it was sent twice. */
const deliveryIds = (from: Receiver) => from.requests.map((request) => request.headers['webhook-id']);

it('sends deliveries published to a webhook with room without claiming them', async () => {
  receiver = await startReceiver();
  t = await startTestApp();
  const claimed = countClaimed(t.store);
  const webhook = await createWebhook(t, { url: receiver.url });
  for (let i = 0; i < 5; i++) await publish(t, { type: 'order.created', data: { i } });

  const deliveries = await settledDeliveries(t, webhook.id, 5);
  expect(deliveries.every((delivery) => delivery.status === 'success' && delivery.attempts === 1)).toBe(true);
  expect(new Set(deliveryIds(receiver)).size).toBe(5);
  expect(claimed.count).toBe(0);
});

it('makes no claims for a trickle of events whose deliveries all go straight to the worker', async () => {
  receiver = await startReceiver();
  t = await startTestApp();
  const webhook = await createWebhook(t, { url: receiver.url });
  const claimed = countClaimed(t.store);
  const started = Date.now();
  for (let i = 0; i < 20; i++) {
    await publish(t, { type: 'order.created', data: { i } });
    await receiver.answered(i + 1);
  }
  await settledDeliveries(t, webhook.id, 20);
  expect(claimed.count).toBe(0);
  // Only the worker's poll looks (once a second when idle); an answer or a recorded success looks for nothing more.
  expect(claimed.calls).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 1_000) + 1);
});

// The receiver holds its answers until all ten publishes are in, rather than for 50 ms: that some cannot fit then
// does not depend on how fast a loaded machine answers.
it('queues the deliveries that do not fit and sends each of them once, later', async () => {
  let releaseAnswers: (() => void) | undefined;
  const answersHeld = new Promise<void>((resolve) => (releaseAnswers = resolve));
  receiver = await startReceiver(async () => {
    await answersHeld;
    return { status: 200 };
  });
  // 16 slots: one request open per webhook, and one more delivery held waiting for it.
  t = await startTestApp({ engine: { concurrency: 16 } });
  const claimed = countClaimed(t.store);
  const webhook = await createWebhook(t, { url: receiver.url });
  await Promise.all(Array.from({ length: 10 }, (_, i) => publish(t!, { type: 'order.created', data: { i } })));
  releaseAnswers!();

  await settledDeliveries(t, webhook.id, 10);
  const ids = deliveryIds(receiver);
  expect(ids).toHaveLength(10);
  expect(new Set(ids).size).toBe(10);
  // Some went straight to the worker, the rest through the queue.
  expect(claimed.count).toBeGreaterThan(0);
  expect(claimed.count).toBeLessThan(10);
});

/**
 * Until undone, has the store take each pair of publishes that reach it together in reverse order, so that the first
 * (which reserved the worker's room first) loses a race for the same event id.
 */
function secondOfEachPairStoredFirst(store: Store): () => void {
  const insert = store.insertEventWithDeliveries.bind(store);
  let first: (() => void) | undefined;
  store.insertEventWithDeliveries = async (event, deliveries) => {
    if (!first) {
      await new Promise<void>((resolve) => (first = resolve));
      return insert(event, deliveries);
    }
    const release = first;
    first = undefined;
    try {
      return await insert(event, deliveries);
    } finally {
      release();
    }
  };
  return () => (store.insertEventWithDeliveries = insert);
}

it('gives the room a failed publish had reserved back to the webhook', async () => {
  receiver = await startReceiver();
  // Room for two deliveries of the webhook: two reservations never given back would leave it none, for good.
  t = await startTestApp({ engine: { concurrency: 16 } });
  const webhook = await createWebhook(t, { url: receiver.url });
  const undo = secondOfEachPairStoredFirst(t.store);
  for (let round = 0; round < 2; round++) {
    // Two publishes of one event id at once: the second is stored, the first fails and answers with its result.
    const both = await Promise.all(
      [0, 1].map(() => publish(t!, { type: 'order.created', id: `evt-${round}`, data: { round } })),
    );
    expect(both[0].id).toBe(both[1].id);
    await settledDeliveries(t, webhook.id, round + 1);
  }
  undo();
  for (let i = 0; i < 3; i++) await publish(t, { type: 'order.created', data: { i } });

  await settledDeliveries(t, webhook.id, 5);
  expect(new Set(deliveryIds(receiver)).size).toBe(5);
});
