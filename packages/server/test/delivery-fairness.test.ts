// Fairness under trouble: many hanging endpoints leave room for healthy ones; a FIFO webhook never has two
// deliveries in flight, not even after "Redeliver", and a "Send test" does not hold its line. Each test holds its
// receivers' answers until the events it is about have happened, and asserts their order, never how long they took.
import { afterEach, expect, it } from 'vitest';
import { defaultWebhookConcurrency } from '../src/delivery/webhook-concurrency.js';
import { createWebhook, deliveriesOf, publish, settledDeliveries } from './support/delivery-api.js';
import { eventually } from './support/eventually.js';
import { closeAllReceivers, startReceiver } from './support/receiver.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  await closeAllReceivers();
});

// Each webhook holds the floor of the process's 64 slots, 4 (a sixteenth): ten hanging webhooks hold 40 of them.
const HANGING_WEBHOOKS = 10;
const FLOOR = defaultWebhookConcurrency(64).floor;

// Not timed: the hanging receiver's timeout is the longest allowed, 60 s, so no hanging attempt ends while the test
// runs, and the healthy webhook can only get its deliveries through slots that hanging ones never had. With isolation
// broken (a webhook may take every slot), the hanging webhooks fill the slots and the healthy deliveries wait for
// those 60 s timeouts, past this test's waits. What is asserted is an order of events: every healthy delivery
// succeeded while every hanging delivery was still unfinished; a loaded machine cannot reorder that unless 60 s slow.
it('delivers to a healthy webhook while ten others hang with full backlogs, before any hanging attempt ends', async () => {
  let hangingArrived = 0;
  const hanging = await startReceiver(() => {
    hangingArrived++;
    return new Promise(() => undefined);
  });
  const healthy = await startReceiver(() => ({ status: 200 }));
  t = await startTestApp({ engine: { concurrency: 64 } });
  const dead: string[] = [];
  for (let i = 0; i < HANGING_WEBHOOKS; i++)
    dead.push(
      (await createWebhook(t, { url: `${hanging.origin}/dead/${i}`, timeout: '60s', retry: { schedule: [] } })).id,
    );
  const good = await createWebhook(t, { url: `${healthy.origin}/ok` });
  for (let i = 0; i < 10; i++) await publish(t, { type: 'order.created' });

  // Waits up to 30 s (half the hang timeout) for what takes a few seconds on a loaded machine.
  await eventually(async () => expect((await deliveriesOf(t!, good.id, '&status=success')).length).toBe(10), 30_000);
  expect(healthy.requests).toHaveLength(10);
  // Meanwhile every hanging webhook holds its floor of requests open, with the rest of its backlog waiting.
  await eventually(() => expect(hangingArrived).toBe(HANGING_WEBHOOKS * FLOOR));
  for (const id of dead) {
    const backlog = await deliveriesOf(t, id);
    expect(backlog).toHaveLength(10);
    expect(backlog.every((delivery) => delivery.status === 'pending' && delivery.attempts === 0)).toBe(true);
  }
  await t.stop(0); // the hanging attempts are cut off, not waited for
}, 45_000);

// The receiver holds "second" until "first" has been redelivered, so the redelivery surely meets it in flight.
it('keeps a FIFO webhook at one delivery in flight when an older delivery is redelivered meanwhile', async () => {
  let inFlight = 0;
  let most = 0;
  const order: string[] = [];
  let releaseSecond: (() => void) | undefined;
  const secondHeld = new Promise<void>((resolve) => (releaseSecond = resolve));
  const fifo = await startReceiver(async (request) => {
    most = Math.max(most, ++inFlight);
    const id = (request.json as { id: string }).id;
    order.push(id);
    if (id === 'second') await secondHeld;
    inFlight--;
    return { status: 200 };
  });
  t = await startTestApp();
  const webhook = await createWebhook(t, { url: fifo.url, ordering: 'fifo' });
  await publish(t, { id: 'first', type: 'order.created' });
  const [first] = await settledDeliveries(t, webhook.id, 1);
  await publish(t, { id: 'second', type: 'order.created' });
  await publish(t, { id: 'third', type: 'order.created' });
  await eventually(() => expect(order).toContain('second'), 5_000);
  // "second" is in flight: redelivering "first" makes it the oldest pending delivery, but it must wait its turn.
  expect((await t.call('POST', `/api/v1/webhooks/deliveries/${first.id}/retry`)).status).toBe(202);
  releaseSecond!();
  await settledDeliveries(t, webhook.id, 3);
  expect(most).toBe(1);
  expect(order.slice(0, 2)).toEqual(['first', 'second']);
  expect(order).toHaveLength(4);
});

// Not timed: the receiver holds the "Send test" until the test lets it go, so the event delivery is shown to go out,
// and succeed, while the test is under way, which is the order of events that matters.
it('does not hold a FIFO line behind a "Send test" still under way', async () => {
  let releaseTest: (() => void) | undefined;
  const testHeld = new Promise<void>((resolve) => (releaseTest = resolve));
  let testArrived: (() => void) | undefined;
  const testArrival = new Promise<void>((resolve) => (testArrived = resolve));
  const fifo = await startReceiver(async (request) => {
    const event = request.json as { type: string };
    if (event.type === 'webhook.test') {
      testArrived!();
      await testHeld;
    }
    return { status: 200 };
  });
  t = await startTestApp();
  const webhook = await createWebhook(t, { url: fifo.url, ordering: 'fifo' });
  let testAnswered = false;
  const testing = t.call('POST', `/api/v1/webhooks/${webhook.id}/test`).finally(() => (testAnswered = true));
  await testArrival;
  await publish(t, { type: 'order.created' });
  await eventually(
    async () => expect((await deliveriesOf(t!, webhook.id, '&event=order.created&status=success')).length).toBe(1),
    10_000,
  );
  expect(testAnswered).toBe(false);
  releaseTest!();
  expect((await testing).status).toBe(200);
});
