// Redirects are not followed: a receiver answering 3xx cannot send a delivery on to another address (SSRF past the policy).
import { afterEach, expect, it } from 'vitest';
import { attemptsOf, createWebhook, publish, settledDeliveries } from './support/delivery-api.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp | undefined;
const receivers: Receiver[] = [];
afterEach(async () => {
  await t?.close();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

it.each([301, 302, 307, 308])('records a %i as a failed attempt and sends nothing to its Location', async (status) => {
  const elsewhere = await startReceiver();
  const redirecting = await startReceiver({ then: { status, headers: { location: elsewhere.url } } });
  receivers.push(elsewhere, redirecting);
  t = await startTestApp();
  const webhook = await createWebhook(t, { url: redirecting.url, retry: { schedule: [] } });
  await publish(t, { type: 'order.created', data: {} });

  const [delivery] = await settledDeliveries(t, webhook.id, 1);
  expect(delivery).toMatchObject({ status: 'failed', attempts: 1, responseStatus: status });
  const [attempt] = await attemptsOf(t, delivery.id);
  expect(attempt.responseHeaders?.location).toBe(elsewhere.url);
  expect(redirecting.requests).toHaveLength(1);
  expect(elsewhere.requests).toHaveLength(0);
});
