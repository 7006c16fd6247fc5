// Delivery retries through the API with real receivers on 127.0.0.1: the schedule, dead letters, 410, 4xx, Retry-After.
import { describe, expect, it } from 'vitest';
import { appsClosedAfterEach } from './support/app-per-test.js';
import { eventually } from './support/eventually.js';
import { startReceiver } from './support/receiver.js';
import {
  attemptsOf,
  createWebhook,
  deliveriesOf,
  publish,
  settledDeliveries,
  settledOnlyDelivery,
  webhookStatus,
} from './support/delivery-api.js';

const app = appsClosedAfterEach();

describe('retries', () => {
  it('retries a receiver that fails twice and succeeds on the third attempt, logging every attempt', async () => {
    const t = await app();
    const big = 'x'.repeat(10 * 1024);
    const r = await startReceiver({
      replies: [
        { status: 500, body: big },
        { status: 500, body: 'still broken' },
        { status: 200, headers: { 'x-receiver': 'yes' }, body: 'thanks' },
      ],
    });
    const webhook = await createWebhook(t, { url: r.url, retry: { schedule: ['100ms', '200ms'] } });
    const event = await publish(t, { type: 'order.created', data: { n: 1 } });

    await r.nth(3);
    const delivery = await settledOnlyDelivery(t, webhook.id);
    expect(delivery).toMatchObject({
      status: 'success',
      attempts: 3,
      responseStatus: 200,
      event: 'order.created',
      nextAttemptAt: null,
    });
    expect(r.requests).toHaveLength(3);

    // The same bytes every attempt; retries wait their schedule step.
    expect(r.requests[0]!.json).toMatchObject({ id: event.id, type: 'order.created', data: { n: 1 } });
    expect(r.requests[1]!.body).toBe(r.requests[0]!.body);
    expect(r.requests[2]!.body).toBe(r.requests[0]!.body);
    expect(r.requests[1]!.receivedAt - r.requests[0]!.receivedAt).toBeGreaterThanOrEqual(95);
    expect(r.requests[2]!.receivedAt - r.requests[1]!.receivedAt).toBeGreaterThanOrEqual(195);

    const attempts = await attemptsOf(t, delivery.id);
    expect(attempts.map((a) => a.responseStatus)).toEqual([500, 500, 200]);
    for (const attempt of attempts) {
      expect(attempt.requestHeaders).toMatchObject({
        'Content-Type': 'application/json',
        'X-Webhook-Event': 'order.created',
        'X-Webhook-Event-Id': event.id,
      });
      expect(attempt.requestHeaders['webhook-signature']).toMatch(/^v1,/);
      expect(typeof attempt.durationMs).toBe('number');
      expect(attempt.durationMs).toBeGreaterThanOrEqual(0);
      expect(attempt.responseHeaders).toMatchObject({ 'content-type': 'text/plain' });
      expect(Date.parse(attempt.attemptedAt)).not.toBeNaN();
    }
    expect(attempts[0].responseBody).toBe(big.slice(0, 4096));
    expect(attempts[1].responseBody).toBe('still broken');
    expect(attempts[2].responseBody).toBe('thanks');
    expect(attempts[2].responseHeaders['x-receiver']).toBe('yes');
    expect(attempts[0].error).toContain('500');
    expect(attempts[2].error).toBeNull();
  });

  it('fails a delivery after 1 + schedule.length attempts, marks the webhook failing, and healthy again at the next success', async () => {
    const t = await app();
    const r = await startReceiver({ then: { status: 503, body: 'down' } });
    const webhook = await createWebhook(t, { url: r.url, retry: { schedule: ['100ms', '100ms'] } });
    await publish(t, { type: 'order.created' });

    await r.nth(3);
    const failed = await settledOnlyDelivery(t, webhook.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, responseStatus: 503, nextAttemptAt: null });
    expect(failed.lastError).toContain('503');
    expect(await webhookStatus(t, webhook.id)).toBe('failing');
    expect((await t.call('GET', `/api/v1/deliveries/${failed.id}`)).body).toMatchObject({
      id: failed.id,
      status: 'failed',
      attempts: 3,
    });

    r.program({ then: { status: 200 } });
    const second = await publish(t, { type: 'order.created' });
    const arrived = await r.nth(4);
    expect(arrived.json.id).toBe(second.id);
    await eventually(async () => expect(await webhookStatus(t, webhook.id)).toBe('healthy'));
    const deliveries = await deliveriesOf(t, webhook.id);
    expect(deliveries.map((d) => d.status)).toEqual(['success', 'failed']);
    expect(deliveries[1].attempts).toBe(3);
    expect(r.requests).toHaveLength(4);
  });

  it('ends at once on 410 Gone, disables the webhook, and makes no deliveries to it for new events', async () => {
    const t = await app();
    const gone = await startReceiver({ then: { status: 410, body: 'gone' } });
    const other = await startReceiver();
    const webhook = await createWebhook(t, { url: gone.url, retry: { schedule: ['100ms', '100ms'] } });
    const witness = await createWebhook(t, { url: other.url });
    await publish(t, { type: 'order.created' });

    const delivery = await settledOnlyDelivery(t, webhook.id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, responseStatus: 410 });
    expect(delivery.lastError).toContain('410');
    expect(await webhookStatus(t, webhook.id)).toBe('disabled');

    const later = await publish(t, { type: 'order.updated' });
    expect(later.deliveries).toBe(1);
    expect((await other.nth(2)).json.id).toBe(later.id);
    await settledDeliveries(t, witness.id, 2);
    expect(gone.requests).toHaveLength(1);
    expect(await deliveriesOf(t, webhook.id)).toHaveLength(1);
  });

  it('with retryOn4xx false ends a 400 after one attempt', async () => {
    const t = await app();
    const r = await startReceiver({ then: { status: 400, body: 'bad' } });
    const webhook = await createWebhook(t, { url: r.url, retry: { schedule: ['100ms', '100ms'], retryOn4xx: false } });
    await publish(t, { type: 'order.created' });

    const delivery = await settledOnlyDelivery(t, webhook.id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, responseStatus: 400 });
    expect(delivery.lastError).toContain('400');
    expect(r.requests).toHaveLength(1);
    expect(await attemptsOf(t, delivery.id)).toHaveLength(1);
  });

  it('with retryOn4xx false still retries a 429', async () => {
    const t = await app();
    const r = await startReceiver({ replies: [{ status: 429 }], then: { status: 200 } });
    const webhook = await createWebhook(t, { url: r.url, retry: { schedule: ['100ms'], retryOn4xx: false } });
    await publish(t, { type: 'order.created' });

    await r.nth(2);
    const delivery = await settledOnlyDelivery(t, webhook.id);
    expect(delivery).toMatchObject({ status: 'success', attempts: 2 });
    expect((await attemptsOf(t, delivery.id)).map((a) => a.responseStatus)).toEqual([429, 200]);
  });

  it('waits for Retry-After on a 429 even when the schedule says 100ms', async () => {
    const t = await app();
    const r = await startReceiver({
      replies: [{ status: 429, headers: { 'Retry-After': '1' } }],
      then: { status: 200 },
    });
    const webhook = await createWebhook(t, { url: r.url, retry: { schedule: ['100ms'] } });
    await publish(t, { type: 'order.created' });

    const first = await r.nth(1);
    const pending = await eventually(async () => {
      const [delivery] = await deliveriesOf(t, webhook.id);
      expect(delivery.attempts).toBe(1);
      expect(delivery.nextAttemptAt).not.toBeNull();
      return delivery;
    });
    expect(Date.parse(pending.nextAttemptAt) - first.receivedAt).toBeGreaterThanOrEqual(950);
    const second = await r.nth(2, 5_000);
    expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(950);
    expect((await settledOnlyDelivery(t, webhook.id)).status).toBe('success');
  });
});
