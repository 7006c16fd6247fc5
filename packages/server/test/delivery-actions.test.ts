// Actions on deliveries and webhooks through the API: retry, redeliver, test, verify on create, pause with active:false.
import { describe, expect, it } from 'vitest';
import { appForEachTest } from './support/app-per-test.js';
import { attemptsOf, createWebhook, deliveriesOf, publish, settledDeliveries } from './support/delivery-api.js';
import { eventually } from './support/eventually.js';
import { startReceiver } from './support/receiver.js';
import { expectError, type TestApp } from './support/test-app.js';

let t: TestApp;
appForEachTest((app) => (t = app));

describe('POST /webhooks/deliveries/:id/retry', () => {
  it('redelivers a successful delivery: the receiver gets the same event again and the log shows 2 attempts', async () => {
    const r = await startReceiver();
    const webhook = await createWebhook(t, { url: r.url });
    const event = await publish(t, { type: 'order.created', data: { n: 7 } });
    const [delivery] = await settledDeliveries(t, webhook.id, 1);
    expect(delivery.status).toBe('success');

    const retried = await t.call('POST', `/api/v1/webhooks/deliveries/${delivery.id}/retry`);
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ id: delivery.id, eventId: event.id });

    const again = await r.nth(2);
    expect(again.json).toMatchObject({ id: event.id, type: 'order.created', data: { n: 7 } });
    const after = await eventually(async () => {
      const read = (await t.call('GET', `/api/v1/deliveries/${delivery.id}`)).body;
      expect(read).toMatchObject({ status: 'success', attempts: 2 });
      return read;
    });
    expect(after.id).toBe(delivery.id);
    expect(await attemptsOf(t, delivery.id)).toHaveLength(2);
    expect(await deliveriesOf(t, webhook.id)).toHaveLength(1);
  });

  it('answers 404 for an unknown delivery', async () => {
    expectError(await t.call('POST', '/api/v1/webhooks/deliveries/dlv_01JZ0000000000000000000000/retry'), 404);
  });
});

describe('POST /webhooks/:id/redeliver', () => {
  it('redelivers the failed deliveries only, and with since only those created since then', async () => {
    const r = await startReceiver({ then: { status: 500 } });
    const webhook = await createWebhook(t, { url: r.url, retry: { schedule: [] } });
    const first = await publish(t, { type: 'order.created', data: { n: 1 } });
    await settledDeliveries(t, webhook.id, 1);
    const second = await publish(t, { type: 'order.created', data: { n: 2 } });
    const [secondDelivery, firstDelivery] = await settledDeliveries(t, webhook.id, 2);
    expect([firstDelivery.status, secondDelivery.status]).toEqual(['failed', 'failed']);
    expect(Date.parse(secondDelivery.timestamp)).toBeGreaterThan(Date.parse(firstDelivery.timestamp));

    r.program({ then: { status: 200 } });
    const third = await publish(t, { type: 'order.created', data: { n: 3 } });
    expect((await settledDeliveries(t, webhook.id, 3))[0]).toMatchObject({ eventId: third.id, status: 'success' });
    expect(r.requests).toHaveLength(3);

    const sinceSecond = await t.call('POST', `/api/v1/webhooks/${webhook.id}/redeliver`, {
      body: { since: secondDelivery.timestamp },
    });
    expect(sinceSecond.status).toBe(202);
    expect(sinceSecond.body).toEqual({ redelivered: 1 });
    expect((await r.nth(4)).json.id).toBe(second.id);
    await eventually(async () =>
      expect((await t.call('GET', `/api/v1/deliveries/${secondDelivery.id}`)).body).toMatchObject({
        status: 'success',
        attempts: 2,
      }),
    );
    expect((await t.call('GET', `/api/v1/deliveries/${firstDelivery.id}`)).body).toMatchObject({
      status: 'failed',
      attempts: 1,
    });

    const all = await t.call('POST', `/api/v1/webhooks/${webhook.id}/redeliver`, { body: {} });
    expect(all.body).toEqual({ redelivered: 1 });
    expect((await r.nth(5)).json.id).toBe(first.id);
    const settled = await settledDeliveries(t, webhook.id, 3);
    expect(settled.map((d) => [d.status, d.attempts])).toEqual([
      ['success', 1],
      ['success', 2],
      ['success', 2],
    ]);
    expect(r.requests.map((q) => q.json.data.n)).toEqual([1, 2, 3, 2, 1]);

    expect((await t.call('POST', `/api/v1/webhooks/${webhook.id}/redeliver`, { body: {} })).body).toEqual({
      redelivered: 0,
    });
  });
});

