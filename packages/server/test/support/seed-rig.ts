// Creating, publishing and reading the delivery log for the seed-receiver tests, on the app each test starts.
import { afterEach, expect } from 'vitest';
import { appForEachTest } from './app-per-test.js';
import { eventually } from './eventually.js';
import type { TestApp } from './test-app.js';

export async function createWebhook(t: TestApp, body: Record<string, unknown>) {
  const created = await t.call('POST', '/api/v1/webhooks', { body });
  if (created.status !== 201) throw new Error(`webhook not created: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body as { id: string; secret?: string };
}

export async function publish(t: TestApp, body: Record<string, unknown>) {
  const published = await t.call('POST', '/api/v1/events', { body });
  expect(published.status).toBe(202);
  expect(published.body.deliveries).toBe(1);
  return published.body as { id: string; type: string };
}

/** Waits (bounded) until the delivery log shows the webhook's newest delivery in `status`, and returns it. */
export async function settledDelivery(t: TestApp, webhookId: string, status: 'success' | 'failed') {
  return eventually(
    async () => {
      const log = await t.call('GET', `/api/v1/webhooks/${webhookId}/deliveries`);
      expect(log.status).toBe(200);
      expect(log.body.data[0]?.status).toBe(status);
      return log.body.data[0];
    },
    10_000,
    25,
  );
}

/** The body with its amount changed, as an attacker would. */
export const tamper = (body: string) => {
  const tampered = body.replace('"amount":1200', '"amount":9200');
  expect(tampered).not.toBe(body);
  return tampered;
};

/**
 * A fresh app before each seed test, handed to `use`, closed after it with its receivers; and WEBHOOK_SECRET, which
 * the seeds' receivers read, put back as it was.
 */
export function seedTestApps(use: (app: TestApp) => void): void {
  const savedSecret = process.env.WEBHOOK_SECRET;
  appForEachTest(use);
  afterEach(() => {
    if (savedSecret === undefined) delete process.env.WEBHOOK_SECRET;
    else process.env.WEBHOOK_SECRET = savedSecret;
  });
}
