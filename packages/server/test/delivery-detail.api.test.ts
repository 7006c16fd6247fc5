// What the dashboard's delivery page and log search need (issue #17): GET /deliveries/:id carries the exact body its
// attempts POSTed (so "Copy as curl" replays the signed request byte for byte), and the log finds an event's delivery.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhook, publish, settledDeliveries } from './support/delivery-api.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
  await receiver.close();
});

describe('a delivery and its body', () => {
  it('answers the bytes the receiver got, and finds a delivery by its event id', async () => {
    const webhook = await createWebhook(t, { url: receiver.url, events: ['*'] });
    const first = await publish(t, { type: 'order.paid', data: { amount: 1200, note: 'é "quoted"' } });
    const second = await publish(t, { type: 'order.refunded', data: { amount: 5 }, source: 'shop' });
    await settledDeliveries(t, webhook.id, 2);

    for (const event of [first, second]) {
      const found = await t.call('GET', `/api/v1/webhooks/${webhook.id}/deliveries?eventId=${event.id}`);
      expect(found.status).toBe(200);
      expect(found.body.data.map((delivery: { eventId: string }) => delivery.eventId)).toEqual([event.id]);
      const delivery = await t.call('GET', `/api/v1/deliveries/${found.body.data[0].id}`);
      expect(delivery.status).toBe(200);
      const received = receiver.requests.find((request) => request.json?.id === event.id)!;
      expect(delivery.body.body).toBe(received.body);
      // Lists leave the body out: a page of them would carry every event's data again.
      expect(found.body.data[0].body).toBeUndefined();
    }
    const none = await t.call('GET', `/api/v1/webhooks/${webhook.id}/deliveries?eventId=no-such-event`);
    expect(none.body).toEqual({ data: [], nextCursor: null });
  });
});
