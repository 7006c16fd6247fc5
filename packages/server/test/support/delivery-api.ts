// Small API steps the delivery tests share: create a webhook, publish, read a webhook's deliveries and a delivery's attempts.
import { expect } from 'vitest';
import { eventually } from './eventually.js';
import type { TestApp } from './test-app.js';

export async function createWebhook(t: TestApp, body: Record<string, unknown>, key?: string): Promise<any> {
  const created = await t.call('POST', '/api/v1/webhooks', { body, ...(key !== undefined ? { key } : {}) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

export async function publish(
  t: TestApp,
  body: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<any> {
  const published = await t.call('POST', '/api/v1/events', {
    body: { data: {}, ...body },
    ...(headers ? { headers } : {}),
  });
  expect(published.status, JSON.stringify(published.body)).toBe(202);
  return published.body;
}

/** The webhook's deliveries, newest first (up to 100). */
export async function deliveriesOf(t: TestApp, webhookId: string, query = ''): Promise<any[]> {
  const listed = await t.call('GET', `/api/v1/webhooks/${webhookId}/deliveries?limit=100${query}`);
  expect(listed.status, JSON.stringify(listed.body)).toBe(200);
  return listed.body.data;
}

export async function attemptsOf(t: TestApp, deliveryId: string): Promise<any[]> {
  const listed = await t.call('GET', `/api/v1/deliveries/${deliveryId}/attempts`);
  expect(listed.status, JSON.stringify(listed.body)).toBe(200);
  return listed.body.data;
}

export async function webhookStatus(t: TestApp, webhookId: string): Promise<string> {
  return (await t.call('GET', `/api/v1/webhooks/${webhookId}`)).body.status;
}

/** Waits until the webhook has exactly `count` deliveries and none is pending; answers them newest first. */
export async function settledDeliveries(
  t: TestApp,
  webhookId: string,
  count: number,
  timeoutMs = 8_000,
): Promise<any[]> {
  return eventually(async () => {
    const deliveries = await deliveriesOf(t, webhookId);
    expect(deliveries).toHaveLength(count);
    for (const delivery of deliveries) expect(delivery.status).not.toBe('pending');
    return deliveries;
  }, timeoutMs);
}

/** The webhook's only delivery, once it is no longer pending. */
export async function settledOnlyDelivery(t: TestApp, webhookId: string, timeoutMs = 8_000): Promise<any> {
  return (await settledDeliveries(t, webhookId, 1, timeoutMs))[0];
}
