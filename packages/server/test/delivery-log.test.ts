// The delivery log and its actions through the API (log fields, filters, paging, retry, redeliver, test, verify, pause), and publishing rules.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attemptsOf, createWebhook, deliveriesOf, publish, settledDeliveries } from './support/delivery-api.js';
import { eventually } from './support/eventually.js';
import { closeAllReceivers, startReceiver } from './support/receiver.js';
import { expectError, startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => {
  await closeAllReceivers();
  await t.close();
});

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('GET /webhooks/:id/deliveries', () => {
  it('lists deliveries newest first with the log fields, filters by status and event, and pages with a cursor', async () => {
    const r = await startReceiver({
      then: (request) => (request.json?.type === 'order.cancelled' ? { status: 500, body: 'nope' } : { status: 200 }),
    });
    const webhook = await createWebhook(t, { url: r.url, retry: { schedule: [] } });
    const published: any[] = [];
    for (const type of ['order.created', 'order.cancelled', 'order.created', 'order.cancelled', 'order.created'])
      published.push(await publish(t, { type }));

    const deliveries = await settledDeliveries(t, webhook.id, 5);
    expect(deliveries.map((d) => d.eventId)).toEqual(published.map((p) => p.id).reverse());
    for (const delivery of deliveries) {
      expect(delivery).toMatchObject({
        id: expect.stringMatching(/^dlv_/),
        webhookId: webhook.id,
        timestamp: expect.stringMatching(ISO),
        attempts: 1,
        nextAttemptAt: null,
      });
      expect(typeof delivery.responseTime).toBe('number');
      if (delivery.event === 'order.created')
        expect(delivery).toMatchObject({ status: 'success', responseStatus: 200, lastError: null });
      else
        expect(delivery).toMatchObject({
          event: 'order.cancelled',
          status: 'failed',
          responseStatus: 500,
          lastError: expect.stringContaining('500'),
        });
    }

    const failed = await deliveriesOf(t, webhook.id, '&status=failed');
    expect(failed.map((d) => d.eventId)).toEqual([published[3].id, published[1].id]);
    expect((await deliveriesOf(t, webhook.id, '&status=success')).map((d) => d.event)).toEqual([
      'order.created',
      'order.created',
      'order.created',
    ]);
    expect(await deliveriesOf(t, webhook.id, '&status=pending')).toEqual([]);
    expect((await deliveriesOf(t, webhook.id, '&event=order.cancelled')).map((d) => d.status)).toEqual([
      'failed',
      'failed',
    ]);
    expect(await deliveriesOf(t, webhook.id, '&event=order.created&status=failed')).toEqual([]);
    expect(await deliveriesOf(t, webhook.id, '&event=order')).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = null;
    const pageSizes: number[] = [];
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const page = await t.call('GET', `/api/v1/webhooks/${webhook.id}/deliveries?limit=2${query}`);
      expect(page.status).toBe(200);
      pageSizes.push(page.body.data.length);
      seen.push(...page.body.data.map((d: any) => d.id));
      cursor = page.body.nextCursor;
    } while (cursor !== null && pageSizes.length < 10);
    expect(pageSizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(deliveries.map((d) => d.id));

    const cancelledPage = await t.call(
      'GET',
      `/api/v1/webhooks/${webhook.id}/deliveries?limit=1&event=order.cancelled`,
    );
    expect(cancelledPage.body.data.map((d: any) => d.eventId)).toEqual([published[3].id]);
    const next = await t.call(
      'GET',
      `/api/v1/webhooks/${webhook.id}/deliveries?limit=1&event=order.cancelled&cursor=${cancelledPage.body.nextCursor}`,
    );
    expect(next.body.data.map((d: any) => d.eventId)).toEqual([published[1].id]);
  });

  it('shows when a waiting retry is due', async () => {
    const r = await startReceiver({ then: { status: 500 } });
    const webhook = await createWebhook(t, { url: r.url, retry: { schedule: ['1h'] } });
    await publish(t, { type: 'order.created' });
    await r.nth(1);
    const delivery = await eventually(async () => {
      const [d] = await deliveriesOf(t, webhook.id);
      expect(d.attempts).toBe(1);
      return d;
    });
    expect(delivery).toMatchObject({
      status: 'pending',
      responseStatus: 500,
      lastError: expect.stringContaining('500'),
    });
    expect(delivery.nextAttemptAt).toMatch(ISO);
    // An hour after the failed attempt, by hookd's own clock (not this test's, which a loaded machine delays).
    const [attempt] = await attemptsOf(t, delivery.id);
    const afterAttempt = Date.parse(delivery.nextAttemptAt) - Date.parse(attempt.attemptedAt);
    expect(afterAttempt).toBeGreaterThanOrEqual(60 * 60_000);
    expect(afterAttempt).toBeLessThan(61 * 60_000);
    expect((await t.call('GET', `/api/v1/webhooks/${webhook.id}/deliveries?status=pending`)).body.data).toHaveLength(1);
  });

  it('answers 404 for an unknown webhook', async () => {
    expect(
      expectError(await t.call('GET', '/api/v1/webhooks/wh_01JZ0000000000000000000000/deliveries'), 404).code,
    ).toMatch(/NOT_FOUND/);
  });
});

