// Publishing through POST /events: fan-out, filters, idempotency by key and by event id, and the event type's schema.
import { describe, expect, it } from 'vitest';
import { appForEachTest } from './support/app-per-test.js';
import { createWebhook, deliveriesOf, publish, settledDeliveries } from './support/delivery-api.js';
import { startReceiver } from './support/receiver.js';
import { expectError, type TestApp } from './support/test-app.js';

let t: TestApp;
appForEachTest((app) => (t = app));

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
