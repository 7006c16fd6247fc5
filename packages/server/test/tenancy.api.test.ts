// Workspaces are isolated: one workspace's key never sees or touches another's webhooks and event types; only admin keys manage workspaces.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
let workspaceB: string;
let keyB: string;
beforeEach(async () => {
  t = await startTestApp();
  const created = await t.call('POST', '/api/v1/workspaces', { body: { name: 'tenant-b' } });
  expect(created.status).toBe(201);
  workspaceB = created.body.id;
  const issued = await t.call('POST', `/api/v1/workspaces/${workspaceB}/keys`, { body: { name: 'b-app' } });
  expect(issued.status).toBe(201);
  expect(issued.body).toMatchObject({ workspaceId: workspaceB, admin: false });
  keyB = issued.body.key;
});
afterEach(async () => t.close());

/** Creates a webhook and an event type in the workspace of `key`. */
async function seed(key: string, tag: string): Promise<{ webhookId: string; eventType: string }> {
  const webhook = await t.call('POST', '/api/v1/webhooks', { key, body: { url: `https://${tag}.example.com/hooks` } });
  expect(webhook.status).toBe(201);
  const eventType = await t.call('POST', '/api/v1/event-types', {
    key,
    body: { name: `${tag}.created`, description: tag },
  });
  expect(eventType.status).toBe(201);
  return { webhookId: webhook.body.id, eventType: `${tag}.created` };
}

/** Every way to reach one webhook by id answers 404 to `key`. */
async function expectWebhookHidden(key: string, id: string): Promise<void> {
  const attempts = [
    await t.call('GET', `/api/v1/webhooks/${id}`, { key }),
    await t.call('PATCH', `/api/v1/webhooks/${id}`, {
      key,
      body: { description: 'taken over', url: 'https://attacker.example.com' },
    }),
    await t.call('POST', `/api/v1/webhooks/${id}/rotate-secret`, { key }),
    await t.call('DELETE', `/api/v1/webhooks/${id}`, { key }),
  ];
  for (const result of attempts) expect(expectError(result, 404).code).toBe('HOOKD_ERR_WEBHOOK_NOT_FOUND');
}

describe('webhooks and event types are per workspace', () => {
  it("hides workspace A's webhook and event type from B's key, and leaves them untouched", async () => {
    const a = await seed(t.adminKey, 'alpha');
    const before = (await t.call('GET', `/api/v1/webhooks/${a.webhookId}`)).body;

    await expectWebhookHidden(keyB, a.webhookId);
    expect(await t.call('GET', '/api/v1/webhooks', { key: keyB })).toMatchObject({
      status: 200,
      body: { data: [], nextCursor: null },
    });
    expect(expectError(await t.call('GET', `/api/v1/event-types/${a.eventType}`, { key: keyB }), 404).code).toBe(
      'HOOKD_ERR_EVENT_TYPE_NOT_FOUND',
    );
    expect(expectError(await t.call('DELETE', `/api/v1/event-types/${a.eventType}`, { key: keyB }), 404).code).toBe(
      'HOOKD_ERR_EVENT_TYPE_NOT_FOUND',
    );
    expect(await t.call('GET', '/api/v1/event-types', { key: keyB })).toMatchObject({
      status: 200,
      body: { data: [], nextCursor: null },
    });

    // Nothing B tried changed A's records: not the settings, not the secret.
    expect((await t.call('GET', `/api/v1/webhooks/${a.webhookId}`)).body).toEqual(before);
    const stored = await t.store.getWebhook(t.workspaceId, a.webhookId);
    expect(stored?.previousSecret).toBeNull();
    expect((await t.call('GET', `/api/v1/event-types/${a.eventType}`)).status).toBe(200);
  });

  it("hides workspace B's records from A's key, admin though it is", async () => {
    const b = await seed(keyB, 'beta');
    await expectWebhookHidden(t.adminKey, b.webhookId);
    expect((await t.call('GET', '/api/v1/webhooks')).body.data).toEqual([]);
    expect(expectError(await t.call('GET', `/api/v1/event-types/${b.eventType}`), 404).code).toBe(
      'HOOKD_ERR_EVENT_TYPE_NOT_FOUND',
    );
    expect((await t.call('GET', `/api/v1/webhooks/${b.webhookId}`, { key: keyB })).status).toBe(200);
  });

  it('lists only the caller’s own records when both workspaces have some', async () => {
    const a = await seed(t.adminKey, 'alpha');
    const b = await seed(keyB, 'beta');
    const listA = await t.call('GET', '/api/v1/webhooks');
    const listB = await t.call('GET', '/api/v1/webhooks', { key: keyB });
    expect(listA.body.data.map((w: { id: string }) => w.id)).toEqual([a.webhookId]);
    expect(listB.body.data.map((w: { id: string }) => w.id)).toEqual([b.webhookId]);
    expect((await t.call('GET', '/api/v1/event-types')).body.data.map((e: { name: string }) => e.name)).toEqual([
      a.eventType,
    ]);
    expect(
      (await t.call('GET', '/api/v1/event-types', { key: keyB })).body.data.map((e: { name: string }) => e.name),
    ).toEqual([b.eventType]);
  });

  it('lets two workspaces each have an event type of the same name', async () => {
    await seed(t.adminKey, 'shared');
    const again = await t.call('POST', '/api/v1/event-types', {
      key: keyB,
      body: { name: 'shared.created', description: 'B’s own' },
    });
    expect(again.status).toBe(201);
    expect((await t.call('GET', '/api/v1/event-types/shared.created')).body.description).toBe('shared');
    expect((await t.call('GET', '/api/v1/event-types/shared.created', { key: keyB })).body.description).toBe('B’s own');
    expect((await t.call('DELETE', '/api/v1/event-types/shared.created', { key: keyB })).status).toBe(204);
    expect((await t.call('GET', '/api/v1/event-types/shared.created')).status).toBe(200);
  });

  it('does not let a cursor from one workspace reveal the other', async () => {
    const a = await seed(t.adminKey, 'alpha');
    // A's webhook id is a well-formed cursor; in B it only pages through B's own webhooks.
    const page = await t.call('GET', `/api/v1/webhooks?cursor=${a.webhookId}`, { key: keyB });
    expect(page.status).toBe(200);
    expect(page.body.data).toEqual([]);
  });
});

