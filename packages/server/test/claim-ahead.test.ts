// The worker claims a step ahead of its sends, and caps each webhook's open requests by how fast it answers. What a
// user must see: a slow webhook never has more requests open than the floor, a fast one earns up to the ceiling and
// loses it when it slows down, and a webhook paused while some of its deliveries waited for a slot gets none of them.
import { afterEach, expect, it } from 'vitest';
import { createWebhook, deliveriesOf, publish, settledDeliveries } from './support/delivery-api.js';
import { eventually } from './support/eventually.js';
import { startReceiver, type Receiver } from './support/receiver.js';
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
// Answers that take this long or longer (on the app's monotonic clock) count as slow.
const FAST_ANSWER_MS = 200;
// The most one step of the worker may take on a loaded machine (a claim, a send): these tests wait on its events.
const WAIT_MS = 15_000;
// A test answers up to 100 deliveries one at a time, each after a step of the worker: 2 to 4 s on 2 idle cores.
const TEST_TIMEOUT_MS = 120_000;
const engine = {
  concurrency: CONCURRENCY,
  worker: { perWebhook: { floor: PER_WEBHOOK, ceiling: CEILING, fastAnswerMs: FAST_ANSWER_MS } },
};

/**
 * The worker times each answer on the app's monotonic clock, which stands still here: an answer counts as fast or
 * slow because the test says so (by moving that clock), never because a loaded machine was slow to run the receiver.
 * Its wall clock stands still too: a claimed delivery that waited for its slot longer than MAX_WAIT_MS (1 s of that
 * clock) is handed back, and a loaded machine can take that long between two answers, which then found nothing
 * waiting and earned no slot (seen once in a full run on PostgreSQL: 6 requests open where 7 were due).
 */
function standingClock(): { now: () => number; advance: (ms: number) => void; date: () => Date } {
  let nowMs = 0;
  const wallMs = Date.now();
  return { now: () => nowMs, advance: (ms) => (nowMs += ms), date: () => new Date(wallMs) };
}

/** A receiver that holds every request until the test answers it, and counts the requests open at once. */
async function holdingReceiver(): Promise<{
  receiver: Receiver;
  open: () => number;
  most: () => number;
  openAtArrival: number[];
  answerOldest: () => void;
}> {
  const held: (() => void)[] = [];
  const openAtArrival: number[] = [];
  let most = 0;
  const started = await startReceiver(async () => {
    openAtArrival.push(held.length + 1);
    most = Math.max(most, held.length + 1);
    await new Promise<void>((resolve) => held.push(resolve));
    return { status: 200 };
  });
  return {
    receiver: started,
    open: () => held.length,
    most: () => most,
    openAtArrival,
    answerOldest: () => held.shift()!(),
  };
}

/**
 * Publishes `count` events to a webhook of a holding receiver and answers its requests one at a time, oldest first,
 * the n-th slowly when `slow(n)` says so. Each answer waits for events, not time: the webhook has as many requests
 * open as the worker may allow it by then (`limit`, the rule of README.md: one more slot per fast answer while more
 * wait, up to the ceiling; half, down to the floor, per slow one), and the worker holds more of its deliveries,
 * claimed and waiting for a slot, than are open. So every fast answer finds others waiting and earns its slot, and a
 * worker that broke its limit has had the chance to send past it, which `most` shows.
 */
async function answerOneAtATime(
  app: TestApp,
  clock: ReturnType<typeof standingClock>,
  count: number,
  slow: (n: number) => boolean,
) {
  const holding = await holdingReceiver();
  receiver = holding.receiver;
  const webhook = await createWebhook(app, { url: receiver.url });
  await Promise.all(Array.from({ length: count }, (_, i) => publish(app, { type: 'order.created', data: { i } })));
  let limit = PER_WEBHOOK;
  for (let answered = 0; answered < count; answered++) {
    const expectedOpen = Math.min(limit, count - answered);
    await eventually(
      () => expect(holding.open(), `requests open after ${answered} answers`).toBeGreaterThanOrEqual(expectedOpen),
      WAIT_MS,
    );
    if (count - answered > holding.open()) {
      // Claimed: pending and held by the worker (no nextAttemptAt); the answered ones recorded first, so that what is
      // claimed and not open is waiting.
      await eventually(async () => {
        const deliveries = await deliveriesOf(app, webhook.id);
        expect(deliveries.filter((delivery) => delivery.status === 'success')).toHaveLength(answered);
        const claimed = deliveries.filter(
          (delivery) => delivery.status === 'pending' && delivery.nextAttemptAt === null,
        );
        expect(
          claimed.length,
          `deliveries claimed after ${answered} answers, ${holding.open()} of them open`,
        ).toBeGreaterThan(holding.open());
      }, WAIT_MS);
    }
    if (slow(answered)) clock.advance(FAST_ANSWER_MS);
    limit = slow(answered) ? Math.max(PER_WEBHOOK, Math.floor(limit / 2)) : Math.min(CEILING, limit + 1);
    holding.answerOldest();
  }
  await settledDeliveries(app, webhook.id, count);
  expect(receiver.requests).toHaveLength(count);
  return holding;
}

it(
  `keeps a webhook that answers slowly at ${PER_WEBHOOK} requests open, however many of its deliveries are due`,
  async () => {
    const clock = standingClock();
    t = await startTestApp({ engine, monotonicClock: clock.now, clock: clock.date });
    const holding = await answerOneAtATime(t, clock, 16, () => true);
    expect(holding.most()).toBe(PER_WEBHOOK);
  },
  TEST_TIMEOUT_MS,
);

it(
  `lets a webhook that answers fast, with more waiting, earn up to ${CEILING} requests open, and no more`,
  async () => {
    const clock = standingClock();
    t = await startTestApp({ engine, monotonicClock: clock.now, clock: clock.date });
    const holding = await answerOneAtATime(t, clock, 100, () => false);
    expect(holding.most()).toBe(CEILING);
  },
  TEST_TIMEOUT_MS,
);

it(
  `takes a webhook back to ${PER_WEBHOOK} requests open once its fast answers turn slow`,
  async () => {
    // The first 60 requests are answered fast, the 40 after them slowly, while the webhook never runs out of work.
    const clock = standingClock();
    t = await startTestApp({ engine, monotonicClock: clock.now, clock: clock.date });
    const holding = await answerOneAtATime(t, clock, 100, (n) => n >= 60);
    expect(Math.max(...holding.openAtArrival.slice(0, 60))).toBe(CEILING);
    // The first slow answers halve the limit down to the floor; from then on the webhook holds no more than that.
    expect(Math.max(...holding.openAtArrival.slice(-16))).toBeLessThanOrEqual(PER_WEBHOOK);
  },
  TEST_TIMEOUT_MS,
);

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
