// Auto-disable with the clock moved forward: a webhook whose attempts have failed without a success for its
// autoDisableAfter (its own, else its workspace's) is disabled by the sweep; its queued deliveries are kept, shown in
// the log, not attempted while it is disabled, and delivered once it is turned back on. Both engines.
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AutoDisableSweeper } from '../src/auto-disable/sweeper.js';
import { createWebhook, deliveriesOf, publish, settledDeliveries, webhookStatus } from './support/delivery-api.js';
import { eventually } from './support/eventually.js';
import { expectFieldError } from './support/field-errors.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const DOWN = { then: { status: 503, body: 'down' } };

let t: TestApp | undefined;
let receivers: Receiver[] = [];
afterEach(async () => {
  await t?.close();
  t = undefined;
  await Promise.all(receivers.map((receiver) => receiver.close()));
  receivers = [];
});

/** A test app on a clock the test moves, and a sweeper on the same clock whose warn lines are kept. */
async function setUp() {
  const clock = { now: Date.now() };
  const app = await startTestApp({ clock: () => new Date(clock.now) });
  t = app;
  const logLines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => logLines.push(JSON.parse(line)) });
  const sweeper = new AutoDisableSweeper({ store: app.store, clock: () => new Date(clock.now), logger });
  const sweep = async () => (await sweeper.sweepOnce()).map((one) => one.webhookId).sort();
  return { app, clock, sweep, logLines };
}

async function receiver(options = {}): Promise<Receiver> {
  const started = await startReceiver(options);
  receivers.push(started);
  return started;
}

/** Publishes `type` and waits until the webhook's newest delivery has had its first attempt. */
async function deliverOnce(app: TestApp, webhookId: string, type: string): Promise<any> {
  const { id } = await publish(app, { type });
  return eventually(async () => {
    const [newest] = await deliveriesOf(app, webhookId);
    expect(newest).toMatchObject({ eventId: id });
    expect(newest.attempts).toBe(1);
    return newest;
  });
}

const setWorkspaceLimit = async (app: TestApp, autoDisableAfter: string | null) =>
  expect(
    (await app.call('PATCH', `/api/v1/workspaces/${app.workspaceId}`, { body: { autoDisableAfter } })).status,
  ).toBe(200);

