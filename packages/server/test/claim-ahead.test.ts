// The worker claims a step ahead of its sends. What a user must still see: a webhook never has more requests open
// than its cap, and a webhook paused while some of its deliveries waited for a slot gets none of them afterwards.
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

// 64 slots in the process: 4 for each webhook.
const CONCURRENCY = 64;
const PER_WEBHOOK = 4;

it(`keeps a webhook at ${PER_WEBHOOK} requests open, however many of its deliveries are due`, async () => {
  let open = 0;
  let most = 0;
  receiver = await startReceiver(async () => {
    most = Math.max(most, ++open);
    await sleep(100);
    open--;
    return { status: 200 };
  });
  t = await startTestApp({ engine: { concurrency: CONCURRENCY } });
  const webhook = await createWebhook(t, { url: receiver.url });
  for (let i = 0; i < 24; i++) await publish(t, { type: 'order.created', data: { i } });

  await settledDeliveries(t, webhook.id, 24);
  expect(most).toBe(PER_WEBHOOK);
  expect(receiver.requests).toHaveLength(24);
});

it('sends nothing a paused webhook had waiting for a slot, and all of it once it is active again', async () => {
  let release: (() => void) | undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let arrived = 0;
  receiver = await startReceiver(async () => {
    arrived++;
    await held;
    return { status: 200 };
  });
  t = await startTestApp({ engine: { concurrency: CONCURRENCY } });
  const webhook = await createWebhook(t, { url: receiver.url });
  for (let i = 0; i < 12; i++) await publish(t, { type: 'order.created', data: { i } });
  await eventually(() => expect(arrived).toBe(PER_WEBHOOK));

  expect((await t.call('PATCH', `/api/v1/webhooks/${webhook.id}`, { body: { active: false } })).status).toBe(200);
  // Past the longest a claimed delivery may wait, the open requests are answered and their slots free up.
  await sleep(1_200);
  release!();
  await eventually(async () => expect((await deliveriesOf(t!, webhook.id, '&status=success')).length).toBe(PER_WEBHOOK));
  await sleep(300);
  expect(arrived).toBe(PER_WEBHOOK);

  expect((await t.call('PATCH', `/api/v1/webhooks/${webhook.id}`, { body: { active: true } })).status).toBe(200);
  await settledDeliveries(t, webhook.id, 12);
  expect(arrived).toBe(12);
});
