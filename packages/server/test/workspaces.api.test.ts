// The /workspaces endpoints through HTTP: create, list with cursors, read, change, issue keys, and their validation.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, startTestApp, type CallResult, type TestApp } from './support/test-app.js';

let t: TestApp;
let now: Date;
beforeEach(async () => {
  now = new Date('2026-05-06T19:00:00.000Z');
  t = await startTestApp({ clock: () => now });
});
afterEach(async () => t.close());

const tick = () => {
  now = new Date(now.getTime() + 1000);
};

function expectFieldError(result: CallResult, field: string): string {
  const error = expectError(result, 400);
  expect(error.code).toBe('HOOKD_ERR_VALIDATION');
  expect(error.details?.map((d) => d.field)).toContain(field);
  expect(error.message).toContain(field);
  return error.details!.find((d) => d.field === field)!.message;
}

describe('POST /api/v1/workspaces', () => {
  it('creates a workspace with null alert settings by default', async () => {
    tick();
    const created = await t.call('POST', '/api/v1/workspaces', { body: { name: 'acme' } });
    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(/^ws_[0-9A-Z]{26}$/);
    expect(created.body).toEqual({
      id: created.body.id,
      name: 'acme',
      alertEmail: null,
      alertUrl: null,
      autoDisableAfter: null,
      portalOrigins: [],
      accentColor: null,
      createdAt: '2026-05-06T19:00:01.000Z',
      updatedAt: '2026-05-06T19:00:01.000Z',
    });
    expect((await t.call('GET', `/api/v1/workspaces/${created.body.id}`)).body).toEqual(created.body);
  });

  it('stores every field given', async () => {
    const body = {
      name: 'Acme Corp_2.eu-west',
      alertEmail: 'ops@acme.example',
      alertUrl: 'https://alerts.acme.example/hookd',
      autoDisableAfter: '5d',
      portalOrigins: ['https://app.acme.example', 'http://localhost:3000'],
      accentColor: '#0a7cff',
    };
    const created = await t.call('POST', '/api/v1/workspaces', { body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject(body);
    expect((await t.call('GET', `/api/v1/workspaces/${created.body.id}`)).body).toMatchObject(body);
  });

  it('answers 409 for a name already taken, including "default"', async () => {
    expect((await t.call('POST', '/api/v1/workspaces', { body: { name: 'acme' } })).status).toBe(201);
    for (const name of ['acme', 'default']) {
      const error = expectError(await t.call('POST', '/api/v1/workspaces', { body: { name } }), 409);
      expect(error.code).toBe('HOOKD_ERR_CONFLICT');
      expect(error.message).toContain(`"${name}"`);
    }
  });

  it.each([
    ['name', { name: '' }],
    ['name', { name: ' leading-space' }],
    ['name', { name: 'a/b' }],
    ['name', { name: 'x'.repeat(65) }],
    ['name', { name: 7 }],
    ['name', {}],
    ['alertEmail', { name: 'w', alertEmail: 'not-an-email' }],
    ['alertEmail', { name: 'w', alertEmail: 'two@@example.com' }],
    ['alertEmail', { name: 'w', alertEmail: 'a b@example.com' }],
    ['alertUrl', { name: 'w', alertUrl: 'ftp://alerts.example.com' }],
    ['alertUrl', { name: 'w', alertUrl: 'javascript:alert(1)' }],
    ['alertUrl', { name: 'w', alertUrl: 'not a url' }],
    ['autoDisableAfter', { name: 'w', autoDisableAfter: 'soon' }],
    ['autoDisableAfter', { name: 'w', autoDisableAfter: '5' }],
    ['autoDisableAfter', { name: 'w', autoDisableAfter: '30s' }],
    ['autoDisableAfter', { name: 'w', autoDisableAfter: '91d' }],
    ['alertMail', { name: 'w', alertMail: 'ops@example.com' }],
    // Origins go into the portal's CSP frame-ancestors as they are: only exact origins, nothing that widens it.
    ['portalOrigins[0]', { name: 'w', portalOrigins: ['https://app.example.com/path'] }],
    ['portalOrigins[0]', { name: 'w', portalOrigins: ['https://*.example.com'] }],
    ['portalOrigins[1]', { name: 'w', portalOrigins: ['https://a.example', "https://b.example 'unsafe-inline'"] }],
    ['portalOrigins[0]', { name: 'w', portalOrigins: ['https://App.Example.com'] }],
    ['portalOrigins[0]', { name: 'w', portalOrigins: ['javascript:alert(1)'] }],
    ['portalOrigins[0]', { name: 'w', portalOrigins: ['https://example.com;'] }],
    ['portalOrigins', { name: 'w', portalOrigins: Array.from({ length: 21 }, (_, i) => `https://a${i}.example`) }],
    ['portalOrigins', { name: 'w', portalOrigins: 'https://example.com' }],
    ['accentColor', { name: 'w', accentColor: 'red' }],
    ['accentColor', { name: 'w', accentColor: '#fff' }],
    ['accentColor', { name: 'w', accentColor: '#12345g' }],
  ])('refuses a bad %s (%j) with 400 naming it', async (field, body) => {
    expectFieldError(await t.call('POST', '/api/v1/workspaces', { body }), field);
  });
});

describe('GET /api/v1/workspaces', () => {
  it('pages newest first with limit and nextCursor, ending on null', async () => {
    const ids: string[] = [t.workspaceId];
    for (let i = 0; i < 4; i++) {
      tick();
      ids.push((await t.call('POST', '/api/v1/workspaces', { body: { name: `ws-${i}` } })).body.id);
    }
    const seen: string[] = [];
    const cursors: (string | null)[] = [];
    let cursor: string | null = null;
    do {
      const page = await t.call('GET', `/api/v1/workspaces?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((w: { id: string }) => w.id));
      cursor = page.body.nextCursor;
      cursors.push(cursor);
    } while (cursor && cursors.length < 10);
    expect(cursors).toHaveLength(3);
    expect(seen).toEqual([...ids].reverse());
  });

  it('refuses a cursor that is not a workspace id', async () => {
    expectFieldError(await t.call('GET', '/api/v1/workspaces?cursor=wh_01JZ0000000000000000000000'), 'cursor');
  });
});

describe('GET /api/v1/workspaces/:id', () => {
  it('answers 404 for an unknown workspace', async () => {
    for (const id of ['ws_01JZ0000000000000000000000', 'nope']) {
      const error = expectError(await t.call('GET', `/api/v1/workspaces/${id}`), 404);
      expect(error.code).toBe('HOOKD_ERR_WORKSPACE_NOT_FOUND');
      expect(error.message).toContain(id);
    }
  });
});

describe('PATCH /api/v1/workspaces/:id', () => {
  it('changes only the fields given and can clear them with null', async () => {
    const created = (
      await t.call('POST', '/api/v1/workspaces', { body: { name: 'acme', alertEmail: 'ops@acme.example' } })
    ).body;
    now = new Date(now.getTime() + 60_000);
    const patched = await t.call('PATCH', `/api/v1/workspaces/${created.id}`, {
      body: { alertUrl: 'http://alerts.internal:9000/x', autoDisableAfter: '12h' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({
      ...created,
      alertUrl: 'http://alerts.internal:9000/x',
      autoDisableAfter: '12h',
      // The first alertUrl comes with the secret that signs its alerts, shown this once (alert-secret.api.test.ts).
      alertSecret: expect.stringMatching(/^whsec_/),
      updatedAt: '2026-05-06T19:01:00.000Z',
    });
    const cleared = await t.call('PATCH', `/api/v1/workspaces/${created.id}`, {
      body: { alertEmail: null, alertUrl: null, autoDisableAfter: null },
    });
    expect(cleared.body).toMatchObject({ name: 'acme', alertEmail: null, alertUrl: null, autoDisableAfter: null });
    expect((await t.call('GET', `/api/v1/workspaces/${created.id}`)).body).toEqual(cleared.body);
  });

  it('renames, but answers 409 for a name another workspace has', async () => {
    const created = (await t.call('POST', '/api/v1/workspaces', { body: { name: 'acme' } })).body;
    expect((await t.call('PATCH', `/api/v1/workspaces/${created.id}`, { body: { name: 'acme-2' } })).body.name).toBe(
      'acme-2',
    );
    expect(
      expectError(await t.call('PATCH', `/api/v1/workspaces/${created.id}`, { body: { name: 'default' } }), 409).code,
    ).toBe('HOOKD_ERR_CONFLICT');
    expect((await t.call('GET', `/api/v1/workspaces/${created.id}`)).body.name).toBe('acme-2');
  });

  it.each([
    ['alertEmail', { alertEmail: 'nope' }],
    ['alertUrl', { alertUrl: 'mailto:ops@example.com' }],
    ['autoDisableAfter', { autoDisableAfter: '1 day' }],
    ['name', { name: '-starts-with-dash' }],
    ['alertEmail', { alertEmail: 5 }],
    ['id', { id: 'ws_01JZ0000000000000000000000' }],
  ])('refuses a bad %s (%j) with 400 and changes nothing', async (field, body) => {
    const created = (
      await t.call('POST', '/api/v1/workspaces', { body: { name: 'acme', alertEmail: 'ops@acme.example' } })
    ).body;
    expectFieldError(await t.call('PATCH', `/api/v1/workspaces/${created.id}`, { body }), field);
    expect((await t.call('GET', `/api/v1/workspaces/${created.id}`)).body).toEqual(created);
  });

  it('answers 404 for an unknown workspace', async () => {
    const error = expectError(
      await t.call('PATCH', '/api/v1/workspaces/ws_01JZ0000000000000000000000', {
        body: { alertEmail: 'a@b.example' },
      }),
      404,
    );
    expect(error.code).toBe('HOOKD_ERR_WORKSPACE_NOT_FOUND');
  });
});

describe('POST /api/v1/workspaces/:id/keys', () => {
  it('issues a key shown once that works at once, for that workspace only', async () => {
    const workspace = (await t.call('POST', '/api/v1/workspaces', { body: { name: 'acme' } })).body;
    const issued = await t.call('POST', `/api/v1/workspaces/${workspace.id}/keys`, { body: { name: 'ci' } });
    expect(issued.status).toBe(201);
    const { id, key } = issued.body;
    expect(id).toMatch(/^key_[0-9A-Z]{26}$/);
    expect(key).toMatch(/^hk_[A-Za-z0-9_-]{43}$/);
    expect(issued.body).toEqual({
      id,
      workspaceId: workspace.id,
      name: 'ci',
      admin: false,
      key,
      createdAt: '2026-05-06T19:00:00.000Z',
    });
    const created = await t.call('POST', '/api/v1/webhooks', { key, body: { url: 'https://acme.example.com/hooks' } });
    expect(created.status).toBe(201);
    expect((await t.store.getWebhook(workspace.id, created.body.id))?.url).toBe('https://acme.example.com/hooks');
    expect(await t.store.getWebhook(t.workspaceId, created.body.id)).toBeUndefined();
    // Shown once: nothing readable through the API gives the key back.
    expect(JSON.stringify((await t.call('GET', `/api/v1/workspaces/${workspace.id}`)).body)).not.toContain(key);
  });

  it('issues distinct keys each time, with an empty body too', async () => {
    const first = await t.call('POST', `/api/v1/workspaces/${t.workspaceId}/keys`);
    const second = await t.call('POST', `/api/v1/workspaces/${t.workspaceId}/keys`, { body: {} });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(first.body.name).toBe('');
    expect(first.body.key).not.toBe(second.body.key);
    expect((await t.call('GET', '/api/v1/webhooks', { key: first.body.key })).status).toBe(200);
    expect((await t.call('GET', '/api/v1/webhooks', { key: second.body.key })).status).toBe(200);
  });

  it('answers 404 for an unknown workspace, and 400 for a bad body', async () => {
    expect(
      expectError(await t.call('POST', '/api/v1/workspaces/ws_01JZ0000000000000000000000/keys', { body: {} }), 404)
        .code,
    ).toBe('HOOKD_ERR_WORKSPACE_NOT_FOUND');
    expectFieldError(
      await t.call('POST', `/api/v1/workspaces/${t.workspaceId}/keys`, { body: { admin: 'yes' } }),
      'admin',
    );
    expectFieldError(
      await t.call('POST', `/api/v1/workspaces/${t.workspaceId}/keys`, { body: { scopes: ['all'] } }),
      'scopes',
    );
  });
});