describe('GET /deliveries/:id', () => {
  it("reads one delivery, and answers 404 to another workspace's key", async () => {
    const r = await startReceiver();
    const webhook = await createWebhook(t, { url: r.url });
    const event = await publish(t, { type: 'order.created' });
    const [listed] = await settledDeliveries(t, webhook.id, 1);

    const read = await t.call('GET', `/api/v1/deliveries/${listed.id}`);
    expect(read.status).toBe(200);
    // The one read also carries the body its attempts POSTed (delivery-detail.api.test.ts); a list leaves it out.
    expect(read.body).toEqual({ ...listed, body: expect.stringContaining(`"id":"${event.id}"`) });
    expect(read.body).toMatchObject({
      eventId: event.id,
      event: 'order.created',
      status: 'success',
      responseStatus: 200,
      attempts: 1,
    });

    const workspace = await t.call('POST', '/api/v1/workspaces', { body: { name: 'tenant-b' } });
    expect(workspace.status).toBe(201);
    const issued = await t.call('POST', `/api/v1/workspaces/${workspace.body.id}/keys`, { body: { name: 'b-app' } });
    expect(issued.status).toBe(201);
    const keyB: string = issued.body.key;
    expectError(await t.call('GET', `/api/v1/deliveries/${listed.id}`, { key: keyB }), 404);
    expectError(await t.call('GET', `/api/v1/deliveries/${listed.id}/attempts`, { key: keyB }), 404);
    expectError(await t.call('GET', `/api/v1/webhooks/${webhook.id}/deliveries`, { key: keyB }), 404);
    expectError(await t.call('POST', `/api/v1/webhooks/deliveries/${listed.id}/retry`, { key: keyB }), 404);
    expectError(await t.call('GET', '/api/v1/deliveries/dlv_01JZ0000000000000000000000'), 404);
    // B's attempt to redeliver changed nothing.
    expect((await t.call('GET', `/api/v1/deliveries/${listed.id}`)).body.attempts).toBe(1);
    expect(r.requests).toHaveLength(1);
  });
});

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
    const r = await receiver();
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

