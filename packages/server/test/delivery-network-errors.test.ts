// Deliveries that get no answer, with real receivers on 127.0.0.1: timeouts, dropped connections, refused, DNS failures.
import { describe, expect, it } from 'vitest';
import { appsClosedAfterEach } from './support/app-per-test.js';
import { closedPort, startReceiver, type Receiver } from './support/receiver.js';
import { attemptsOf, createWebhook, deliveriesOf, publish, settledOnlyDelivery } from './support/delivery-api.js';
import type { TestApp } from './support/test-app.js';

const app = appsClosedAfterEach();

describe('errors without an answer', () => {
  // Not timed against an upper bound: beside the webhook with a 1 s timeout, one on the same receiver has the longest
  // timeout, 60 s. That the first has failed while the second is still unfinished shows the 1 s timeout was applied,
  // an order of events that a loaded machine cannot change unless it is 60 s slow; an attempt's duration under a
  // bound can be broken by mere load.
  async function timeoutPair(t: TestApp, r: Receiver): Promise<{ webhook: any; longest: any }> {
    const webhook = await createWebhook(t, { url: r.url, timeout: '1s', retry: { schedule: [] } });
    const longest = await createWebhook(t, { url: r.url, timeout: '60s', retry: { schedule: [] } });
    return { webhook, longest };
  }

  async function expectStillUnfinished(t: TestApp, webhookId: string): Promise<void> {
    const [delivery] = await deliveriesOf(t, webhookId);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 0 });
  }

  it('times out a receiver that hangs past the webhook timeout', async () => {
    const t = await app();
    const r = await startReceiver({ then: 'hang' });
    const { webhook, longest } = await timeoutPair(t, r);
    await publish(t, { type: 'order.created' });

    await r.nth(1);
    const delivery = await settledOnlyDelivery(t, webhook.id);
    await expectStillUnfinished(t, longest.id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, responseStatus: null });
    expect(delivery.lastError).toMatch(/timeout/i);
    const [attempt] = await attemptsOf(t, delivery.id);
    expect(attempt.error).toMatch(/timeout/i);
    expect(attempt.responseStatus).toBeNull();
    expect(attempt.durationMs).toBeGreaterThanOrEqual(950);
    expect(attempt.error).toContain('within 1000 ms');
    await t.stop(0); // the 60 s attempt is cut off, not waited for
  });

  it('times out a receiver that answers its headers and then never finishes the body', async () => {
    const t = await app();
    const r = await startReceiver({ then: 'hang-mid-body' });
    const { webhook, longest } = await timeoutPair(t, r);
    await publish(t, { type: 'order.created' });

    const delivery = await settledOnlyDelivery(t, webhook.id);
    await expectStillUnfinished(t, longest.id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, responseStatus: null });
    const [attempt] = await attemptsOf(t, delivery.id);
    expect(attempt.error).toMatch(/timeout/i);
    expect(attempt.durationMs).toBeGreaterThanOrEqual(950);
    expect(attempt.error).toContain('within 1000 ms');
    await t.stop(0); // the 60 s attempt is cut off, not waited for
  });

  it('reports a receiver that drops the connection as reset or closed', async () => {
    const t = await app();
    const r = await startReceiver({ then: 'destroy' });
    const webhook = await createWebhook(t, { url: r.url, retry: { schedule: [] } });
    await publish(t, { type: 'order.created' });

    const delivery = await settledOnlyDelivery(t, webhook.id);
    expect(delivery).toMatchObject({ status: 'failed', responseStatus: null });
    expect(delivery.lastError).toMatch(/reset|closed/i);
    expect(r.requests.length).toBeGreaterThanOrEqual(1);
  });

  it('reports connection refused when nothing listens', async () => {
    const t = await app();
    const port = await closedPort();
    const webhook = await createWebhook(t, { url: `http://127.0.0.1:${port}/hook`, retry: { schedule: [] } });
    await publish(t, { type: 'order.created' });

    const delivery = await settledOnlyDelivery(t, webhook.id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, responseStatus: null });
    expect(delivery.lastError).toMatch(/connection refused/i);
  });

  it('reports a DNS failure for a name that does not resolve', async () => {
    const t = await app({ engine: { allowHttp: true } });
    const webhook = await createWebhook(t, { url: 'http://nonexistent.invalid/hook', retry: { schedule: [] } });
    await publish(t, { type: 'order.created' });

    const delivery = await settledOnlyDelivery(t, webhook.id, 15_000);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, responseStatus: null });
    expect(delivery.lastError).toMatch(/DNS/);
    expect(delivery.lastError).toContain('nonexistent.invalid');
  });
});
