// The webhook endpoints through HTTP on a real SQLite file: create, read, list, change, delete, rotate.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
let now: Date;
beforeEach(async () => {
  now = new Date('2026-05-06T19:00:00.000Z');
  t = await startTestApp({ clock: () => now });
});
afterEach(async () => t.close());

const fullWebhook = {
  url: 'https://hooks.example.com/platos',
  description: 'CRM sync',
  events: ['conversation.created', 'message.*'],
  active: false,
  headers: { Authorization: 'Bearer receiver-token', 'X-Tenant': 'acme' },
  signature: { scheme: 'timestamp-nonce', headerPrefix: 'X-Platos-' },
  retry: { schedule: ['1s', '5s', '30s'], retryOn4xx: false },
  timeout: '10s',
  rateLimit: 50,
  ordering: 'fifo',
  filter: { 'data.amount': { $gt: 100 }, $or: [{ type: 'message.rated' }, { 'data.priority': { $in: ['high'] } }] },
  secret: 'platos-shared-secret-1',
};

describe('POST /api/v1/webhooks', () => {
  it('creates a webhook with defaults and shows a generated whsec_ secret once', async () => {
    const created = await t.call('POST', '/api/v1/webhooks', { body: { url: 'https://example.com/hooks' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      url: 'https://example.com/hooks',
      description: '',
      events: ['*'],
      active: true,
      status: 'healthy',
      headers: {},
      signature: { scheme: 'standard', headerPrefix: 'X-Webhook-' },
      retry: { schedule: ['5s', '5m', '30m', '2h', '5h', '10h', '10h'], retryOn4xx: true },
      timeout: '30s',
      rateLimit: null,
      ordering: 'none',
      filter: null,
      createdAt: '2026-05-06T19:00:00.000Z',
      updatedAt: '2026-05-06T19:00:00.000Z',
    });
    expect(created.body.id).toMatch(/^wh_[0-9A-Z]{26}$/);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(created.body.secret.slice(6), 'base64')).toHaveLength(32);

    const read = await t.call('GET', `/api/v1/webhooks/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty('secret');
    expect(read.body).toEqual({ ...created.body, secret: undefined });
  });

  it('accepts, stores and returns every field of the webhook object', async () => {
    const created = await t.call('POST', '/api/v1/webhooks', { body: fullWebhook });
    expect(created.status).toBe(201);
    const { secret, headers, ...settings } = fullWebhook;
    // Header values are credentials for the receiver: answers name the headers and mask their values.
    const shown = { ...settings, headers: { Authorization: '[redacted]', 'X-Tenant': '[redacted]' } };
    expect(created.body).toMatchObject({ ...shown, status: 'healthy', secret });
    const read = await t.call('GET', `/api/v1/webhooks/${created.body.id}`);
    expect(read.body).toMatchObject(shown);
    expect((await t.store.getWebhook(t.workspaceId, created.body.id))?.headers).toEqual(headers);
  });

  it('takes no secret for scheme "none" and shows none', async () => {
    const created = await t.call('POST', '/api/v1/webhooks', {
      body: { url: 'https://example.com/h', signature: { scheme: 'none' } },
    });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('secret');
    const withSecret = await t.call('POST', '/api/v1/webhooks', {
      body: { url: 'https://example.com/h', signature: { scheme: 'none' }, secret: 'abcdefghijkl' },
    });
    expect(expectError(withSecret, 400).details).toContainEqual({
      field: 'secret',
      message: expect.stringContaining('none'),
    });
  });

  it('accepts a given whsec_ secret for the standard scheme', async () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const created = await t.call('POST', '/api/v1/webhooks', { body: { url: 'https://example.com/h', secret } });
    expect(created.status).toBe(201);
    expect(created.body.secret).toBe(secret);
    expect((await t.store.getWebhook(t.workspaceId, created.body.id))?.secret).toBe(secret);
  });
});

describe('GET /api/v1/webhooks', () => {
  it('pages newest first with limit and nextCursor until the end', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      now = new Date(now.getTime() + 1000);
      ids.push((await t.call('POST', '/api/v1/webhooks', { body: { url: `https://example.com/${i}` } })).body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await t.call('GET', `/api/v1/webhooks?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((w: { id: string }) => w.id));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
    const page = await t.call('GET', '/api/v1/webhooks');
    expect(page.body.data.every((w: object) => !('secret' in w))).toBe(true);
  });

  it('answers an empty list with a null cursor', async () => {
    const page = await t.call('GET', '/api/v1/webhooks');
    expect(page.body).toEqual({ data: [], nextCursor: null });
  });
});

describe('PATCH /api/v1/webhooks/:id', () => {
  it('changes only the fields given, merging signature and retry', async () => {
    const created = (await t.call('POST', '/api/v1/webhooks', { body: fullWebhook })).body;
    now = new Date(now.getTime() + 60_000);
    const patched = await t.call('PATCH', `/api/v1/webhooks/${created.id}`, {
      body: {
        description: 'renamed',
        retry: { schedule: ['100ms', '200ms'] },
        signature: { headerPrefix: 'X-Acme-' },
        rateLimit: null,
        filter: null,
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      description: 'renamed',
      url: fullWebhook.url,
      events: fullWebhook.events,
      retry: { schedule: ['100ms', '200ms'], retryOn4xx: false },
      signature: { scheme: 'timestamp-nonce', headerPrefix: 'X-Acme-' },
      rateLimit: null,
      filter: null,
      createdAt: created.createdAt,
      updatedAt: '2026-05-06T19:01:00.000Z',
    });
    expect(patched.body).not.toHaveProperty('secret');
    expect((await t.call('GET', `/api/v1/webhooks/${created.id}`)).body).toEqual(patched.body);
  });

  it('makes and shows a secret when a webhook moves off scheme "none"', async () => {
    const created = (
      await t.call('POST', '/api/v1/webhooks', {
        body: { url: 'https://example.com/h', signature: { scheme: 'none' } },
      })
    ).body;
    const patched = await t.call('PATCH', `/api/v1/webhooks/${created.id}`, {
      body: { signature: { scheme: 'standard' } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.secret).toMatch(/^whsec_/);
  });

  it('refuses a scheme the current secret cannot sign with', async () => {
    const created = (
      await t.call('POST', '/api/v1/webhooks', {
        body: { url: 'https://example.com/h', signature: { scheme: 'body' }, secret: 'plain-text-secret' },
      })
    ).body;
    const patched = await t.call('PATCH', `/api/v1/webhooks/${created.id}`, {
      body: { signature: { scheme: 'standard' } },
    });
    expect(expectError(patched, 400).details?.[0]?.field).toBe('signature.scheme');
  });

  it('re-activating a webhook that hookd disabled makes it healthy again', async () => {
    const created = (await t.call('POST', '/api/v1/webhooks', { body: { url: 'https://example.com/h' } })).body;
    const stored = (await t.store.getWebhook(t.workspaceId, created.id))!;
    await t.store.updateWebhook(t.workspaceId, stored.id, { status: 'disabled', updatedAt: stored.updatedAt });
    expect((await t.call('GET', `/api/v1/webhooks/${created.id}`)).body.status).toBe('disabled');
    const patched = await t.call('PATCH', `/api/v1/webhooks/${created.id}`, { body: { active: true } });
    expect(patched.body.status).toBe('healthy');
  });
});

describe('DELETE /api/v1/webhooks/:id', () => {
  it('deletes, then answers 404', async () => {
    const created = (await t.call('POST', '/api/v1/webhooks', { body: { url: 'https://example.com/h' } })).body;
    const deleted = await t.call('DELETE', `/api/v1/webhooks/${created.id}`);
    expect(deleted.status).toBe(204);
    expect(expectError(await t.call('GET', `/api/v1/webhooks/${created.id}`), 404).code).toBe(
      'HOOKD_ERR_WEBHOOK_NOT_FOUND',
    );
    expect(expectError(await t.call('DELETE', `/api/v1/webhooks/${created.id}`), 404).code).toBe(
      'HOOKD_ERR_WEBHOOK_NOT_FOUND',
    );
  });
});

describe('POST /api/v1/webhooks/:id/rotate-secret', () => {
  it('shows a new secret and keeps the old one signing for 24 hours', async () => {
    const created = (await t.call('POST', '/api/v1/webhooks', { body: { url: 'https://example.com/h' } })).body;
    const rotated = await t.call('POST', `/api/v1/webhooks/${created.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.secret);
    const stored = await t.store.getWebhook(t.workspaceId, created.id);
    expect(stored?.secret).toBe(rotated.body.secret);
    expect(stored?.previousSecret).toBe(created.secret);
    expect(stored?.previousSecretExpiresAt?.toISOString()).toBe('2026-05-07T19:00:00.000Z');
  });

  it('takes a chosen secret, checked against the scheme', async () => {
    const created = (
      await t.call('POST', '/api/v1/webhooks', {
        body: { url: 'https://example.com/h', signature: { scheme: 'body' }, secret: 'first-secret' },
      })
    ).body;
    const rotated = await t.call('POST', `/api/v1/webhooks/${created.id}/rotate-secret`, {
      body: { secret: 'second-secret' },
    });
    expect(rotated.body.secret).toBe('second-secret');
    const bad = await t.call('POST', `/api/v1/webhooks/${created.id}/rotate-secret`, { body: { secret: 'short' } });
    expect(expectError(bad, 400).details?.[0]?.field).toBe('secret');
  });

  it('answers 422 for a webhook that signs nothing', async () => {
    const created = (
      await t.call('POST', '/api/v1/webhooks', {
        body: { url: 'https://example.com/h', signature: { scheme: 'none' } },
      })
    ).body;
    expect(expectError(await t.call('POST', `/api/v1/webhooks/${created.id}/rotate-secret`), 422).code).toBe(
      'HOOKD_ERR_UNPROCESSABLE',
    );
  });
});
