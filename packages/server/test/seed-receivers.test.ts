// Receivers written exactly as the seed pages (000, 001, 004) and Standard Webhooks show accept hookd's real deliveries.
import { verify, WebhookVerificationError } from '@hookd/verify';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { httpCall } from './support/http-call.js';
import { headerMap, startListenerReceiver, startReceiver } from './support/receiver.js';
import {
  asWebRoute,
  platosApp,
  platphormRoute,
  verifyWebhook,
  verifyWebhookSignature,
} from './support/seed-snippets.js';
import { createWebhook, publish, seedTestApps, settledDelivery, tamper } from './support/seed-rig.js';
import type { TestApp } from './support/test-app.js';

// ---- The test rig.
let t: TestApp;
seedTestApps((app) => (t = app));

describe('seed 000 (Platos): the Express receiver with timestamp-nonce hex signatures', () => {
  it('accepts a delivery, sees event.event, and the delivery log shows success', async () => {
    const events: any[] = [];
    const platos = await startListenerReceiver(platosApp((event) => events.push(event)));
    const webhook = await createWebhook(t, {
      url: `${platos.origin}/webhooks/platos`,
      signature: { scheme: 'timestamp-nonce', headerPrefix: 'X-Platos-' },
    });
    process.env.WEBHOOK_SECRET = webhook.secret!;

    const published = await publish(t, {
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

    const delivery = await settledDelivery(t, webhook.id, 'success');
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
    const webhook = await createWebhook(t, {
      url: `${platos.origin}/webhooks/platos`,
      signature: { scheme: 'timestamp-nonce', headerPrefix: 'X-Platos-' },
    });
    process.env.WEBHOOK_SECRET = webhook.secret!;

    await publish(t, { type: 'conversation.created', data: { n: 1 } });
    const first = await platos.answered(1);
    const firstDelivery = await settledDelivery(t, webhook.id, 'success');
    await publish(t, { type: 'conversation.created', data: { n: 2 } });
    const second = await platos.answered(2);
    await settledDelivery(t, webhook.id, 'success');
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
    const webhook = await createWebhook(t, {
      url: `${platos.origin}/webhooks/platos`,
      signature: { scheme: 'timestamp-nonce', headerPrefix: 'X-Platos-' },
    });
    process.env.WEBHOOK_SECRET = webhook.secret!;
    await publish(t, { type: 'conversation.created', data: { amount: 1200 } });
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
    const webhook = await createWebhook(t, { url: `${platica.origin}/hooks`, secret, signature: { scheme: 'body' } });
    const published = await publish(t, {
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

    await settledDelivery(t, webhook.id, 'success');

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
    const webhook = await createWebhook(t, {
      url: `${platphorm.origin}/webhooks/platphorm`,
      secret: 'your-webhook-secret',
      signature: { scheme: 'body', headerPrefix: 'X-Platphorm-' },
    });
    process.env.WEBHOOK_SECRET = 'your-webhook-secret';

    const metadata = { source: 'platphorm-design', environment: 'production', designId: 'dsg_1' };
    const published = await publish(t, {
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
    await settledDelivery(t, webhook.id, 'success');

    const signature = received.headers['x-platphorm-signature'] as string;
    expect(verifyWebhookSignature(received.body, signature, 'your-webhook-secret')).toBe(true);
    expect(verifyWebhookSignature(tamper(received.body), signature, 'your-webhook-secret')).toBe(false);
    expect(
      verify(received.raw, received.headers, 'your-webhook-secret', { scheme: 'body', headerPrefix: 'X-Platphorm-' }),
    ).toEqual(events[0]);
  });

  it('leaves apiVersion and metadata out of the envelope when they were not published', async () => {
    const platphorm = await startReceiver();
    await createWebhook(t, {
      url: `${platphorm.origin}/webhooks/platphorm`,
      secret: 'your-webhook-secret',
      signature: { scheme: 'body', headerPrefix: 'X-Platphorm-' },
    });
    await publish(t, { type: 'design.created', data: { designId: 'dsg_2' } });
    const payload = JSON.parse((await platphorm.answered(1)).body);
    expect(payload.type).toBe('design.created');
    expect(payload).not.toHaveProperty('apiVersion');
    expect(payload).not.toHaveProperty('metadata');
  });
});

describe('Standard Webhooks: the standardwebhooks npm package verifies the default scheme', () => {
  it('verifies a delivery of a default webhook and returns the payload', async () => {
    const standard = await startReceiver();
    const webhook = await createWebhook(t, { url: `${standard.origin}/hooks` });
    expect(webhook.secret).toMatch(/^whsec_/);
    const published = await publish(t, { type: 'message.rated', data: { rating: 5, amount: 1200 } });
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
