// GET /api/v1/stats (issue #17): attempts by outcome per webhook, counted as they are recorded, after known traffic
// to a real receiver: this hour, the last 24 hours, and the hourly series, as the clock moves on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhook, publish, settledDeliveries } from './support/delivery-api.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { expectError, startTestApp, type TestApp } from './support/test-app.js';

const HOUR = 3_600_000;
const START = Date.parse('2026-03-01T10:30:00Z');
let nowMs = START;
let t: TestApp;
let receiver: Receiver;
let busy: { id: string };
let quiet: { id: string };

beforeAll(async () => {
  // 400 to events whose data says so, 200 to the rest; no retries of a 4xx, so each delivery is one attempt.
  receiver = await startReceiver({ then: (request) => ({ status: request.json?.data?.fail ? 400 : 200 }) });
  t = await startTestApp({ clock: () => new Date(nowMs) });
  busy = await createWebhook(t, { url: receiver.url, events: ['order.*'], retry: { retryOn4xx: false } });
  quiet = await createWebhook(t, { url: receiver.url, events: ['never.*'] });
});
afterAll(async () => {
  await t.close();
  await receiver.close();
});

async function send(succeeding: number, failing: number, deliveredBefore: number): Promise<number> {
  for (let i = 0; i < succeeding; i++) await publish(t, { type: 'order.paid', data: { fail: false } });
  for (let i = 0; i < failing; i++) await publish(t, { type: 'order.paid', data: { fail: true } });
  const total = deliveredBefore + succeeding + failing;
  await settledDeliveries(t, busy.id, total);
  return total;
}

async function statsOf(webhookId: string) {
  const result = await t.call('GET', `/api/v1/stats?webhookId=${webhookId}`);
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  expect(result.body.data).toHaveLength(1);
  return result.body.data[0];
}

const hourStart = (ms: number) => new Date(Math.floor(ms / HOUR) * HOUR).toISOString();

describe('GET /api/v1/stats', () => {
  it('counts attempts by outcome this hour, over the day and hour by hour as time goes on', async () => {
    const delivered = await send(3, 2, 0);
    let stats = await statsOf(busy.id);
    expect(stats.webhookId).toBe(busy.id);
    expect(stats.lastHour).toEqual({ succeeded: 3, failed: 2, successRate: 0.6 });
    expect(stats.lastDay).toEqual({ succeeded: 3, failed: 2, successRate: 0.6 });
    expect(stats.series).toHaveLength(24);
    expect(stats.series[0].start).toBe(hourStart(START - 23 * HOUR));
    expect(stats.series[23]).toEqual({ start: hourStart(START), succeeded: 3, failed: 2 });
    expect(stats.series.slice(0, 23).every((slot: any) => slot.succeeded === 0 && slot.failed === 0)).toBe(true);

    nowMs = START + 2 * HOUR;
    await send(1, 0, delivered);
    stats = await statsOf(busy.id);
    expect(stats.lastHour).toEqual({ succeeded: 1, failed: 0, successRate: 1 });
    expect(stats.lastDay).toEqual({ succeeded: 4, failed: 2, successRate: 4 / 6 });
    expect(stats.series[21]).toEqual({ start: hourStart(START), succeeded: 3, failed: 2 });
    expect(stats.series[23]).toEqual({ start: hourStart(nowMs), succeeded: 1, failed: 0 });

    // A day after the first traffic, its hour has left the series.
    nowMs = START + 24 * HOUR;
    stats = await statsOf(busy.id);
    expect(stats.lastHour).toEqual({ succeeded: 0, failed: 0, successRate: null });
    expect(stats.lastDay).toEqual({ succeeded: 1, failed: 0, successRate: 1 });
    expect(stats.series[0].start).toBe(hourStart(START + HOUR));
  });

  it('lists every webhook of the workspace in the order of GET /webhooks, a quiet one with zeros', async () => {
    const all = await t.call('GET', '/api/v1/stats');
    expect(all.status).toBe(200);
    const listed = (await t.call('GET', '/api/v1/webhooks')).body.data.map((webhook: { id: string }) => webhook.id);
    expect(all.body.data.map((one: { webhookId: string }) => one.webhookId)).toEqual(listed);
    const quietStats = all.body.data.find((one: { webhookId: string }) => one.webhookId === quiet.id);
    expect(quietStats.lastDay).toEqual({ succeeded: 0, failed: 0, successRate: null });
    expect(quietStats.series).toHaveLength(24);
  });

  it("answers 404 for an unknown webhook and for another workspace's, whose numbers it never shows", async () => {
    const unknown = await t.call('GET', '/api/v1/stats?webhookId=wh_01JZ0000000000000000000000');
    expect(expectError(unknown, 404).code).toBe('HOOKD_ERR_WEBHOOK_NOT_FOUND');
    const other = await t.call('POST', '/api/v1/workspaces', { body: { name: 'stats-other' } });
    const key = (await t.call('POST', `/api/v1/workspaces/${other.body.id}/keys`, { body: {} })).body.key;
    const foreign = await t.call('GET', `/api/v1/stats?webhookId=${busy.id}`, { key });
    expect(expectError(foreign, 404).code).toBe('HOOKD_ERR_WEBHOOK_NOT_FOUND');
    expect((await t.call('GET', '/api/v1/stats', { key })).body).toEqual({ data: [] });
  });

  it("gives a portal link its own webhooks' numbers only", async () => {
    const link = await t.call('POST', '/api/v1/portal-sessions', { body: { webhookIds: [quiet.id] } });
    const asPortal = { key: null, headers: { authorization: `Bearer ${link.body.token}` } };
    const listed = await t.call('GET', '/api/v1/stats', asPortal);
    expect(listed.body.data.map((one: { webhookId: string }) => one.webhookId)).toEqual([quiet.id]);
    const hidden = await t.call('GET', `/api/v1/stats?webhookId=${busy.id}`, asPortal);
    expect(expectError(hidden, 404).code).toBe('HOOKD_ERR_WEBHOOK_NOT_FOUND');
  });
});