describe('POST /events', () => {
  it('answers 202 {id, type, deliveries} and fans out to every matching webhook, none to others', async () => {
    const a = await startReceiver();
    const b = await startReceiver();
    const c = await startReceiver();
    const all = await createWebhook(t, { url: a.url, events: ['order.*'] });
    const exact = await createWebhook(t, { url: b.url, events: ['order.created'] });
    const other = await createWebhook(t, { url: c.url, events: ['user.*', 'order.cancelled'] });

    const published = await t.call('POST', '/api/v1/events', { body: { type: 'order.created', data: { total: 5 } } });
    expect(published.status).toBe(202);
    expect(published.body).toEqual({ id: expect.any(String), type: 'order.created', deliveries: 2 });

    expect((await a.nth(1)).json).toMatchObject({
      id: published.body.id,
      type: 'order.created',
      webhookId: all.id,
      data: { total: 5 },
    });
    expect((await b.nth(1)).json).toMatchObject({ id: published.body.id, webhookId: exact.id });
    await settledDeliveries(t, all.id, 1);
    await settledDeliveries(t, exact.id, 1);
    expect(await deliveriesOf(t, other.id)).toEqual([]);
    expect(c.requests).toHaveLength(0);
  });

  it('delivers only events matching the webhook filter', async () => {
    const r = await startReceiver();
    const webhook = await createWebhook(t, { url: r.url, filter: { 'data.amount': { $gt: 100 } } });
    expect((await publish(t, { type: 'order.created', data: { amount: 50 } })).deliveries).toBe(0);
    const big = await publish(t, { type: 'order.created', data: { amount: 150 } });
    expect(big.deliveries).toBe(1);
    expect((await publish(t, { type: 'order.created', data: { note: 'no amount' } })).deliveries).toBe(0);

    expect((await r.nth(1)).json.data).toEqual({ amount: 150 });
    expect((await settledDeliveries(t, webhook.id, 1))[0].eventId).toBe(big.id);
    expect(r.requests).toHaveLength(1);
  });

  it('answers the same request again under an Idempotency-Key with the first result and delivers it once', async () => {
    const r = await startReceiver();
    const webhook = await createWebhook(t, { url: r.url });
    const headers = { 'Idempotency-Key': 'order-42-created' };
    const first = await publish(
      t,
      { type: 'order.created', data: { n: 1, at: { day: 3, hour: 9 } }, metadata: { by: 'shop' } },
      headers,
    );
    expect(first).toEqual({ id: expect.any(String), type: 'order.created', deliveries: 1 });
    // The same request, its JSON keys in another order and `event` for `type`: still the same request.
    expect(
      await publish(
        t,
        { type: 'order.created', data: { n: 1, at: { day: 3, hour: 9 } }, metadata: { by: 'shop' } },
        headers,
      ),
    ).toEqual(first);
    expect(
      await publish(
        t,
        { metadata: { by: 'shop' }, data: { at: { hour: 9, day: 3 }, n: 1 }, event: 'order.created' },
        headers,
      ),
    ).toEqual(first);
    const distinct = await publish(t, { type: 'order.created', data: { n: 3 } });
    expect(distinct.id).not.toBe(first.id);

    await r.nth(2);
    const deliveries = await settledDeliveries(t, webhook.id, 2);
    expect(deliveries.map((d) => d.eventId)).toEqual([distinct.id, first.id]);
    expect(r.requests.map((q) => q.json.data.n).sort()).toEqual([1, 3]);
  });

  it('answers 409 HOOKD_ERR_IDEMPOTENCY_CONFLICT to an Idempotency-Key reused with another type, data or field, and delivers none of them', async () => {
    const r = await startReceiver();
    const webhook = await createWebhook(t, { url: r.url });
    const headers = { 'Idempotency-Key': 'order-42-paid' };
    const first = await publish(t, { type: 'order.paid', data: { amount: 1200 } }, headers);

    const otherData = expectError(
      await t.call('POST', '/api/v1/events', { body: { type: 'order.paid', data: { amount: 1 } }, headers }),
      409,
    );
    expect(otherData.code).toBe('HOOKD_ERR_IDEMPOTENCY_CONFLICT');
    expect(otherData.message).toContain('Idempotency-Key "order-42-paid"');
    expect(otherData.message).toContain(first.id);
    expect(otherData.details).toEqual([{ field: 'data', message: expect.stringContaining(first.id) }]);
    const otherType = expectError(
      await t.call('POST', '/api/v1/events', { body: { type: 'order.refunded', data: { amount: 1200 } }, headers }),
      409,
    );
    expect(otherType.details?.map((d) => d.field)).toEqual(['type']);
    const both = expectError(
      await t.call('POST', '/api/v1/events', { body: { type: 'order.refunded', data: {} }, headers }),
      409,
    );
    expect(both.details?.map((d) => d.field)).toEqual(['type', 'data']);
    const addedMetadata = expectError(
      await t.call('POST', '/api/v1/events', {
        body: { type: 'order.paid', data: { amount: 1200 }, metadata: { by: 'ops' } },
        headers,
      }),
      409,
    );
    expect(addedMetadata.details?.map((d) => d.field)).toEqual(['metadata']);
    const otherId = expectError(
      await t.call('POST', '/api/v1/events', {
        body: { id: 'evt-other', type: 'order.paid', data: { amount: 1200 } },
        headers,
      }),
      409,
    );
    expect(otherId.details?.map((d) => d.field)).toEqual(['id']);

    // The first request still answers its first result.
    expect(await publish(t, { type: 'order.paid', data: { amount: 1200 } }, headers)).toEqual(first);
    expect((await r.nth(1)).json).toMatchObject({ id: first.id, data: { amount: 1200 } });
    expect((await settledDeliveries(t, webhook.id, 1)).map((d) => d.eventId)).toEqual([first.id]);
    expect((await t.call('GET', '/api/v1/events')).body.data.map((e: any) => e.id)).toEqual([first.id]);
    expect(r.requests).toHaveLength(1);
  });

  it('answers the first result to the same request again when it holds values that storing changes (1e400, -0)', async () => {
    const r = await startReceiver();
    const webhook = await createWebhook(t, { url: r.url });
    // Raw JSON: 1e400 parses as Infinity, which is stored (and delivered) as null; -0 is stored as 0.
    const payload = '{"type": "order.paid", "data": {"amount": 1e400, "refund": -0}, "metadata": {"limit": -1e400}}';
    const send = (headers: Record<string, string>) => t.call('POST', '/api/v1/events', { payload, headers });
    const first = await send({ 'Idempotency-Key': 'order-43-paid' });
    expect(first.status).toBe(202);
    const again = await send({ 'Idempotency-Key': 'order-43-paid' });
    expect(again).toMatchObject({ status: 202, body: first.body });
    const byId = (id: string) =>
      t.call('POST', '/api/v1/events', { payload: payload.replace('{', `{"id": "${id}", `) });
    expect((await byId('evt-big-1')).status).toBe(202);
    expect(await byId('evt-big-1')).toMatchObject({ status: 202, body: { id: 'evt-big-1' } });

    await r.nth(2);
    expect(r.requests.find((q) => q.json.id === first.body.id)?.json).toMatchObject({
      data: { amount: null, refund: 0 },
      metadata: { limit: null },
    });
    expect((await settledDeliveries(t, webhook.id, 2)).map((d) => d.eventId).sort()).toEqual(
      [first.body.id, 'evt-big-1'].sort(),
    );
    expect((await t.call('GET', '/api/v1/events')).body.data).toHaveLength(2);
  });

  it('answers the same event id again with the first result, and 409 when it comes with another type or data', async () => {
    const r = await startReceiver();
    const webhook = await createWebhook(t, { url: r.url });
    const first = await publish(t, { id: 'evt-0001', type: 'order.created', data: { n: 1 } });
    expect(first).toEqual({ id: 'evt-0001', type: 'order.created', deliveries: 1 });
    expect(await publish(t, { id: 'evt-0001', type: 'order.created', data: { n: 1 } })).toEqual(first);
    const conflict = expectError(
      await t.call('POST', '/api/v1/events', { body: { id: 'evt-0001', type: 'order.updated', data: { n: 2 } } }),
      409,
    );
    expect(conflict).toMatchObject({
      code: 'HOOKD_ERR_IDEMPOTENCY_CONFLICT',
      message: expect.stringContaining('event id "evt-0001"'),
    });
    expect(conflict.details?.map((d) => d.field)).toEqual(['type', 'data']);
    const distinct = await publish(t, { id: 'evt-0002', type: 'order.created', data: { n: 3 } });

    await r.nth(2);
    const deliveries = await settledDeliveries(t, webhook.id, 2);
    expect(deliveries.map((d) => d.eventId)).toEqual([distinct.id, 'evt-0001']);
    expect(r.requests.map((q) => q.json.id).sort()).toEqual(['evt-0001', 'evt-0002']);
    expect((await t.call('GET', '/api/v1/events/evt-0001')).body).toMatchObject({
      type: 'order.created',
      data: { n: 1 },
    });
  });

  it('settles publishes racing under one Idempotency-Key: the same request gets the one event, another gets 409', async () => {
    const r = await startReceiver();
    const webhook = await createWebhook(t, { url: r.url });
    const headers = { 'Idempotency-Key': 'race-1' };
    const same = { type: 'order.created', data: { n: 1 } };
    const answers = await Promise.all([
      ...Array.from({ length: 4 }, () => t.call('POST', '/api/v1/events', { body: same, headers })),
      t.call('POST', '/api/v1/events', { body: { type: 'order.created', data: { n: 2 } }, headers }),
    ]);
    const accepted = answers.filter((answer) => answer.status === 202);
    const ids = new Set(accepted.map((answer) => answer.body.id));
    expect(ids.size).toBe(1);
    // Whichever request was stored first, every other one either repeats it (202, its id) or differs from it (409).
    const stored = (await t.call('GET', `/api/v1/events/${[...ids][0]}`)).body;
    for (const answer of answers) {
      if (answer.status === 409) expect(answer.body.error.code).toBe('HOOKD_ERR_IDEMPOTENCY_CONFLICT');
      else expect(answer.status).toBe(202);
    }
    expect(answers.filter((answer) => answer.status === 409)).toHaveLength(stored.data.n === 1 ? 1 : 4);
    expect((await r.nth(1)).json.id).toBe(stored.id);
    expect((await settledDeliveries(t, webhook.id, 1)).map((d) => d.eventId)).toEqual([stored.id]);
    expect((await t.call('GET', '/api/v1/events')).body.data).toHaveLength(1);
  });

  it("refuses with 422 naming the field data that fails the event type's JSON Schema, and delivers nothing", async () => {
    const r = await startReceiver();
    const webhook = await createWebhook(t, { url: r.url });
    const schema = {
      type: 'object',
      required: ['amount'],
      properties: { amount: { type: 'number' }, currency: { type: 'string' } },
    };
    expect(
      (await t.call('POST', '/api/v1/event-types', { body: { name: 'order.paid', description: 'paid', schema } }))
        .status,
    ).toBe(201);

    const wrongType = expectError(
      await t.call('POST', '/api/v1/events', { body: { type: 'order.paid', data: { amount: 'ten' } } }),
      422,
    );
    expect(wrongType.details).toContainEqual({ field: 'data.amount', message: expect.stringContaining('number') });
    expect(wrongType.message).toContain('data.amount');
    const missing = expectError(
      await t.call('POST', '/api/v1/events', { body: { type: 'order.paid', data: { currency: 'EUR' } } }),
      422,
    );
    expect(missing.details).toContainEqual({ field: 'data', message: expect.stringContaining('amount') });

    const ok = await publish(t, { type: 'order.paid', data: { amount: 10, currency: 'EUR' } });
    expect(ok.deliveries).toBe(1);
    expect((await r.nth(1)).json.id).toBe(ok.id);
    expect((await settledDeliveries(t, webhook.id, 1))[0].eventId).toBe(ok.id);
    expect((await t.call('GET', '/api/v1/events')).body.data.map((e: any) => e.id)).toEqual([ok.id]);
  });
});
