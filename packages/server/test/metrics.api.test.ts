// /metrics after known traffic to real local receivers, on both engines: counters of this process, and the queue
// and webhooks as read from the database (the same for every app sharing it).
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhook, publish, settledDeliveries } from './support/delivery-api.js';
import { parsePrometheusText, sampleValue, type Sample } from './support/prometheus-text.js';
import { eventually } from './support/eventually.js';
import { closedPort, startReceiver, type Receiver } from './support/receiver.js';
import { appsOfTest, type TestApp } from './support/test-app.js';

const apps = appsOfTest();
const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  await apps.closeAll();
});

async function scrape(t: TestApp, headers: Record<string, string> = {}): Promise<Sample[]> {
  const response = await t.app.inject({ method: 'GET', url: '/metrics', headers });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(response.body);
}

describe('GET /metrics', () => {
  it('counts publishes, attempts by status class, outcomes and durations after known traffic, with no ids or URLs', async () => {
    const t = await apps.start({ metrics: {} });
    const answers: Record<string, number> = {
      'order.ok': 200,
      'order.busy': 503,
      'order.gone': 404,
      'order.moved': 302,
    };
    const receiver = await startReceiver({ then: (request) => ({ status: answers[request.json.type] ?? 500 }) });
    receivers.push(receiver);
    const noRetries = { schedule: [], retryOn4xx: false };
    const live = await createWebhook(t, { url: receiver.url, events: ['order.*'], retry: noRetries });
    const dead = await createWebhook(t, {
      url: `http://127.0.0.1:${await closedPort()}/hook`,
      events: ['dead.*'],
      retry: noRetries,
    });
    for (const type of ['order.ok', 'order.ok', 'order.ok', 'order.busy', 'order.busy', 'order.gone', 'order.moved'])
      await publish(t, { type });
    await publish(t, { type: 'dead.letter' });
    await publish(t, { type: 'nobody.listens' });
    await settledDeliveries(t, live.id, 7);
    await settledDeliveries(t, dead.id, 1);

    // An attempt is counted just after its record is written, which the log shows already: wait for the last one.
    const samples = await eventually(async () => {
      const scraped = await scrape(t);
      expect(sampleValue(scraped, 'hookd_delivery_attempt_duration_seconds_count')).toBe(8);
      return scraped;
    });
    expect(sampleValue(samples, 'hookd_events_published_total')).toBe(9);
    expect(sampleValue(samples, 'hookd_deliveries_created_total')).toBe(8);
    const attempts = (status_class: string) => sampleValue(samples, 'hookd_delivery_attempts_total', { status_class });
    expect([attempts('2xx'), attempts('3xx'), attempts('4xx'), attempts('5xx'), attempts('error')]).toEqual([
      3, 1, 1, 2, 1,
    ]);
    expect(sampleValue(samples, 'hookd_deliveries_total', { outcome: 'succeeded' })).toBe(3);
    expect(sampleValue(samples, 'hookd_deliveries_total', { outcome: 'failed' })).toBe(5);
    expect(sampleValue(samples, 'hookd_delivery_attempt_duration_seconds_count')).toBe(8);
    expect(sampleValue(samples, 'hookd_delivery_attempt_duration_seconds_bucket', { le: '+Inf' })).toBe(8);
    expect(sampleValue(samples, 'hookd_deliveries_due')).toBe(0);
    expect(sampleValue(samples, 'hookd_database_up')).toBe(1);
    for (const channel of ['email', 'url']) {
      expect(sampleValue(samples, 'hookd_alerts_sent_total', { channel })).toBe(0);
      for (const outcome of ['retrying', 'failed'])
        expect(sampleValue(samples, 'hookd_alerts_failed_total', { channel, outcome })).toBe(0);
    }
    expect(samples.some((sample) => sample.name === 'process_cpu_user_seconds_total')).toBe(true);

    // Every label value comes from a small fixed set: nothing of a webhook, a workspace or a receiver.
    const labelValues = new Set(samples.flatMap((sample) => Object.values(sample.labels)));
    for (const value of labelValues) expect(value).not.toMatch(/wh_|ws_|dlv_|evt_|127\.0\.0\.1|http/);
  });

  it('reports the due backlog and its age from the database, the same in two apps sharing it', async () => {
    let now = new Date('2026-05-06T12:00:00.000Z');
    const clock = () => now;
    const first = await apps.start({ metrics: {}, worker: false, clock });
    const second = await apps.start({ metrics: {}, worker: false, clock, database: first.database });
    const receiver = await startReceiver();
    receivers.push(receiver);
    const held = await createWebhook(first, { url: receiver.url, events: ['held.*'] });
    await createWebhook(first, { url: receiver.url, events: ['other.*'] });
    for (let i = 0; i < 4; i++) await publish(first, { type: 'held.one' });
    now = new Date(now.getTime() + 90_000);
    await publish(second, { type: 'other.one' });

    for (const app of [first, second]) {
      const samples = await scrape(app);
      expect(sampleValue(samples, 'hookd_deliveries_due')).toBe(5);
      expect(sampleValue(samples, 'hookd_oldest_due_delivery_age_seconds')).toBe(90);
      expect(sampleValue(samples, 'hookd_webhooks', { state: 'healthy' })).toBe(2);
    }
    // Publishes are counted by the process that took them.
    expect(sampleValue(await scrape(first), 'hookd_events_published_total')).toBe(4);
    expect(sampleValue(await scrape(second), 'hookd_events_published_total')).toBe(1);

    // A paused webhook's deliveries are held, not queued: out of the depth and the age.
    const paused = await first.call('PATCH', `/api/v1/webhooks/${held.id}`, { body: { active: false } });
    expect(paused.status, JSON.stringify(paused.body)).toBe(200);
    const samples = await scrape(second);
    expect(sampleValue(samples, 'hookd_deliveries_due')).toBe(1);
    expect(sampleValue(samples, 'hookd_oldest_due_delivery_age_seconds')).toBe(0);
    expect(sampleValue(samples, 'hookd_webhooks', { state: 'paused' })).toBe(1);
    expect(sampleValue(samples, 'hookd_webhooks', { state: 'healthy' })).toBe(1);
  });

  it('answers only a scrape with the bearer token when one is set, and is absent when metrics are off', async () => {
    const token = 'metrics-token-0123456789';
    const guarded = await apps.start({ metrics: { token } });
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789', token, `Bearer ${guarded.adminKey}`]) {
      const refused = await guarded.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: authorization ? { authorization } : {},
      });
      expect(refused.statusCode).toBe(401);
      expect(refused.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    expect(sampleValue(await scrape(guarded, { authorization: `Bearer ${token}` }), 'hookd_database_up')).toBe(1);

    const off = await apps.start({ database: guarded.database });
    expect((await off.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
  });
});
