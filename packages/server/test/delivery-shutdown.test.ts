// Shutdown with an attempt still under way: it is cut off after the grace period and its delivery goes back to the
// queue untried, as a user sees in the log after the restart: no attempt, pending, due at once, delivered then.
import { afterEach, expect, it } from 'vitest';
import { attemptsOf, createWebhook, deliveriesOf, publish, settledDeliveries } from './support/delivery-api.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const apps: TestApp[] = [];
let receiver: Receiver | undefined;
afterEach(async () => {
  // Newest first: the app started on the first one's database closes before that database is removed.
  for (const app of apps.splice(0).reverse()) await app.close();
  await receiver?.close();
});

it('hands an attempt cut off by shutdown back untried, and delivers it after the restart', async () => {
  receiver = await startReceiver({ replies: ['hang'] });
  const first = await startTestApp();
  apps.push(first);
  const webhook = await createWebhook(first, { url: receiver.url, timeout: '30s' });
  await publish(first, { type: 'order.created' });
  await receiver.nth(1);
  const stoppedAt = Date.now();
  await first.stop(0);

  const second = await startTestApp({ database: first.database, worker: false });
  apps.push(second);
  const [delivery] = await deliveriesOf(second, webhook.id);
  expect(delivery).toMatchObject({ status: 'pending', attempts: 0 });
  expect(Date.parse(delivery.nextAttemptAt)).toBeLessThanOrEqual(Date.now());
  expect(Date.parse(delivery.nextAttemptAt)).toBeGreaterThanOrEqual(stoppedAt - 1_000);
  expect(await attemptsOf(second, delivery.id)).toEqual([]);
  await second.stop();

  const third = await startTestApp({ database: first.database });
  apps.push(third);
  const [done] = await settledDeliveries(third, webhook.id, 1);
  expect(done).toMatchObject({ status: 'success', attempts: 1 });
  expect(receiver.requests).toHaveLength(2);
});