describe('auto-disable', () => {
  it("disables what failed past its limit (its own, else the workspace's), not what failed less long or recovered", async () => {
    const { app, clock, sweep, logLines } = await setUp();
    const down = await receiver(DOWN);
    const flaky = await receiver(DOWN);
    const retry = { schedule: ['1d'] };
    const hook = (type: string, extra = {}) => createWebhook(app, { url: down.url, events: [type], retry, ...extra });
    const [plain, ownLonger, later, recovered, exempt] = [
      await hook('a'),
      await hook('b', { autoDisableAfter: '3h' }),
      await hook('c'),
      await createWebhook(app, { url: flaky.url, events: ['d'], retry }),
      await hook('e', { autoDisableAfter: 'never' }),
    ];
    expect(plain).toMatchObject({ autoDisableAfter: null, failingSince: null });
    expect(ownLonger.autoDisableAfter).toBe('3h');
    expect(exempt.autoDisableAfter).toBe('never');
    const start = clock.now;
    await deliverOnce(app, plain.id, 'a');
    await deliverOnce(app, exempt.id, 'e');
    const first = await deliverOnce(app, recovered.id, 'd');
    expect((await app.call('GET', `/api/v1/webhooks/${plain.id}`)).body.failingSince).toBe(
      new Date(start).toISOString(),
    );
    // Off by default: no limit anywhere, and a webhook failing for 100 days stays as it is.
    clock.now = start + 100 * DAY;
    expect(await sweep()).toEqual([]);
    clock.now = start;
    await setWorkspaceLimit(app, '1h');
    await deliverOnce(app, ownLonger.id, 'b');

    clock.now = start + 30 * MINUTE;
    await deliverOnce(app, later.id, 'c');
    flaky.program({ then: { status: 200 } });
    expect((await app.call('POST', `/api/v1/deliveries/${first.id}/retry`)).status).toBeLessThan(300);
    await eventually(async () => expect((await deliveriesOf(app, recovered.id))[0].status).toBe('success'));
    flaky.program(DOWN);
    clock.now = start + 40 * MINUTE;
    await deliverOnce(app, recovered.id, 'd');

    clock.now = start + HOUR;
    expect(await sweep()).toEqual([plain.id]);
    expect(await webhookStatus(app, plain.id)).toBe('disabled');
    for (const other of [ownLonger, later, recovered]) expect(await webhookStatus(app, other.id)).not.toBe('disabled');
    expect(logLines).toEqual([
      expect.objectContaining({
        level: 40,
        webhookId: plain.id,
        workspaceId: app.workspaceId,
        reason: 'failed without a success for 1h (autoDisableAfter)',
      }),
    ]);

    clock.now = start + 3 * HOUR;
    expect(await sweep()).toEqual([ownLonger.id, later.id, recovered.id].sort());
    // "never" keeps it out of its workspace's limit, however long it fails.
    clock.now = start + 100 * DAY;
    expect(await sweep()).toEqual([]);
    const stillOn = (await app.call('GET', `/api/v1/webhooks/${exempt.id}`)).body;
    expect(stillOn).toMatchObject({ status: 'healthy', failingSince: new Date(start).toISOString() });
  });

  it('keeps the queued deliveries of a disabled webhook and delivers them once it is turned back on', async () => {
    const { app, clock, sweep } = await setUp();
    const down = await receiver(DOWN);
    const witness = await receiver({ replies: [{ status: 503 }] });
    const hook = await createWebhook(app, {
      url: down.url,
      events: ['order.*'],
      retry: { schedule: ['1h'] },
      autoDisableAfter: '1d',
    });
    const watcher = await createWebhook(app, { url: witness.url, events: ['ping'], retry: { schedule: ['1m'] } });
    const start = clock.now;
    await deliverOnce(app, hook.id, 'order.created');
    await deliverOnce(app, hook.id, 'order.updated');

    clock.now = start + DAY;
    expect(await sweep()).toEqual([hook.id]);
    const kept = await deliveriesOf(app, hook.id);
    expect(kept.map((delivery) => [delivery.status, delivery.attempts])).toEqual([
      ['pending', 1],
      ['pending', 1],
    ]);
    // Their retries are long due, yet a disabled webhook gets nothing: the claim that took the witness's retry, due
    // after them, passed over them.
    await deliverOnce(app, watcher.id, 'ping');
    clock.now += 2 * MINUTE;
    app.delivery.wake();
    await settledDeliveries(app, watcher.id, 1);
    expect(witness.requests).toHaveLength(2);
    expect(down.requests).toHaveLength(2);

    down.program({ then: { status: 200 } });
    const resumed = await app.call('PATCH', `/api/v1/webhooks/${hook.id}`, { body: { active: true } });
    expect(resumed.body).toMatchObject({ status: 'healthy', failingSince: null });
    const delivered = await settledDeliveries(app, hook.id, 2);
    expect(delivered.map((delivery) => delivery.status)).toEqual(['success', 'success']);
    expect(down.requests).toHaveLength(4);
    // Its clock started over: the next sweep leaves it on.
    clock.now = start + 3 * DAY;
    expect(await sweep()).toEqual([]);
  });

  it.each([
    ['soon', 'POST'],
    ['30s', 'POST'],
    ['91d', 'POST'],
    [5, 'POST'],
    ['1 day', 'PATCH'],
    ['0d', 'PATCH'],
    ['x'.repeat(17), 'PATCH'],
    ['Never', 'PATCH'],
  ])('refuses autoDisableAfter %j on %s with 400 naming it', async (value, method) => {
    const { app } = await setUp();
    const body = { url: 'https://example.com/h', autoDisableAfter: value };
    if (method === 'POST')
      return void expectFieldError(await app.call('POST', '/api/v1/webhooks', { body }), 'autoDisableAfter');
    const created = await createWebhook(app, { url: 'https://example.com/h' });
    expectFieldError(
      await app.call('PATCH', `/api/v1/webhooks/${created.id}`, { body: { autoDisableAfter: value } }),
      'autoDisableAfter',
    );
    expect((await app.call('GET', `/api/v1/webhooks/${created.id}`)).body.autoDisableAfter).toBeNull();
  });

  it('refuses "never" for a workspace, whose null already means never', async () => {
    const { app } = await setUp();
    const changed = await app.call('PATCH', `/api/v1/workspaces/${app.workspaceId}`, {
      body: { autoDisableAfter: 'never' },
    });
    expectFieldError(changed, 'autoDisableAfter');
  });
});
