// Retention with the clock moved forward: a month later the pruner deletes old finished deliveries, their attempts and
// their events (idempotency keys too), and keeps what is still due or recent; it deletes the hourly counts of old
// hours (never the last day's, which the charts draw) and expired browser sessions. Both engines.
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { RetentionPruner } from '../src/retention/pruner.js';
import { attemptsOf, createWebhook, deliveriesOf, publish, settledDeliveries } from './support/delivery-api.js';
import { eventually } from './support/eventually.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

function prunerAt(app: TestApp, now: () => number, retentionMs: number | undefined): RetentionPruner {
  return new RetentionPruner(
    { store: app.store, clock: () => new Date(now()), logger: pino({ level: 'silent' }) },
    { retentionMs, batchSize: 2, pauseMs: 0, busyShare: 1, roundEveryMs: 0 },
  );
}

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
    expect(await pruner.pruneAll()).toMatchObject({ deliveries: 1, events: 2 });

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

  it("deletes the hourly counts of hours older than the retention period, but never the last day's", async () => {
    let now = Date.now();
    t = await startTestApp({ clock: () => new Date(now) });
    const app = t;
    const ok = await startReceiver();
    receivers.push(ok);
    const hook = await createWebhook(app, { url: ok.url, events: ['order.created'] });
    const countedHours = async () =>
      (await app.store.listHourlyCounts(app.workspaceId, [hook.id], new Date(0))).map((count) => count.hourStart);
    // Three deliveries an hour apart or more: 31 days ago, 27 hours ago, and now (clock moved between them).
    const first = now;
    for (const [n, step] of [
      [1, 0],
      [2, 31 * DAY - 27 * HOUR],
      [3, 27 * HOUR],
    ] as const) {
      now += step;
      await publish(app, { type: 'order.created', data: { n } });
      await settledDeliveries(app, hook.id, n);
    }
    expect(await countedHours()).toHaveLength(3);

    expect((await prunerAt(app, () => now, 30 * DAY).pruneAll()).statsHours).toBe(1);
    expect(await countedHours()).not.toContainEqual(new Date(Math.floor(first / HOUR) * HOUR));
    // --retention 2h: the last 25 hours' counts stay all the same (the charts need 24), older ones go.
    expect((await prunerAt(app, () => now, 2 * HOUR).pruneAll()).statsHours).toBe(1);
    expect((await countedHours()).map((hour) => hour.getTime())).toEqual([Math.floor(now / HOUR) * HOUR]);
    const stats = await app.call('GET', `/api/v1/stats?webhookId=${hook.id}`);
    expect(stats.body.data[0].lastDay).toMatchObject({ succeeded: 1, failed: 0 });
  });

  it('deletes expired dashboard sessions and portal links in the background, even with --retention off', async () => {
    let now = Date.now();
    t = await startTestApp({ clock: () => new Date(now), worker: false });
    const app = t;
    const login = async () => {
      const result = await app.call('POST', '/api/v1/dashboard/session', { key: null, body: { apiKey: app.adminKey } });
      expect(result.status).toBe(200);
      return /^(hookd_session=[^;]+)/.exec(String(result.headers['set-cookie']))![1]!;
    };
    const dashboard = await login();
    const portal = await app.call('POST', '/api/v1/portal-sessions', { body: { expiresIn: '1h' } });
    expect(portal.status).toBe(201);
    const pruner = prunerAt(app, () => now, undefined);
    expect(await pruner.pruneAll()).toEqual({ deliveries: 0, events: 0, alerts: 0, statsHours: 0, sessions: 0 });

    now += 2 * HOUR; // the portal link has expired, the dashboard session (12 h) not yet
    expect((await pruner.pruneAll()).sessions).toBe(1);
    now += 11 * HOUR; // no login since, which would have deleted it too
    expect((await pruner.pruneAll()).sessions).toBe(1);
    expect(
      (await app.call('GET', '/api/v1/dashboard/session', { key: null, headers: { cookie: dashboard } })).status,
    ).toBe(401);
    expect((await pruner.pruneAll()).sessions).toBe(0);
    const fresh = await login();
    expect((await app.call('GET', '/api/v1/dashboard/session', { key: null, headers: { cookie: fresh } })).status).toBe(
      200,
    );
  });
});
