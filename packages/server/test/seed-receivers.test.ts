// Receivers written exactly as the seed pages (000, 001, 004) and Standard Webhooks show accept hookd's real deliveries.
import * as crypto from 'node:crypto';
import { verify, WebhookVerificationError } from '@hookd/verify';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.js';
import { httpCall } from './support/http-call.js';
import { closeAllReceivers, headerMap, startListenerReceiver, startReceiver } from './support/receiver.js';
import {
  asWebRoute,
  platosApp,
  platphormRoute,
  verifyWebhook,
  verifyWebhookSignature,
} from './support/seed-snippets.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// ---- The test rig.
let t: TestApp;
const savedSecret = process.env.WEBHOOK_SECRET;

beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => {
  await closeAllReceivers();
  await t.close();
  if (savedSecret === undefined) delete process.env.WEBHOOK_SECRET;
  else process.env.WEBHOOK_SECRET = savedSecret;
});

async function createWebhook(body: Record<string, unknown>) {
  const created = await t.call('POST', '/api/v1/webhooks', { body });
  if (created.status !== 201) throw new Error(`webhook not created: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body as { id: string; secret?: string };
}

async function publish(body: Record<string, unknown>) {
  const published = await t.call('POST', '/api/v1/events', { body });
  expect(published.status).toBe(202);
  expect(published.body.deliveries).toBe(1);
  return published.body as { id: string; type: string };
}

/** Waits (bounded) until the delivery log shows the webhook's newest delivery in `status`, and returns it. */
async function settledDelivery(webhookId: string, status: 'success' | 'failed') {
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

const tamper = (body: string) => {
  const tampered = body.replace('"amount":1200', '"amount":9200');
  expect(tampered).not.toBe(body);
  return tampered;
};

describe('seed 000 (Platos): the Express receiver with timestamp-nonce hex signatures', () => {
  it('accepts a delivery, sees event.event, and the delivery log shows success', async () => {
    const events: any[] = [];
    const platos = await startListenerReceiver(platosApp((event) => events.push(event)));
    const webhook = await createWebhook({
      url: `${platos.origin}/webhooks/platos`,
      signature: { scheme: 'timestamp-nonce', headerPrefix: 'X-Platos-' },
    });
    process.env.WEBHOOK_SECRET = webhook.secret!;

    const published = await publish({
      type: 'conversation.created',
      data: { conversationId: 'conv_123', amount: 1200 },
    });
    const received = await platos.answered(1);

    expect(received.status).toBe(200);
    expect(events).toHaveLength(1);
    expect(events[0].event).toBe('conversation.created');
    expect(events[0].id).toBe(published.id);
    expect(events[0].data).toEqual({ conversationId: 'conv_123', amount: 1200 });
    expect(received.headers['x-platos-nonce']).toMatch(/\S/);
    expect(Number(received.headers['x-platos-timestamp'])).toBeCloseTo(Date.now() / 1000, -2);

    const delivery = await settledDelivery(webhook.id, 'success');
    expect(delivery).toMatchObject({
      event: 'conversation.created',
      eventId: published.id,
      responseStatus: 200,
      attempts: 1,
      lastError: null,
    });

    // @hookd/verify accepts the same delivery, and not a tampered copy.
    const options = { scheme: 'timestamp-nonce', headerPrefix: 'X-Platos-' } as const;
    expect(verify(received.raw, received.headers, webhook.secret!, options)).toEqual(events[0]);
    expect(() => verify(tamper(received.body), received.headers, webhook.secret!, options)).toThrow(
      WebhookVerificationError,
    );
  });

  it('sends a different nonce on every delivery and on a redelivery, and the receiver accepts each', async () => {
    const events: any[] = [];
    const platos = await startListenerReceiver(platosApp((event) => events.push(event)));
    const webhook = await createWebhook({
      url: `${platos.origin}/webhooks/platos`,
      signature: { scheme: 'timestamp-nonce', headerPrefix: 'X-Platos-' },
    });
    process.env.WEBHOOK_SECRET = webhook.secret!;

    await publish({ type: 'conversation.created', data: { n: 1 } });
    const first = await platos.answered(1);
    const firstDelivery = await settledDelivery(webhook.id, 'success');
    await publish({ type: 'conversation.created', data: { n: 2 } });
    const second = await platos.answered(2);
    await settledDelivery(webhook.id, 'success');
    const redelivered = await t.call('POST', `/api/v1/webhooks/deliveries/${firstDelivery.id}/retry`);
    expect(redelivered.status).toBe(202);
    const third = await platos.answered(3);

    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    const nonces = [first, second, third].map((r) => r.headers['x-platos-nonce']);
    expect(new Set(nonces).size).toBe(3);
    expect(events.map((e) => e.data.n)).toEqual([1, 2, 1]);
  });

  it('answers 401 to a tampered body', async () => {
    const platos = await startListenerReceiver(platosApp(() => undefined));
    const webhook = await createWebhook({
      url: `${platos.origin}/webhooks/platos`,
      signature: { scheme: 'timestamp-nonce', headerPrefix: 'X-Platos-' },
    });
    process.env.WEBHOOK_SECRET = webhook.secret!;
    await publish({ type: 'conversation.created', data: { amount: 1200 } });
    const genuine = await platos.answered(1);
    expect(genuine.status).toBe(200);

    const { 'x-platos-signature': sig, 'x-platos-timestamp': ts, 'x-platos-nonce': nonce } = headerMap(genuine.headers);
    const replay = (payload: string) =>
      httpCall(`${platos.origin}/webhooks/platos`, {
        payload,
        headers: { 'x-platos-signature': sig!, 'x-platos-timestamp': ts!, 'x-platos-nonce': nonce! },
      });
    expect((await replay(genuine.body)).status).toBe(200); // the same bytes pass: the check below is about the body
    expect((await replay(tamper(genuine.body))).status).toBe(401);
  });
});

describe('seed 001 (Platica): verifyWebhook over the raw body, X-Webhook-Signature: sha256=<hex>', () => {
  const secret = 'platica-shared-secret-42';

  it('verifies, and the envelope and headers carry the seed-001 fields', async () => {
    const verdicts: boolean[] = [];
    const platica = await startReceiver(({ headers, raw }) => {
      const ok = verifyWebhook(secret, raw, headers['x-webhook-signature'] as string);
      verdicts.push(ok);
      return { status: ok ? 200 : 401 };
    });
    const webhook = await createWebhook({ url: `${platica.origin}/hooks`, secret, signature: { scheme: 'body' } });
    const published = await publish({
      event: 'conversation.created',
      source: 'system.conversation.created',
      resourceType: 'conversation',
      resourceId: 'conv_123',
      changes: null,
      data: { id: 'conv_123', channel: 'whatsapp', amount: 1200 },
    });
    const received = await platica.answered(1);

    expect(verdicts).toEqual([true]);
    expect(received.status).toBe(200);
    const payload = JSON.parse(received.body);
    expect(payload).toMatchObject({
      id: published.id,
      event: 'conversation.created',
      workspaceId: t.workspaceId,
      source: 'system.conversation.created',
      resourceType: 'conversation',
      resourceId: 'conv_123',
      changes: null,
      data: { id: 'conv_123', channel: 'whatsapp', amount: 1200 },
    });
    expect(new Date(payload.timestamp).toISOString()).toBe(payload.timestamp);

    const h = headerMap(received.headers);
    expect(h['content-type']).toBe('application/json');
    expect(h['user-agent']).toMatch(/^hookd\/\S+/);
    expect(h['x-webhook-event']).toBe(payload.event);
    expect(h['x-webhook-id']).toBe(webhook.id);
    expect(h['x-webhook-event-id']).toBe(payload.id);
    expect(h['x-webhook-resource-type']).toBe(payload.resourceType);
    expect(h['x-webhook-resource-id']).toBe(payload.resourceId);
    expect(h['x-webhook-timestamp']).toBe(payload.timestamp);
    expect(h['x-webhook-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);

    await settledDelivery(webhook.id, 'success');

    expect(verifyWebhook(secret, tamper(received.body), h['x-webhook-signature']!)).toBe(false);
    expect(verifyWebhook('some-other-secret', received.raw, h['x-webhook-signature']!)).toBe(false);
    expect(verify(received.raw, received.headers, secret, { scheme: 'body' })).toEqual(payload);
    expect(() => verify(received.raw, received.headers, 'some-other-secret', { scheme: 'body' })).toThrow(
      WebhookVerificationError,
    );
  });
});

describe('seed 004 (Platphorm): verifyWebhookSignature in a fetch-style route, X-Platphorm-Signature', () => {
  it('verifies, and the envelope carries type, apiVersion and metadata as published', async () => {
    const events: any[] = [];
    const route = platphormRoute((event) => events.push(event));
    let url = '';
    const platphorm = await startReceiver((raw) => asWebRoute(url, route)(raw));
    url = platphorm.origin;
    const webhook = await createWebhook({
      url: `${platphorm.origin}/webhooks/platphorm`,
      secret: 'your-webhook-secret',
      signature: { scheme: 'body', headerPrefix: 'X-Platphorm-' },
    });
    process.env.WEBHOOK_SECRET = 'your-webhook-secret';

    const metadata = { source: 'platphorm-design', environment: 'production', designId: 'dsg_1' };
    const published = await publish({
      type: 'design.exported',
      apiVersion: '2024-01-01',
      metadata,
      data: { designId: 'dsg_1', format: 'png', amount: 1200 },
    });
    const received = await platphorm.answered(1);

    expect(received.status).toBe(200);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      id: published.id,
      type: 'design.exported',
      apiVersion: '2024-01-01',
      metadata,
      data: { designId: 'dsg_1', format: 'png' },
    });
    expect(new Date(events[0].timestamp).toISOString()).toBe(events[0].timestamp);
    expect(received.headers['x-platphorm-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(received.headers).not.toHaveProperty('x-webhook-signature');
    await settledDelivery(webhook.id, 'success');

    const signature = received.headers['x-platphorm-signature'] as string;
    expect(verifyWebhookSignature(received.body, signature, 'your-webhook-secret')).toBe(true);
    expect(verifyWebhookSignature(tamper(received.body), signature, 'your-webhook-secret')).toBe(false);
    expect(
      verify(received.raw, received.headers, 'your-webhook-secret', { scheme: 'body', headerPrefix: 'X-Platphorm-' }),
    ).toEqual(events[0]);
  });

  it('leaves apiVersion and metadata out of the envelope when they were not published', async () => {
    const platphorm = await startReceiver();
    await createWebhook({
      url: `${platphorm.origin}/webhooks/platphorm`,
      secret: 'your-webhook-secret',
      signature: { scheme: 'body', headerPrefix: 'X-Platphorm-' },
    });
    await publish({ type: 'design.created', data: { designId: 'dsg_2' } });
    const payload = JSON.parse((await platphorm.answered(1)).body);
    expect(payload.type).toBe('design.created');
    expect(payload).not.toHaveProperty('apiVersion');
    expect(payload).not.toHaveProperty('metadata');
  });
});

describe('Standard Webhooks: the standardwebhooks npm package verifies the default scheme', () => {
  it('verifies a delivery of a default webhook and returns the payload', async () => {
    const standard = await startReceiver();
    const webhook = await createWebhook({ url: `${standard.origin}/hooks` });
    expect(webhook.secret).toMatch(/^whsec_/);
    const published = await publish({ type: 'message.rated', data: { rating: 5, amount: 1200 } });
    const received = await standard.answered(1);
    const headers = headerMap(received.headers);

    const verified = new Webhook(webhook.secret!).verify(received.body, headers);
    expect(verified).toEqual(JSON.parse(received.body));
    expect(verified).toMatchObject({
      id: published.id,
      type: 'message.rated',
      event: 'message.rated',
      webhookId: webhook.id,
      data: { rating: 5, amount: 1200 },
    });
    expect(headers['webhook-id']).toBe(published.id);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);

    expect(() => new Webhook(webhook.secret!).verify(tamper(received.body), headers)).toThrow();
    expect(verify(received.raw, received.headers, webhook.secret!)).toEqual(verified);
  });
});

describe('secret rotation', () => {
  it('standard: two space-separated v1 signatures, each secret verifies', async () => {
    const standard = await startReceiver();
    const webhook = await createWebhook({ url: `${standard.origin}/hooks` });
    const rotated = await t.call('POST', `/api/v1/webhooks/${webhook.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const oldSecret = webhook.secret!;
    const newSecret = rotated.body.secret as string;
    expect(newSecret).not.toBe(oldSecret);

    await publish({ type: 'message.created', data: { text: 'hi' } });
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
    const webhook = await createWebhook({
      url: `${platica.origin}/hooks`,
      secret: oldSecret,
      signature: { scheme: 'body' },
    });
    const rotated = await t.call('POST', `/api/v1/webhooks/${webhook.id}/rotate-secret`, {
      body: { secret: newSecret },
    });
    expect(rotated.status).toBe(200);

    await publish({ type: 'conversation.created', data: { id: 'conv_9' } });
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
    const webhook = await createWebhook({ url: `${plain.origin}/hooks`, signature: { scheme: 'none' } });
    expect(webhook).not.toHaveProperty('secret');
    const published = await publish({ type: 'conversation.created', data: {} });
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
    const webhook = await createWebhook({
      url: `${flaky.origin}/hooks`,
      headers: { Authorization: 'Bearer receiver-token', 'X-Tenant': 'acme' },
      retry: { schedule: ['100ms'] },
    });
    const published = await publish({ type: 'message.created', data: { text: 'héllo ✓', amount: 1200 } });
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

    const delivery = await settledDelivery(webhook.id, 'success');
    expect(delivery).toMatchObject({ attempts: 2, responseStatus: 200 });
    const attempts = await t.call('GET', `/api/v1/deliveries/${delivery.id}/attempts`);
    expect(attempts.body.data.map((a: { responseStatus: number }) => a.responseStatus)).toEqual([500, 200]);
  });
});
