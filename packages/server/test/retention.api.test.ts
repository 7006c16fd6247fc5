// Retention with the clock moved forward: a month later the pruner deletes old finished deliveries, their attempts and
// their events (idempotency keys too), and keeps what is still due or recent. Both engines.
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { RetentionPruner } from '../src/retention/pruner.js';
import { attemptsOf, createWebhook, deliveriesOf, publish, settledDeliveries } from './support/delivery-api.js';
import { eventually } from './support/eventually.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const DAY = 86_400_000;

let t: TestApp | undefined;
let receivers: Receiver[] = [];
afterEach(async () => {
  await t?.close();
  await Promise.all(receivers.map((receiver) => receiver.close()));
  receivers = [];
});

describe('retention', () => {
  it('a month on, deletes old finished deliveries, their attempts and events; keeps due and recent ones', async () => {
    let now = Date.now();
    t = await startTestApp({ clock: () => new Date(now) });
    const app = t;
    const ok = await startReceiver();
    const down = await startReceiver({ then: { status: 503, body: 'busy' } });
    receivers.push(ok, down);
    const okHook = await createWebhook(app, { url: ok.url, events: ['order.created'] });
    // Its delivery fails once and then waits, its webhook paused: still due, whatever its age.
    const downHook = await createWebhook(app, {
      url: down.url,
      events: ['order.failed'],
      retry: { schedule: ['7d'] },
    });
    const old = await publish(app, { type: 'order.created', data: { n: 1 } }, { 'Idempotency-Key': 'order-1' });
    const unmatched = await publish(app, { type: 'nobody.listens' });
    const stillDue = await publish(app, { type: 'order.failed' });
    const [oldDelivery] = await settledDeliveries(app, okHook.id, 1);
    const [dueDelivery] = await eventually(async () => {
      const deliveries = await deliveriesOf(app, downHook.id);
      expect(deliveries[0]?.attempts).toBe(1);
      return deliveries;
    });
    const paused = await app.call('PATCH', `/api/v1/webhooks/${downHook.id}`, { body: { active: false } });
    expect(paused.status).toBe(200);

    now += 31 * DAY;
    const recent = await publish(app, { type: 'order.created', data: { n: 2 } });
    await settledDeliveries(app, okHook.id, 2);
    const pruner = new RetentionPruner(
      { store: app.store, clock: () => new Date(now), logger: pino({ level: 'silent' }) },
      { retentionMs: 30 * DAY, batchSize: 2, pauseMs: 0, busyShare: 1, roundEveryMs: 0 },
    );
    expect(await pruner.pruneAll()).toEqual({ deliveries: 1, events: 2, alerts: 0 });

    expect((await app.call('GET', `/api/v1/deliveries/${oldDelivery.id}`)).status).toBe(404);
    expect((await app.call('GET', `/api/v1/deliveries/${oldDelivery.id}/attempts`)).status).toBe(404);
    expect((await app.call('GET', `/api/v1/events/${old.id}`)).status).toBe(404);
    expect((await app.call('GET', `/api/v1/events/${unmatched.id}`)).status).toBe(404);
    const kept = await deliveriesOf(app, okHook.id);
    expect(kept.map((delivery) => delivery.eventId)).toEqual([recent.id]);
    expect((await app.call('GET', `/api/v1/events/${recent.id}`)).status).toBe(200);
    expect((await app.call('GET', `/api/v1/deliveries/${dueDelivery.id}`)).body.status).toBe('pending');
    expect(await attemptsOf(app, dueDelivery.id)).toHaveLength(1);
    expect((await app.call('GET', `/api/v1/events/${stillDue.id}`)).status).toBe(200);
    // The idempotency key went with its event: the same key now publishes anew.
    const again = await publish(app, { type: 'order.created', data: { n: 1 } }, { 'Idempotency-Key': 'order-1' });
    expect(again.id).not.toBe(old.id);
  });
});
