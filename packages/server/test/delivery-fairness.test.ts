// Fairness under trouble: many hanging endpoints leave room for healthy ones; a FIFO webhook never has two
// deliveries in flight, not even after "Redeliver", and a "Send test" does not hold its line.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, it } from 'vitest';
import { createWebhook, deliveriesOf, publish, settledDeliveries } from './support/delivery-api.js';
import { eventually } from './support/programmable-receiver.js';
import { startReceiver, type Receiver } from './support/seed-receiver.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp | undefined;
const receivers: Receiver[] = [];
afterEach(async () => {
  await t?.close();
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

async function receiver(answer: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const started = await startReceiver(answer);
  receivers.push(started);
  return started;
}

it('delivers to a healthy webhook within a second while ten others hang with full backlogs', async () => {
  const hanging = await receiver(() => new Promise(() => undefined));
  const healthy = await receiver(() => ({ status: 200 }));
  t = await startTestApp();
  for (let i = 0; i < 10; i++) await createWebhook(t, { url: `${hanging.url}/dead/${i}`, timeout: '2s', retry: { schedule: [] } });
  const good = await createWebhook(t, { url: `${healthy.url}/ok` });
  const started = Date.now();
  for (let i = 0; i < 10; i++) await publish(t, { type: 'order.created' });
  await eventually(() => expect(healthy.requests).toHaveLength(10), 5_000);
  expect(Date.now() - started).toBeLessThan(1_000);
  // A delivery is recorded just after its answer: the last one's record may land a moment after the receiver has it.
  await eventually(async () => expect((await deliveriesOf(t!, good.id)).every((delivery) => delivery.status === 'success')).toBe(true), 2_000);
});

it('keeps a FIFO webhook at one delivery in flight when an older delivery is redelivered meanwhile', async () => {
  let inFlight = 0;
  let most = 0;
  const order: string[] = [];
  const fifo = await receiver(async (request) => {
    most = Math.max(most, ++inFlight);
    order.push((JSON.parse(request.body.toString('utf8')) as { id: string }).id);
    await sleep(150);
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
  await settledDeliveries(t, webhook.id, 3);
  expect(most).toBe(1);
  expect(order.slice(0, 2)).toEqual(['first', 'second']);
  expect(order).toHaveLength(4);
});

it('does not hold a FIFO line behind a "Send test" still under way', async () => {
  const fifo = await receiver(async (request) => {
    const event = JSON.parse(request.body.toString('utf8')) as { type: string };
    if (event.type === 'webhook.test') await sleep(1_500);
    return { status: 200 };
  });
  t = await startTestApp();
  const webhook = await createWebhook(t, { url: fifo.url, ordering: 'fifo' });
  const testing = t.call('POST', `/api/v1/webhooks/${webhook.id}/test`);
  await sleep(100);
  const started = Date.now();
  await publish(t, { type: 'order.created' });
  await eventually(async () => expect((await deliveriesOf(t!, webhook.id, '&event=order.created&status=success')).length).toBe(1), 5_000);
  expect(Date.now() - started).toBeLessThan(1_000);
  expect((await testing).status).toBe(200);
});