describe('only admin keys manage workspaces', () => {
  it('answers 403 to a non-admin key on every /workspaces route', async () => {
    const routes: ['GET' | 'POST' | 'PATCH', string, unknown?][] = [
      ['GET', '/api/v1/workspaces'],
      ['POST', '/api/v1/workspaces', { name: 'by-b' }],
      ['GET', `/api/v1/workspaces/${workspaceB}`],
      ['GET', `/api/v1/workspaces/${t.workspaceId}`],
      ['PATCH', `/api/v1/workspaces/${workspaceB}`, { alertEmail: 'b@example.com' }],
      ['POST', `/api/v1/workspaces/${workspaceB}/keys`, { admin: true }],
      ['POST', `/api/v1/workspaces/${t.workspaceId}/keys`, {}],
    ];
    for (const [method, path, body] of routes) {
      const error = expectError(await t.call(method, path, { key: keyB, body }), 403);
      expect(error.code, `${method} ${path}`).toBe('HOOKD_ERR_FORBIDDEN');
      expect(error.message).toContain('admin');
    }
    // And nothing happened: no workspace "by-b", no change to B.
    const names = (await t.call('GET', '/api/v1/workspaces')).body.data.map((w: { name: string }) => w.name);
    expect(names).not.toContain('by-b');
    expect((await t.call('GET', `/api/v1/workspaces/${workspaceB}`)).body.alertEmail).toBeNull();
  });

  it('answers 403 before validating, so a non-admin learns nothing from the body', async () => {
    const bad = { name: 12, bogus: true, alertEmail: 'not-an-email' };
    for (const [method, path] of [
      ['POST', '/api/v1/workspaces'],
      ['PATCH', `/api/v1/workspaces/${workspaceB}`],
      ['POST', `/api/v1/workspaces/${workspaceB}/keys`],
    ] as const) {
      expect(expectError(await t.call(method, path, { key: keyB, body: bad }), 403).code).toBe('HOOKD_ERR_FORBIDDEN');
    }
    expect(expectError(await t.call('GET', '/api/v1/workspaces?limit=0&cursor=zzz', { key: keyB }), 403).code).toBe(
      'HOOKD_ERR_FORBIDDEN',
    );
    expect(expectError(await t.call('GET', '/api/v1/workspaces/ws_nope', { key: keyB }), 403).code).toBe(
      'HOOKD_ERR_FORBIDDEN',
    );
  });

  it('answers 401, not 403, to no key or a wrong key', async () => {
    expect(expectError(await t.call('GET', '/api/v1/workspaces', { key: null }), 401).code).toBe(
      'HOOKD_ERR_UNAUTHORIZED',
    );
    expect(
      expectError(await t.call('POST', '/api/v1/workspaces', { key: 'hk_wrong', body: { name: 'x' } }), 401).code,
    ).toBe('HOOKD_ERR_UNAUTHORIZED');
  });

  it('lets an admin key issued by an admin manage workspaces', async () => {
    const issued = await t.call('POST', `/api/v1/workspaces/${workspaceB}/keys`, {
      body: { name: 'b-admin', admin: true },
    });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ workspaceId: workspaceB, name: 'b-admin', admin: true });
    const adminB = issued.body.key;

    const created = await t.call('POST', '/api/v1/workspaces', { key: adminB, body: { name: 'tenant-c' } });
    expect(created.status).toBe(201);
    const listed = await t.call('GET', '/api/v1/workspaces', { key: adminB });
    expect(listed.body.data.map((w: { name: string }) => w.name)).toEqual(
      expect.arrayContaining(['default', 'tenant-b', 'tenant-c']),
    );
    const patched = await t.call('PATCH', `/api/v1/workspaces/${created.body.id}`, {
      key: adminB,
      body: { alertEmail: 'ops@c.example.com' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.alertEmail).toBe('ops@c.example.com');
    const keyC = await t.call('POST', `/api/v1/workspaces/${created.body.id}/keys`, { key: adminB, body: {} });
    expect(keyC.status).toBe(201);
    expect(keyC.body).toMatchObject({ workspaceId: created.body.id, admin: false });

    // Being an admin manages workspaces; it does not open another workspace's webhooks.
    const a = await seed(t.adminKey, 'alpha');
    await expectWebhookHidden(adminB, a.webhookId);
  });
});

describe('API key headers', () => {
  it('takes X-API-Key even when a proxy added an Authorization header of another scheme', async () => {
    const result = await t.call('GET', '/api/v1/webhooks', {
      key: null,
      headers: { authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': t.adminKey },
    });
    expect(result.status).toBe(200);
  });
});
