// The worker claims a step ahead of its sends, and caps each webhook's open requests by how fast it answers. What a
// user must see: a slow webhook never has more requests open than the floor, a fast one earns up to the ceiling and
// loses it when it slows down, and a webhook paused while some of its deliveries waited for a slot gets none of them.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createWebhook, deliveriesOf, publish, settledDeliveries } from './support/delivery-api.js';
import { eventually } from './support/programmable-receiver.js';
import { startReceiver, type Receiver } from './support/seed-receiver.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp | undefined;
let receiver: Receiver | undefined;
// The worker times each answer with performance.now(), faked here: an answer counts as fast or slow because the
// receiver says so (by moving that clock), never because a loaded machine was slow to run the test's receiver.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['performance'] });
});
afterEach(async () => {
  vi.useRealTimers();
  await t?.close();
  await receiver?.close();
});

// 64 slots in the process: 4 for each webhook, and up to 16 for one that answers fast.
const CONCURRENCY = 64;
const PER_WEBHOOK = 4;
const CEILING = 16;
// Answers that take this long or longer (on the faked clock) count as slow.
const FAST_ANSWER_MS = 200;
const engine = { concurrency: CONCURRENCY, worker: { perWebhook: { floor: PER_WEBHOOK, ceiling: CEILING, fastAnswerMs: FAST_ANSWER_MS } } };

/**
 * A receiver that answers 200 and counts the requests open at once: the most, and at each arrival. `slow()` says
 * whether this answer is slow: it then moves the worker's clock on by FAST_ANSWER_MS before answering. Each answer is
 * held `holdMs` of real time, only so that requests overlap; how long that takes on the faked clock is nothing.
 */
async function countingReceiver(slow: () => boolean, holdMs = 200): Promise<{ receiver: Receiver; most: () => number; openAtArrival: number[] }> {
  let open = 0;
  let most = 0;
  const openAtArrival: number[] = [];
  const started = await startReceiver(async () => {
    openAtArrival.push(++open);
    most = Math.max(most, open);
    const isSlow = slow();
    await sleep(holdMs);
    if (isSlow) vi.advanceTimersByTime(FAST_ANSWER_MS);
    open--;
    return { status: 200 };
  });
  return { receiver: started, most: () => most, openAtArrival };
}

// Not timed: the receiver holds each request until PER_WEBHOOK are open at once (16 deliveries, four rounds), then
// answers them all slowly, so the test sees the floor open however slowly the worker sends. A full round is held
// 300 ms more before its answers, a chance for a worker that broke the cap to send a fifth: that wait can only make
// a broken worker harder to catch on a loaded machine, never fail a sound one.
it(`keeps a webhook that answers slowly at ${PER_WEBHOOK} requests open, however many of its deliveries are due`, async () => {
  let open = 0;
  let most = 0;
  let roundFull: () => void = () => undefined;
  let round = new Promise<void>((resolve) => (roundFull = resolve));
  receiver = await startReceiver(async () => {
    most = Math.max(most, ++open);
    const mine = round;
    // Past the cap, rounds would never fill again: answer everything, and let the test fail on `most`.
    if (most > PER_WEBHOOK) roundFull();
    else if (open === PER_WEBHOOK) {
      const full = roundFull;
      round = new Promise<void>((resolve) => (roundFull = resolve));
      await sleep(300);
      vi.advanceTimersByTime(FAST_ANSWER_MS);
      full();
    }
    await mine;
    open--;
    return { status: 200 };
  });
  t = await startTestApp({ engine });
  const webhook = await createWebhook(t, { url: receiver.url });
  for (let i = 0; i < 16; i++) await publish(t, { type: 'order.created', data: { i } });

  await settledDeliveries(t, webhook.id, 16);
  expect(most).toBe(PER_WEBHOOK);
  expect(receiver.requests).toHaveLength(16);
});

it(`lets a webhook that answers fast, with more waiting, earn up to ${CEILING} requests open, and no more`, async () => {
  const counting = await countingReceiver(() => false);
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
  const counting = await countingReceiver(() => ++arrived > 60);
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