describe('POST /webhooks/:id/test', () => {
  it('sends a webhook.test event to this webhook alone and answers with the delivery and its first attempt', async () => {
    const r = await startReceiver({ then: { status: 200, body: 'got it' } });
    const other = await startReceiver();
    const webhook = await createWebhook(t, { url: r.url });
    const bystander = await createWebhook(t, { url: other.url });

    const tested = await t.call('POST', `/api/v1/webhooks/${webhook.id}/test`);
    expect(tested.status).toBe(200);
    expect(tested.body.delivery).toMatchObject({
      webhookId: webhook.id,
      event: 'webhook.test',
      status: 'success',
      attempts: 1,
      responseStatus: 200,
    });
    expect(tested.body.attempt).toMatchObject({ responseStatus: 200, responseBody: 'got it', error: null });
    expect(tested.body.attempt.requestHeaders['X-Webhook-Event']).toBe('webhook.test');

    expect(r.requests).toHaveLength(1);
    expect(r.requests[0]!.json).toMatchObject({
      type: 'webhook.test',
      event: 'webhook.test',
      webhookId: webhook.id,
      id: tested.body.delivery.eventId,
    });
    expect((await deliveriesOf(t, webhook.id)).map((d) => d.id)).toEqual([tested.body.delivery.id]);
    expect(await deliveriesOf(t, bystander.id)).toEqual([]);
  });

  it('answers with the failed attempt when the receiver answers 500: one attempt, no retries, the webhook still healthy', async () => {
    const r = await startReceiver({ then: { status: 500, body: 'boom' } });
    const webhook = await createWebhook(t, { url: r.url, retry: { schedule: ['100ms'] } });
    const tested = await t.call('POST', `/api/v1/webhooks/${webhook.id}/test`);
    expect(tested.status).toBe(200);
    expect(tested.body.delivery).toMatchObject({
      event: 'webhook.test',
      status: 'failed',
      attempts: 1,
      responseStatus: 500,
      nextAttemptAt: null,
    });
    expect(tested.body.attempt).toMatchObject({
      responseStatus: 500,
      responseBody: 'boom',
      error: expect.stringContaining('500'),
    });
    expect((await t.call('GET', `/api/v1/webhooks/${webhook.id}`)).body.status).toBe('healthy');
  });

  it('sends to a paused webhook too, while its published events keep waiting', async () => {
    const r = await startReceiver();
    const webhook = await createWebhook(t, { url: r.url, active: false });
    const queued = await publish(t, { type: 'order.created' });
    const tested = await t.call('POST', `/api/v1/webhooks/${webhook.id}/test`);
    expect(tested.status).toBe(200);
    expect(tested.body.delivery).toMatchObject({ event: 'webhook.test', status: 'success', attempts: 1 });
    expect(r.requests.map((request) => request.json.type)).toEqual(['webhook.test']);
    expect((await deliveriesOf(t, webhook.id, `&event=order.created`)).map((d) => [d.eventId, d.status])).toEqual([
      [queued.id, 'pending'],
    ]);
  });
});

describe('verify on create', () => {
  it('refuses an endpoint answering 500 with 422 and the reason, and creates nothing', async () => {
    const r = await startReceiver({ then: { status: 500 } });
    const error = expectError(await t.call('POST', '/api/v1/webhooks', { body: { url: r.url, verify: true } }), 422);
    expect(error.message).toContain('500');
    expect(error.details?.[0]).toMatchObject({ field: 'url', message: expect.stringContaining('500') });
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0]!.json.type).toBe('webhook.test');
    expect((await t.call('GET', '/api/v1/webhooks')).body.data).toEqual([]);
  });

  it('accepts an endpoint answering 200', async () => {
    const r = await startReceiver({ then: { status: 200 } });
    const created = await t.call('POST', '/api/v1/webhooks', { body: { url: r.url, verify: true } });
    expect(created.status).toBe(201);
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0]!.json.type).toBe('webhook.test');
    expect((await t.call('GET', `/api/v1/webhooks/${created.body.id}`)).status).toBe(200);
  });
});

describe('pausing with active:false', () => {
  it('keeps events published while paused and delivers them after PATCH active:true', async () => {
    const paused = await startReceiver();
    const live = await startReceiver();
    const webhook = await createWebhook(t, { url: paused.url, active: false });
    const witness = await createWebhook(t, { url: live.url });
    const event = await publish(t, { type: 'order.created' });
    expect(event.deliveries).toBe(2);

    await live.nth(1);
    await settledDeliveries(t, witness.id, 1);
    const [waiting] = await deliveriesOf(t, webhook.id);
    expect(waiting).toMatchObject({ eventId: event.id, status: 'pending', attempts: 0 });
    expect(paused.requests).toHaveLength(0);

    const resumed = await t.call('PATCH', `/api/v1/webhooks/${webhook.id}`, { body: { active: true } });
    expect(resumed.status).toBe(200);
    expect((await paused.nth(1, 5_000)).json.id).toBe(event.id);
    expect((await settledDeliveries(t, webhook.id, 1))[0]).toMatchObject({ status: 'success', attempts: 1 });
  });
});
