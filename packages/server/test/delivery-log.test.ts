// The delivery log through the API: its fields, filters and paging, and one delivery read by id.
import { describe, expect, it } from 'vitest';
import { appForEachTest } from './support/app-per-test.js';
import { attemptsOf, createWebhook, deliveriesOf, publish, settledDeliveries } from './support/delivery-api.js';
import { eventually } from './support/eventually.js';
import { startReceiver } from './support/receiver.js';
import { expectError, type TestApp } from './support/test-app.js';

let t: TestApp;
appForEachTest((app) => (t = app));

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
