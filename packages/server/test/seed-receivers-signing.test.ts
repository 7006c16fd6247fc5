// Receivers as the seed pages show them, through hookd's signing options: secret rotation, scheme "none", and custom
// headers and retries.
import * as crypto from 'node:crypto';
import { verify, WebhookVerificationError } from '@hookd/verify';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { headerMap, startReceiver } from './support/receiver.js';
import { verifyWebhook } from './support/seed-snippets.js';
import { createWebhook, publish, seedTestApps, settledDelivery } from './support/seed-rig.js';
import type { TestApp } from './support/test-app.js';

// ---- The test rig.
let t: TestApp;
seedTestApps((app) => (t = app));

describe('secret rotation', () => {
  it('standard: two space-separated v1 signatures, each secret verifies', async () => {
    const standard = await startReceiver();
    const webhook = await createWebhook(t, { url: `${standard.origin}/hooks` });
    const rotated = await t.call('POST', `/api/v1/webhooks/${webhook.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const oldSecret = webhook.secret!;
    const newSecret = rotated.body.secret as string;
    expect(newSecret).not.toBe(oldSecret);

    await publish(t, { type: 'message.created', data: { text: 'hi' } });
    const received = await standard.answered(1);
    const headers = headerMap(received.headers);
    const signatures = headers['webhook-signature']!.split(' ');
    expect(signatures).toHaveLength(2);
    for (const signature of signatures) expect(signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);

    expect(new Webhook(oldSecret).verify(received.body, headers)).toMatchObject({ type: 'message.created' });
    expect(new Webhook(newSecret).verify(received.body, headers)).toMatchObject({ type: 'message.created' });
    // Each secret verifies on its own signature: drop the other one and it still passes.
    for (const secret of [oldSecret, newSecret]) {
      const matching = signatures.filter((signature) => {
        try {
          new Webhook(secret).verify(received.body, { ...headers, 'webhook-signature': signature });
          return true;
        } catch {
          return false;
        }
      });
      expect(matching).toHaveLength(1);
    }
    const stranger = 'whsec_' + crypto.randomBytes(32).toString('base64');
    expect(() => new Webhook(stranger).verify(received.body, headers)).toThrow();
    for (const secret of [oldSecret, newSecret, [stranger, oldSecret]])
      expect(verify(received.raw, received.headers, secret)).toMatchObject({ type: 'message.created' });
    expect(() => verify(received.raw, received.headers, stranger)).toThrow(WebhookVerificationError);
  });

  it('body: the Signature header verifies with the new secret, Signature-Previous with the old one', async () => {
    const platica = await startReceiver();
    const oldSecret = 'platica-old-secret-1';
    const newSecret = 'platica-new-secret-2';
    const webhook = await createWebhook(t, {
      url: `${platica.origin}/hooks`,
      secret: oldSecret,
      signature: { scheme: 'body' },
    });
    const rotated = await t.call('POST', `/api/v1/webhooks/${webhook.id}/rotate-secret`, {
      body: { secret: newSecret },
    });
    expect(rotated.status).toBe(200);

    await publish(t, { type: 'conversation.created', data: { id: 'conv_9' } });
    const received = await platica.answered(1);
    const h = headerMap(received.headers);
    expect(verifyWebhook(newSecret, received.raw, h['x-webhook-signature']!)).toBe(true);
    expect(verifyWebhook(oldSecret, received.raw, h['x-webhook-signature-previous']!)).toBe(true);
    expect(verifyWebhook(oldSecret, received.raw, h['x-webhook-signature']!)).toBe(false);
    for (const secret of [oldSecret, newSecret])
      expect(verify(received.raw, received.headers, secret, { scheme: 'body' })).toMatchObject({
        type: 'conversation.created',
      });
  });
});

describe('scheme "none"', () => {
  it('sends no signature headers at all', async () => {
    const plain = await startReceiver();
    const webhook = await createWebhook(t, { url: `${plain.origin}/hooks`, signature: { scheme: 'none' } });
    expect(webhook).not.toHaveProperty('secret');
    const published = await publish(t, { type: 'conversation.created', data: {} });
    const received = await plain.answered(1);
    const names = Object.keys(received.headers);

    expect(names.filter((name) => /signature|nonce/i.test(name))).toEqual([]);
    expect(names).not.toContain('webhook-id');
    expect(names).not.toContain('webhook-timestamp');
    expect(received.headers['x-webhook-event-id']).toBe(published.id); // still a hookd delivery, just unsigned
  });
});

describe('custom headers and retries', () => {
  it("sends the webhook's own headers, and byte-identical bodies with the same webhook-id on a retry", async () => {
    const flaky = await startReceiver(({ index }) => ({ status: index === 0 ? 500 : 200 }));
    const webhook = await createWebhook(t, {
      url: `${flaky.origin}/hooks`,
      headers: { Authorization: 'Bearer receiver-token', 'X-Tenant': 'acme' },
      retry: { schedule: ['100ms'] },
    });
    const published = await publish(t, { type: 'message.created', data: { text: 'héllo ✓', amount: 1200 } });
    const first = await flaky.answered(1);
    const second = await flaky.answered(2);

    expect([first.status, second.status]).toEqual([500, 200]);
    for (const attempt of [first, second]) {
      expect(attempt.headers.authorization).toBe('Bearer receiver-token');
      expect(attempt.headers['x-tenant']).toBe('acme');
      expect(new Webhook(webhook.secret!).verify(attempt.body, headerMap(attempt.headers))).toMatchObject({
        id: published.id,
      });
    }
    expect(first.raw.equals(second.raw)).toBe(true);
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(first.headers['webhook-id']).toBe(published.id);

    const delivery = await settledDelivery(t, webhook.id, 'success');
    expect(delivery).toMatchObject({ attempts: 2, responseStatus: 200 });
    const attempts = await t.call('GET', `/api/v1/deliveries/${delivery.id}/attempts`);
    expect(attempts.body.data.map((a: { responseStatus: number }) => a.responseStatus)).toEqual([500, 200]);
  });
});
