// `ordering: "fifo"` delivers one at a time in publish order, a retry holding back the rest; `rateLimit` caps deliveries a second.
import { afterEach, describe, expect, it } from 'vitest';
import { attemptsOf, createWebhook, publish, settledDeliveries } from './support/delivery-api.js';
import { startReceiver, type Answer, type Receiver } from './support/receiver.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp | undefined;
/** An app with no worker that stores deliveries for `t` to send (its database outlives `t`). */
let publisher: TestApp | undefined;
const receivers: Receiver[] = [];
afterEach(async () => {
  await t?.close();
  await publisher?.close();
  publisher = undefined;
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

/**
 * A receiver that notes each arrival (event id, time) and how many requests it held at once; it answers none before
 * `held` settles, so a worker that broke the order had every chance to send more meanwhile.
 */
async function observingReceiver(answer: Answer = () => ({ status: 200 }), held: Promise<void> = Promise.resolve()) {
  const arrivals: { id: string; at: number }[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const receiver = await startReceiver(async (request) => {
    arrivals.push({ id: (request.json as { id: string }).id, at: Date.now() });
    mostInFlight = Math.max(mostInFlight, ++inFlight);
    await held;
    inFlight--;
    return answer(request);
  });
  receivers.push(receiver);
  return { receiver, arrivals, mostInFlight: () => mostInFlight };
}

describe('ordering: "fifo"', () => {
  it('delivers in publish order, one at a time, and a failing head holds the rest back until its retry succeeds', async () => {
    // Nothing is answered until every event is published: all six are due while the head is still open.
    let allPublished!: () => void;
    const published = new Promise<void>((resolve) => (allPublished = resolve));
    const fifo = await observingReceiver((request) => ({ status: request.index === 0 ? 500 : 200 }), published);
    t = await startTestApp();
    const webhook = await createWebhook(t, {
      url: fifo.receiver.url,
      ordering: 'fifo',
      retry: { schedule: ['150ms'] },
    });
    const ids = Array.from({ length: 6 }, (_, i) => `fifo-${i}`);
    for (const id of ids) await publish(t, { id, type: 'order.created' });
    allPublished();

    await settledDeliveries(t, webhook.id, ids.length);
    expect(fifo.arrivals.map((arrival) => arrival.id)).toEqual([ids[0], ...ids]);
    expect(fifo.mostInFlight()).toBe(1);
  });

  // The receiver answers nothing until two requests are open at once, so the overlap does not depend on how long an
  // answer takes on a loaded machine; a webhook sent one at a time would never settle.
  it('sends concurrently without fifo (so the test above can tell the difference)', async () => {
    let open = 0;
    let twoOpen: (() => void) | undefined;
    const overlapped = new Promise<void>((resolve) => (twoOpen = resolve));
    const plain = await startReceiver(async () => {
      if (++open >= 2) twoOpen!();
      await overlapped;
      return { status: 200 };
    });
    receivers.push(plain);
    t = await startTestApp();
    const webhook = await createWebhook(t, { url: plain.url });
    await Promise.all(Array.from({ length: 6 }, (_, i) => publish(t!, { id: `plain-${i}`, type: 'order.created' })));
    const deliveries = await settledDeliveries(t, webhook.id, 6);
    expect(deliveries.every((delivery) => delivery.status === 'success')).toBe(true);
  });
});

describe('rateLimit', () => {
  // Not timed against an upper bound: the deliveries are all stored before any worker runs, so when it starts every
  // one of them is due at once and only the limit can spread them out. The test asserts the least time the limit
  // must take and the most it may send in any second, judged by the attempt times hookd recorded, not by arrivals at
  // a receiver in this busy process (one read late bunches with the next ones and makes 11 in a second). hookd stamps
  // an attempt in the same synchronous step in which the limiter gives it a token, so the recorded times are the
  // limiter's own; a loaded machine only spreads them further, which neither assertion minds, while a worker that
  // ignored the limit sends all 15 in a burst and fails both.
  it('spaces deliveries to a limited webhook to its rate, while an unlimited one gets all of its own', async () => {
    const limited = await observingReceiver();
    const unlimited = await observingReceiver();
    publisher = await startTestApp({ worker: false });
    const slow = await createWebhook(publisher, { url: limited.receiver.url, rateLimit: 5 });
    const fast = await createWebhook(publisher, { url: unlimited.receiver.url });
    for (let i = 0; i < 15; i++) await publish(publisher, { type: 'order.created' });
    await publisher.stop();
    t = await startTestApp({ database: publisher.database });

    await settledDeliveries(t, fast.id, 15);
    const deliveries = await settledDeliveries(t, slow.id, 15, 10_000);
    expect(unlimited.arrivals).toHaveLength(15);
    expect(limited.arrivals).toHaveLength(15);
    const attempts = (await Promise.all(deliveries.map((delivery) => attemptsOf(t!, delivery.id as string)))).flat();
    expect(attempts.map((attempt) => attempt.responseStatus)).toEqual(Array(15).fill(200));
    const times = attempts.map((attempt) => Date.parse(attempt.attemptedAt as string)).sort((a, b) => a - b);
    // A bucket of 5 lets the first 5 through at once, then one every 200 ms: the other 10 take about 2 s.
    expect(times[14]! - times[0]!).toBeGreaterThanOrEqual(1_700);
    for (const time of times)
      expect(times.filter((other) => other >= time && other < time + 1_000).length).toBeLessThanOrEqual(10);
  });
});
