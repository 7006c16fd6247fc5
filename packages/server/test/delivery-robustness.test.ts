// The delivery engine under trouble: a database locked for longer than its busy timeout, and "Redeliver" pressed
// while an attempt is still under way.
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { createWebhook, deliveriesOf, publish, settledDeliveries } from './support/delivery-api.js';
import { eventually } from './support/eventually.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { expectError, startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await t?.close();
  await receiver?.close();
});

it(
  'answers 503 while the database is locked past its busy timeout, and keeps delivering after',
  { timeout: 30_000 },
  async () => {
    receiver = await startReceiver();
    t = await startTestApp();
    const webhook = await createWebhook(t, { url: receiver.url });
    // Another connection holds the write lock: claims fail with SQLITE_BUSY after the 5 s busy timeout.
    const other = new Database(t.database);
    other.exec('BEGIN EXCLUSIVE');
    // Not a fixed 6 s sleep: the publish cannot settle before the busy timeout has run out under the lock, so its
    // answer is the event that shows the lock outlasted the busy timeout. The same call may work shortly: a 503 with
    // Retry-After, as `hookd serve` answers, not a 500.
    const refused = await t.call('POST', '/api/v1/events', { body: { type: 'order.created', data: {} } });
    expect(expectError(refused, 503).code).toBe('HOOKD_ERR_UNAVAILABLE');
    expect(refused.headers['retry-after']).toBe('1');
    other.exec('COMMIT');
    other.close();
    // The worker logged the failed claims and went on; a publish after the lock is delivered as usual.
    await publish(t, { type: 'order.created' });
    await eventually(
      async () => expect((await deliveriesOf(t!, webhook.id, '&status=success')).length).toBeGreaterThanOrEqual(1),
      10_000,
    );
  },
);

it('answers 409 to "Redeliver" while an attempt is under way, and redelivers once it has ended', async () => {
  receiver = await startReceiver({ replies: ['hang'] });
  t = await startTestApp();
  const webhook = await createWebhook(t, { url: receiver.url, timeout: '1s', retry: { schedule: [] } });
  await publish(t, { type: 'order.created' });
  await receiver.nth(1);
  const [delivery] = await deliveriesOf(t, webhook.id);
  const refused = await t.call('POST', `/api/v1/webhooks/deliveries/${delivery.id}/retry`);
  expect(expectError(refused, 409).code).toBe('HOOKD_ERR_CONFLICT');
  // The hanging attempt times out and fails for good; now the redelivery goes through.
  await settledDeliveries(t, webhook.id, 1);
  const retried = await t.call('POST', `/api/v1/webhooks/deliveries/${delivery.id}/retry`);
  expect(retried.status).toBe(202);
  await receiver.nth(2);
  const [done] = await settledDeliveries(t, webhook.id, 1);
  expect(done).toMatchObject({ status: 'success', attempts: 2 });
  expect(receiver.requests).toHaveLength(2);
});
