// What the API never reads back: a webhook's own header values (credentials for its receiver) and its signing secret.
import { verify } from '@hookd/verify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attemptsOf, createWebhook, publish, settledDeliveries } from './support/delivery-api.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { expectError, startTestApp, type CallResult, type TestApp } from './support/test-app.js';

const TOKEN = 'Bearer receiver-token-7f3a9c';
const TENANT = 'acme-tenant-42';
/** Every field of a webhook's answer that a PATCH takes. */
const EDITABLE = [
  'url',
  'description',
  'events',
  'active',
  'headers',
  'signature',
  'retry',
  'timeout',
  'rateLimit',
  'ordering',
  'filter',
];

let t: TestApp;
let receiver: Receiver;
beforeEach(async () => {
  t = await startTestApp();
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
  await t.close();
});

/** Fails naming the call when any of `texts` shows anywhere in its answer. */
function expectNowhere(answers: Record<string, CallResult>, texts: string[]): void {
  for (const [call, answer] of Object.entries(answers)) {
    const body = JSON.stringify(answer.body);
    for (const text of texts) expect(body.includes(text), `${call} shows "${text}": ${body}`).toBe(false);
  }
}

describe("a webhook's header values", () => {
  it('are named but never shown by create, read, list and change', async () => {
    const answers: Record<string, CallResult> = {};
    answers.create = await t.call('POST', '/api/v1/webhooks', {
      body: { url: receiver.url, headers: { Authorization: TOKEN, 'X-Tenant': TENANT } },
    });
    expect(answers.create.status).toBe(201);
    const id = answers.create.body.id as string;
    answers.get = await t.call('GET', `/api/v1/webhooks/${id}`);
    answers.list = await t.call('GET', '/api/v1/webhooks');
    answers.patch = await t.call('PATCH', `/api/v1/webhooks/${id}`, { body: { description: 'renamed' } });

    expectNowhere(answers, [TOKEN, 'receiver-token', TENANT]);
    const masked = { Authorization: '[redacted]', 'X-Tenant': '[redacted]' };
    expect(answers.create.body.headers).toEqual(masked);
    expect(answers.get.body.headers).toEqual(masked);
    expect(answers.list.body.data[0].headers).toEqual(masked);
    expect(answers.patch.body.headers).toEqual(masked);
  });

  it('survive a PATCH that sends the webhook back as it was read, and reach the receiver', async () => {
    const webhook = await createWebhook(t, {
      url: receiver.url,
      headers: { Authorization: TOKEN, 'X-Tenant': TENANT },
    });
    const id = webhook.id as string;
    // The client changes one thing and sends every setting back, the masked header values included.
    const settings = Object.fromEntries(EDITABLE.map((field) => [field, webhook[field]]));
    const patched = await t.call('PATCH', `/api/v1/webhooks/${id}`, {
      body: { ...settings, description: 'edited in a form' },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);

    await publish(t, { type: 'order.paid' });
    await settledDeliveries(t, id, 1);
    expect(receiver.requests[0]!.headers.authorization).toBe(TOKEN);
    expect(receiver.requests[0]!.headers['x-tenant']).toBe(TENANT);
  });

  it("change where a new value is sent, and keep theirs where the mask is, whatever the name's case", async () => {
    const webhook = await createWebhook(t, {
      url: receiver.url,
      headers: { Authorization: TOKEN, 'X-Tenant': TENANT },
    });
    const patched = await t.call('PATCH', `/api/v1/webhooks/${webhook.id}`, {
      body: { headers: { authorization: '[redacted]', 'X-Tenant': 'globex' } },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.headers).toEqual({ authorization: '[redacted]', 'X-Tenant': '[redacted]' });

    await publish(t, { type: 'order.paid' });
    await settledDeliveries(t, webhook.id, 1);
    expect(receiver.requests[0]!.headers.authorization).toBe(TOKEN);
    expect(receiver.requests[0]!.headers['x-tenant']).toBe('globex');
  });

  it('refuses the mask where it stands for no stored value: on create, and for a header the webhook lacks', async () => {
    const created = await t.call('POST', '/api/v1/webhooks', {
      body: { url: receiver.url, headers: { Authorization: '[redacted]' } },
    });
    expect(expectError(created, 400).details).toContainEqual({
      field: 'headers.Authorization',
      message: expect.stringContaining('send the value itself'),
    });

    const webhook = await createWebhook(t, { url: receiver.url, headers: { Authorization: TOKEN } });
    const patched = await t.call('PATCH', `/api/v1/webhooks/${webhook.id}`, {
      body: { headers: { Authorization: '[redacted]', 'X-Other': '[redacted]' } },
    });
    expect(expectError(patched, 400).details).toEqual([
      { field: 'headers.X-Other', message: expect.stringContaining('no such header') },
    ]);
  });

  it('are masked in the attempt log too', async () => {
    const webhook = await createWebhook(t, { url: receiver.url, headers: { Authorization: TOKEN } });
    await publish(t, { type: 'order.paid' });
    const [delivery] = await settledDeliveries(t, webhook.id, 1);
    const [attempt] = await attemptsOf(t, delivery.id);
    expect(attempt.requestHeaders.Authorization).toBe('[redacted]');
    expect(JSON.stringify(attempt)).not.toContain('receiver-token');
  });

  it("may not look like hookd's encrypted form, which they would be read back as", async () => {
    const created = await t.call('POST', '/api/v1/webhooks', {
      body: {
        url: receiver.url,
        headers: { 'X-Token': 'enc:v1:0123456789abcdef:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA' },
      },
    });
    expect(expectError(created, 400).details).toContainEqual({
      field: 'headers.X-Token',
      message: expect.stringContaining('"enc:"'),
    });
  });
});

describe("a webhook's signing secret", () => {
  it('is shown on create and rotate only: never by read, list, change, test, the delivery log or the attempt log', async () => {
    const webhook = await createWebhook(t, {
      url: receiver.url,
      signature: { scheme: 'body' },
      secret: 'first-secret-9d2e',
    });
    expect(webhook.secret).toBe('first-secret-9d2e');
    const rotated = await t.call('POST', `/api/v1/webhooks/${webhook.id}/rotate-secret`, {
      body: { secret: 'second-secret-4b1c' },
    });
    expect(rotated.body.secret).toBe('second-secret-4b1c');

    await publish(t, { type: 'order.paid' });
    const [delivery] = await settledDeliveries(t, webhook.id, 1);
    const answers: Record<string, CallResult> = {
      get: await t.call('GET', `/api/v1/webhooks/${webhook.id}`),
      list: await t.call('GET', '/api/v1/webhooks'),
      patch: await t.call('PATCH', `/api/v1/webhooks/${webhook.id}`, { body: { description: 'x' } }),
      test: await t.call('POST', `/api/v1/webhooks/${webhook.id}/test`),
      deliveries: await t.call('GET', `/api/v1/webhooks/${webhook.id}/deliveries`),
      delivery: await t.call('GET', `/api/v1/deliveries/${delivery.id}`),
      attempts: await t.call('GET', `/api/v1/deliveries/${delivery.id}/attempts`),
    };
    for (const [call, answer] of Object.entries(answers)) expect(answer.status, call).toBeLessThan(300);
    expectNowhere(answers, ['first-secret-9d2e', 'second-secret-4b1c']);
    // It signed all the same, with both secrets during the overlap.
    const received = receiver.requests[0]!;
    expect(verify(received.body, received.headers, 'second-secret-4b1c', { scheme: 'body' })).toMatchObject({
      type: 'order.paid',
    });
  });
});
