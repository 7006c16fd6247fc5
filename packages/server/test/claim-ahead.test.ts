// The worker claims a step ahead of its sends, and caps each webhook's open requests by how fast it answers. What a
// user must see: a slow webhook never has more requests open than the floor, a fast one earns up to the ceiling and
// loses it when it slows down, and a webhook paused while some of its deliveries waited for a slot gets none of them.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, it } from 'vitest';
import { createWebhook, deliveriesOf, publish, settledDeliveries } from './support/delivery-api.js';
import { eventually } from './support/programmable-receiver.js';
import { startReceiver, type Receiver } from './support/seed-receiver.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await t?.close();
  await receiver?.close();
});

// 64 slots in the process: 4 for each webhook, and up to 16 for one that answers fast.
const CONCURRENCY = 64;
const PER_WEBHOOK = 4;
const CEILING = 16;
// Answers slower than this count as slow (the product's default is a second; shorter keeps the test short).
const FAST_ANSWER_MS = 200;
const engine = { concurrency: CONCURRENCY, worker: { perWebhook: { floor: PER_WEBHOOK, ceiling: CEILING, fastAnswerMs: FAST_ANSWER_MS } } };

/** A receiver that answers 200 after `delayMs()` and counts the requests open at once: the most, and at each arrival. */
async function countingReceiver(delayMs: () => number): Promise<{ receiver: Receiver; most: () => number; openAtArrival: number[] }> {
  let open = 0;
  let most = 0;
  const openAtArrival: number[] = [];
  const started = await startReceiver(async () => {
    openAtArrival.push(++open);
    most = Math.max(most, open);
    await sleep(delayMs());
    open--;
    return { status: 200 };
  });
  return { receiver: started, most: () => most, openAtArrival };
}

it(`keeps a webhook that answers slowly at ${PER_WEBHOOK} requests open, however many of its deliveries are due`, async () => {
  const counting = await countingReceiver(() => FAST_ANSWER_MS + 100);
  receiver = counting.receiver;
  t = await startTestApp({ engine });
  const webhook = await createWebhook(t, { url: receiver.url });
  for (let i = 0; i < 16; i++) await publish(t, { type: 'order.created', data: { i } });

  await settledDeliveries(t, webhook.id, 16);
  expect(counting.most()).toBe(PER_WEBHOOK);
  expect(receiver.requests).toHaveLength(16);
});

it(`lets a webhook that answers fast, with more waiting, earn up to ${CEILING} requests open, and no more`, async () => {
  const counting = await countingReceiver(() => 50);
  receiver = counting.receiver;
  t = await startTestApp({ engine });
  const webhook = await createWebhook(t, { url: receiver.url });
  await Promise.all(Array.from({ length: 100 }, (_, i) => publish(t!, { type: 'order.created', data: { i } })));

  await settledDeliveries(t, webhook.id, 100);
  expect(counting.most()).toBe(CEILING);
  expect(receiver.requests).toHaveLength(100);
});

it(`takes a webhook back to ${PER_WEBHOOK} requests open once its fast answers turn slow`, async () => {
  // The first 60 requests are answered fast, the 40 after them slowly, while the webhook never runs out of work.
  let arrived = 0;
  const counting = await countingReceiver(() => (++arrived <= 60 ? 50 : FAST_ANSWER_MS + 100));
  receiver = counting.receiver;
  t = await startTestApp({ engine });
  const webhook = await createWebhook(t, { url: receiver.url });
  await Promise.all(Array.from({ length: 100 }, (_, i) => publish(t!, { type: 'order.created', data: { i } })));

  await settledDeliveries(t, webhook.id, 100);
  expect(Math.max(...counting.openAtArrival.slice(0, 60))).toBe(CEILING);
  // The first slow answers halve the limit down to the floor; from then on the webhook holds no more than that.
  expect(Math.max(...counting.openAtArrival.slice(-16))).toBeLessThanOrEqual(PER_WEBHOOK);
});

// Not slept through: the app's clock is moved past the longest a claimed delivery may wait, and the test waits for
// the event that ends the question, every delivery the worker held being handed back to the queue, before it counts
// what arrived.
it('sends nothing a paused webhook had waiting for a slot, and all of it once it is active again', async () => {
  let release: (() => void) | undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let arrived = 0;
  receiver = await startReceiver(async () => {
    arrived++;
    await held;
    return { status: 200 };
  });
  let clockAheadMs = 0;
  t = await startTestApp({ engine, clock: () => new Date(Date.now() + clockAheadMs) });
  const webhook = await createWebhook(t, { url: receiver.url });
  for (let i = 0; i < 12; i++) await publish(t, { type: 'order.created', data: { i } });
  await eventually(() => expect(arrived).toBe(PER_WEBHOOK));

  expect((await t.call('PATCH', `/api/v1/webhooks/${webhook.id}`, { body: { active: false } })).status).toBe(200);
  // Past the longest a claimed delivery may wait (1 s), the open requests are answered and their slots free up.
  clockAheadMs = 1_200;
  release!();
  await eventually(async () => {
    const deliveries = await deliveriesOf(t!, webhook.id);
    expect(deliveries.filter((delivery) => delivery.status === 'success')).toHaveLength(PER_WEBHOOK);
    // The rest are back in the queue, none held by the worker (an in-flight delivery shows no nextAttemptAt).
    const queued = deliveries.filter((delivery) => delivery.status === 'pending' && delivery.nextAttemptAt !== null);
    expect(queued).toHaveLength(12 - PER_WEBHOOK);
  });
  expect(arrived).toBe(PER_WEBHOOK);

  expect((await t.call('PATCH', `/api/v1/webhooks/${webhook.id}`, { body: { active: true } })).status).toBe(200);
  await settledDeliveries(t, webhook.id, 12);
  expect(arrived).toBe(12);
});
