// `ordering: "fifo"` delivers one at a time in publish order, a retry holding back the rest; `rateLimit` caps deliveries a second.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhook, publish, settledDeliveries } from './support/delivery-api.js';
import { startReceiver, type RawAnswer, type RawRequest, type Receiver } from './support/seed-receiver.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp | undefined;
const receivers: Receiver[] = [];
afterEach(async () => {
  await t?.close();
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

/** A receiver that notes each arrival (event id, time) and how many requests it held at once. */
async function observingReceiver(answer: (request: RawRequest) => RawAnswer = () => ({ status: 200 }), answerAfterMs = 0) {
  const arrivals: { id: string; at: number }[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const receiver = await startReceiver(async (request) => {
    arrivals.push({ id: (JSON.parse(request.body.toString('utf8')) as { id: string }).id, at: Date.now() });
    mostInFlight = Math.max(mostInFlight, ++inFlight);
    if (answerAfterMs > 0) await sleep(answerAfterMs);
    inFlight--;
    return answer(request);
  });
  receivers.push(receiver);
  return { receiver, arrivals, mostInFlight: () => mostInFlight };
}

describe('ordering: "fifo"', () => {
  it('delivers in publish order, one at a time, and a failing head holds the rest back until its retry succeeds', async () => {
    const fifo = await observingReceiver((request) => ({ status: request.index === 0 ? 500 : 200 }), 30);
    t = await startTestApp();
    const webhook = await createWebhook(t, { url: fifo.receiver.url, ordering: 'fifo', retry: { schedule: ['150ms'] } });
    const ids = Array.from({ length: 6 }, (_, i) => `fifo-${i}`);
    for (const id of ids) await publish(t, { id, type: 'order.created' });

    await settledDeliveries(t, webhook.id, ids.length);
    expect(fifo.arrivals.map((arrival) => arrival.id)).toEqual([ids[0], ...ids]);
    expect(fifo.mostInFlight()).toBe(1);
  });

  it('sends concurrently without fifo (so the test above can tell the difference)', async () => {
    const plain = await observingReceiver(undefined, 30);
    t = await startTestApp();
    const webhook = await createWebhook(t, { url: plain.receiver.url });
    await Promise.all(Array.from({ length: 6 }, (_, i) => publish(t!, { id: `plain-${i}`, type: 'order.created' })));
    await settledDeliveries(t, webhook.id, 6);
    expect(plain.mostInFlight()).toBeGreaterThan(1);
  });
});

describe('rateLimit', () => {
  it('spaces deliveries to a limited webhook to its rate, while an unlimited one gets everything at once', async () => {
    const limited = await observingReceiver();
    const unlimited = await observingReceiver();
    t = await startTestApp();
    const slow = await createWebhook(t, { url: limited.receiver.url, rateLimit: 5 });
    const fast = await createWebhook(t, { url: unlimited.receiver.url });
    for (let i = 0; i < 15; i++) await publish(t, { type: 'order.created' });

    await settledDeliveries(t, fast.id, 15);
    await settledDeliveries(t, slow.id, 15, 10_000);
    const times = limited.arrivals.map((arrival) => arrival.at);
    // A bucket of 5 lets the first 5 through at once, then one every 200 ms: the other 10 take about 2 s.
    expect(times[14]! - times[0]!).toBeGreaterThanOrEqual(1_700);
    for (const time of times) expect(times.filter((other) => other >= time && other < time + 1_000).length).toBeLessThanOrEqual(10);
    const unlimitedTimes = unlimited.arrivals.map((arrival) => arrival.at);
    expect(unlimitedTimes[14]! - unlimitedTimes[0]!).toBeLessThan(1_000);
  });
});
