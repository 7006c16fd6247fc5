// The network policy through the API: targets it forbids are refused at create and on PATCH, and blocked at delivery.
import { describe, expect, it } from 'vitest';
import { appsClosedAfterEach } from './support/app-per-test.js';
import { startReceiver } from './support/receiver.js';
import { createWebhook, publish, settledOnlyDelivery } from './support/delivery-api.js';
import { expectError } from './support/test-app.js';

const app = appsClosedAfterEach();

describe('network policy', () => {
  it('refuses at create time (422 on url) literal addresses the policy forbids', async () => {
    const t = await app({ engine: { allowNetworks: [] } });
    for (const url of [
      'http://127.0.0.1:1/x',
      'http://10.0.0.1/',
      'https://169.254.169.254/latest',
      'https://[::1]/x',
      'https://localhost/x',
    ]) {
      const error = expectError(await t.call('POST', '/api/v1/webhooks', { body: { url } }), 422);
      expect(error.details?.map((d) => d.field)).toEqual(['url']);
      expect(error.message).toMatch(/^url: /);
    }
    expect(
      expectError(await t.call('POST', '/api/v1/webhooks', { body: { url: 'http://10.0.0.1/' } }), 422).message,
    ).toContain('private');
    expect((await t.call('GET', '/api/v1/webhooks')).body.data).toEqual([]);
  });

  it('refuses at create time and on PATCH a loopback URL while the policy forbids it', async () => {
    const t = await app({ engine: { allowNetworks: [] } });
    const webhook = await createWebhook(t, { url: 'https://example.com/hook' });
    const error = expectError(
      await t.call('PATCH', `/api/v1/webhooks/${webhook.id}`, { body: { url: 'http://127.0.0.1:8080/x' } }),
      422,
    );
    expect(error.details?.[0]?.field).toBe('url');
    expect((await t.call('GET', `/api/v1/webhooks/${webhook.id}`)).body.url).toBe('https://example.com/hook');
  });

  it('refuses at create time and on PATCH plain http to a name when no setting lets plain http reach it (issue #15)', async () => {
    const t = await app({ engine: { allowNetworks: [] } });
    const refused = expectError(
      await t.call('POST', '/api/v1/webhooks', { body: { url: 'http://example.com/hook' } }),
      422,
    );
    expect(refused.details).toEqual([{ field: 'url', message: expect.stringContaining('can never be delivered') }]);
    expect(refused.message).toMatch(/^url: plain http to example\.com .*--allow-http/);
    expect(refused.message).toContain('--allow-network');

    const webhook = await createWebhook(t, { url: 'https://example.com/hook' });
    const patched = expectError(
      await t.call('PATCH', `/api/v1/webhooks/${webhook.id}`, { body: { url: 'http://example.com/hook' } }),
      422,
    );
    expect(patched.details?.[0]?.field).toBe('url');
    expect((await t.call('GET', `/api/v1/webhooks/${webhook.id}`)).body.url).toBe('https://example.com/hook');
  });

  it('refuses at create time IPv6 outside global unicast, such as ::ffff:ffff:a9fe:a9fe (issue #15)', async () => {
    const t = await app();
    for (const url of ['https://[::ffff:ffff:a9fe:a9fe]/', 'https://[fe00::1]/hook']) {
      const error = expectError(await t.call('POST', '/api/v1/webhooks', { body: { url } }), 422);
      expect(error.details).toEqual([
        { field: 'url', message: expect.stringContaining('outside IPv6 global unicast (2000::/3)') },
      ]);
    }
    expect((await t.call('GET', '/api/v1/webhooks')).body.data).toEqual([]);
  });

  it('refuses port 0 at create time and on PATCH, even to an allowed network (issue #15)', async () => {
    const t = await app();
    for (const url of ['http://127.0.0.1:0/', 'https://x:0/']) {
      const error = expectError(await t.call('POST', '/api/v1/webhooks', { body: { url } }), 422);
      expect(error.details).toEqual([{ field: 'url', message: expect.stringContaining('port 0') }]);
    }
    const webhook = await createWebhook(t, { url: 'https://example.com/hook' });
    expect(
      expectError(
        await t.call('PATCH', `/api/v1/webhooks/${webhook.id}`, { body: { url: 'https://example.com:0/hook' } }),
        422,
      ).details?.[0]?.field,
    ).toBe('url');
    expect((await t.call('GET', '/api/v1/webhooks')).body.data.map((w: { url: string }) => w.url)).toEqual([
      'https://example.com/hook',
    ]);
  });

  it('accepts plain http to a name with --allow-http, or when a network it may resolve into is allowed', async () => {
    const withHttp = await app({ engine: { allowNetworks: [], allowHttp: true } });
    expect((await createWebhook(withHttp, { url: 'http://example.com/hook' })).url).toBe('http://example.com/hook');
    // Loopback is allowed here (the test default): a name such as a compose service may resolve into an allowed
    // network, and only the connect-time check can tell.
    const withNetwork = await app();
    expect((await createWebhook(withNetwork, { url: 'http://receiver.internal:3000/hook' })).url).toBe(
      'http://receiver.internal:3000/hook',
    );
  });

  it('refuses at create time 127.0.0.1 spelled as IPv4-compatible or IPv4-translated IPv6 (issue #15)', async () => {
    const t = await app();
    for (const [url, form] of [
      ['https://[::127.0.0.1]/', 'IPv4-compatible'],
      ['https://[::ffff:0:7f00:1]/', 'IPv4-translated'],
    ] as const) {
      const error = expectError(await t.call('POST', '/api/v1/webhooks', { body: { url } }), 422);
      expect(error.details).toEqual([{ field: 'url', message: expect.stringContaining(form) }]);
      expect(error.message).toMatch(/^url: .*carrying 127\.0\.0\.1/);
    }
    expect((await t.call('GET', '/api/v1/webhooks')).body.data).toEqual([]);
  });

  it('blocks at delivery time an IPv4-compatible or IPv4-translated target the policy no longer allows', async () => {
    const allowing = await app({ engine: { allowNetworks: ['::/96', '::ffff:0:0:0/96'] } });
    const webhooks = [
      await createWebhook(allowing, { url: 'https://[::127.0.0.1]/hook', retry: { schedule: [] } }),
      await createWebhook(allowing, { url: 'https://[::ffff:0:7f00:1]/hook', retry: { schedule: [] } }),
    ];
    await allowing.stop();
    const t = await app({ database: allowing.database });
    expect((await publish(t, { type: 'order.created' })).deliveries).toBe(2);

    for (const [webhook, form] of [
      [webhooks[0]!, 'IPv4-compatible'],
      [webhooks[1]!, 'IPv4-translated'],
    ] as const) {
      const delivery = await settledOnlyDelivery(t, webhook.id);
      expect(delivery).toMatchObject({ status: 'failed', attempts: 1, responseStatus: null });
      expect(delivery.lastError).toContain('blocked by network policy');
      expect(delivery.lastError).toContain(form);
    }
  });

  it('blocks at delivery time a loopback target the policy no longer allows', async () => {
    const r = await startReceiver();
    // Created while loopback was allowed…
    const permissive = await app();
    const webhook = await createWebhook(permissive, { url: r.url, retry: { schedule: [] } });
    await permissive.stop();
    // …then the operator removed the allowance.
    const t = await app({ database: permissive.database, engine: { allowNetworks: [] } });
    expect((await publish(t, { type: 'order.created' })).deliveries).toBe(1);

    const delivery = await settledOnlyDelivery(t, webhook.id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, responseStatus: null });
    expect(delivery.lastError).toContain('blocked by network policy');
    expect(delivery.lastError).toContain('loopback');
    expect(r.requests).toHaveLength(0);
  });
});
