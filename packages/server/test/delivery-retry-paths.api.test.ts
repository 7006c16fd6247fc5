// POST /deliveries/:id/retry beside the seed's POST /webhooks/deliveries/:id/retry: the same action on either path.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attemptsOf, createWebhook, publish, settledDeliveries } from './support/delivery-api.js';
import { eventually } from './support/eventually.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { expectError, startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
let r: Receiver;
beforeEach(async () => {
  t = await startTestApp();
  r = await startReceiver();
});
afterEach(async () => {
  await r.close();
  await t.close();
});

describe('POST /deliveries/:id/retry', () => {
  it('redelivers like /webhooks/deliveries/:id/retry: both send the event again and add an attempt', async () => {
    const webhook = await createWebhook(t, { url: r.url });
    const event = await publish(t, { type: 'order.created', data: { n: 3 } });
    const [delivery] = await settledDeliveries(t, webhook.id, 1);

    const short = await t.call('POST', `/api/v1/deliveries/${delivery.id}/retry`);
    expect(short.status).toBe(202);
    expect(short.body).toMatchObject({ id: delivery.id, eventId: event.id, webhookId: webhook.id });
    expect((await r.nth(2)).json).toMatchObject({ id: event.id, data: { n: 3 } });
    await eventually(async () => expect(await attemptsOf(t, delivery.id)).toHaveLength(2));

    const seed = await t.call('POST', `/api/v1/webhooks/deliveries/${delivery.id}/retry`);
    expect(seed.status).toBe(202);
    expect((await r.nth(3)).json).toMatchObject({ id: event.id });
    await eventually(async () => expect(await attemptsOf(t, delivery.id)).toHaveLength(3));
  });

  it('answers 404 for an unknown delivery and is in /openapi.json', async () => {
    expectError(await t.call('POST', '/api/v1/deliveries/dlv_01JZ0000000000000000000000/retry'), 404);
    const doc = (await t.call('GET', '/openapi.json', { key: null })).body as { paths: Record<string, object> };
    expect(Object.keys(doc.paths['/api/v1/deliveries/{id}/retry'] ?? {})).toEqual(['post']);
  });
});
