// The dashboard's browser session (issue #17): logging in with an API key sets an HttpOnly, SameSite=Strict cookie
// that then acts as the key on every route, but only with the X-CSRF-Token on changes and only from this origin;
// sessions end at logout, at expiry and when their key is revoked; admin keys act in other workspaces.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, startTestApp, type CallResult, type TestApp } from './support/test-app.js';

let t: TestApp;
let nowMs = Date.parse('2026-03-01T09:00:00Z');
const TTL_MS = 12 * 3_600_000;

beforeAll(async () => {
  t = await startTestApp({
    clock: () => new Date(nowMs),
    worker: false,
    limits: { failedAuthsPerMinutePerAddress: 50 },
    trustProxy: ['127.0.0.1/32'],
  });
});
afterAll(async () => t.close());

interface Login {
  cookie: string;
  csrfToken: string;
  setCookie: string;
  body: any;
}

async function login(apiKey: string, headers: Record<string, string> = {}): Promise<Login> {
  const result = await t.call('POST', '/api/v1/dashboard/session', { key: null, body: { apiKey }, headers });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  const setCookie = String(result.headers['set-cookie']);
  const cookie = /^(hookd_session=[^;]+)/.exec(setCookie)![1]!;
  return { cookie, csrfToken: result.body.csrfToken, setCookie, body: result.body };
}

/** A request as the dashboard's page makes it: the cookie, and the CSRF token unless told otherwise. */
function asBrowser(
  session: Login,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  options: { body?: unknown; csrf?: boolean; headers?: Record<string, string> } = {},
): Promise<CallResult> {
  const headers: Record<string, string> = { cookie: session.cookie, ...options.headers };
  if (options.csrf !== false) headers['x-csrf-token'] = session.csrfToken;
  return t.call(method, url, { key: null, headers, ...(options.body !== undefined ? { body: options.body } : {}) });
}

async function workspaceKey(name: string): Promise<{ workspaceId: string; key: string; keyId: string }> {
  const workspace = await t.call('POST', '/api/v1/workspaces', { body: { name } });
  const issued = await t.call('POST', `/api/v1/workspaces/${workspace.body.id}/keys`, { body: { name: 'app' } });
  return { workspaceId: workspace.body.id, key: issued.body.key, keyId: issued.body.id };
}

describe('logging in', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie for the key and answers the session', async () => {
    const session = await login(t.adminKey);
    expect(session.setCookie).toMatch(
      /^hookd_session=[A-Za-z0-9_-]{40,}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=43200$/,
    );
    expect(session.body).toEqual({
      workspace: { id: t.workspaceId, name: 'default', accentColor: null },
      admin: true,
      expiresAt: new Date(nowMs + TTL_MS).toISOString(),
      csrfToken: expect.any(String),
      readOnly: false,
      webhookIds: null,
    });
    // The cookie is not the key, nor does the answer carry it.
    expect(session.cookie).not.toContain(t.adminKey);
    expect(JSON.stringify(session.body)).not.toContain(t.adminKey);
    const current = await asBrowser(session, 'GET', '/api/v1/dashboard/session');
    expect(current.status).toBe(200);
    expect(current.body).toEqual(session.body);
  });

  it('marks the cookie Secure when the request came over https', async () => {
    const session = await login(t.adminKey, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'hooks.example.com' });
    expect(session.setCookie).toContain('; Secure');
  });

  it('refuses a wrong key with 401, and counts it as a failed authentication', async () => {
    const limited = await startTestApp({ worker: false, limits: { failedAuthsPerMinutePerAddress: 2 } });
    try {
      for (let i = 0; i < 2; i++) {
        const wrong = await limited.call('POST', '/api/v1/dashboard/session', {
          key: null,
          body: { apiKey: 'hk_wrong' },
        });
        expect(expectError(wrong, 401).code).toBe('HOOKD_ERR_UNAUTHORIZED');
      }
      const refused = await limited.call('GET', '/api/v1/webhooks');
      expect(expectError(refused, 429).code).toBe('HOOKD_ERR_RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });

  it('names the field of a bad body', async () => {
    const result = await t.call('POST', '/api/v1/dashboard/session', { key: null, body: { apiKey: 42 } });
    expect(expectError(result, 400).details?.[0]?.field).toBe('apiKey');
  });

  it('refuses a login posted from another origin', async () => {
    const result = await t.call('POST', '/api/v1/dashboard/session', {
      key: null,
      body: { apiKey: t.adminKey },
      headers: { origin: 'https://evil.example' },
    });
    expect(expectError(result, 403).code).toBe('HOOKD_ERR_CSRF');
  });
});

describe('the cookie as the caller', () => {
  it('reads with the cookie alone, and changes only with the CSRF token', async () => {
    const session = await login(t.adminKey);
    expect((await asBrowser(session, 'GET', '/api/v1/webhooks', { csrf: false })).status).toBe(200);
    const body = { url: 'https://example.com/hooks', events: ['*'] };
    const without = await asBrowser(session, 'POST', '/api/v1/webhooks', { body, csrf: false });
    expect(expectError(without, 403).code).toBe('HOOKD_ERR_CSRF');
    const wrong = await asBrowser(session, 'POST', '/api/v1/webhooks', {
      body,
      csrf: false,
      headers: { 'x-csrf-token': `${session.csrfToken.slice(0, -2)}xx` },
    });
    expect(expectError(wrong, 403).code).toBe('HOOKD_ERR_CSRF');
    // Another session's token is no use either.
    const other = await login(t.adminKey);
    const crossed = await asBrowser(session, 'POST', '/api/v1/webhooks', {
      body,
      csrf: false,
      headers: { 'x-csrf-token': other.csrfToken },
    });
    expect(expectError(crossed, 403).code).toBe('HOOKD_ERR_CSRF');
    const listed = await t.call('GET', '/api/v1/webhooks');
    expect(listed.body.data).toEqual([]);

    const made = await asBrowser(session, 'POST', '/api/v1/webhooks', { body });
    expect(made.status).toBe(201);
  });

  it("refuses requests whose Origin is not the server's own", async () => {
    const session = await login(t.adminKey);
    const foreign = await asBrowser(session, 'GET', '/api/v1/webhooks', {
      headers: { origin: 'https://evil.example' },
    });
    expect(expectError(foreign, 403).code).toBe('HOOKD_ERR_CSRF');
    for (const origin of ['http://localhost:80', 'http://localhost']) {
      const own = await asBrowser(session, 'GET', '/api/v1/webhooks', { headers: { origin } });
      expect(own.status, origin).toBe(200);
    }
    for (const origin of ['null', 'http://localhost:8080', 'https://localhost']) {
      const other = await asBrowser(session, 'GET', '/api/v1/webhooks', { headers: { origin } });
      expect(other.status, origin).toBe(403);
    }
  });

  it("has its key's rights and no more: a workspace key's session cannot manage workspaces", async () => {
    const { key } = await workspaceKey('session-rights');
    const session = await login(key);
    expect(session.body.admin).toBe(false);
    const refused = await asBrowser(session, 'GET', '/api/v1/workspaces');
    expect(expectError(refused, 403).code).toBe('HOOKD_ERR_FORBIDDEN');
  });

  it('answers 401 to a cookie no session has', async () => {
    const forged = await t.call('GET', '/api/v1/webhooks', {
      key: null,
      headers: { cookie: 'hookd_session=hds_forgedforgedforgedforgedforgedforgedforged' },
    });
    expect(expectError(forged, 401).code).toBe('HOOKD_ERR_UNAUTHORIZED');
  });
});

describe('the end of a session', () => {
  it('ends at logout, which needs the CSRF token and clears the cookie', async () => {
    const session = await login(t.adminKey);
    const without = await asBrowser(session, 'DELETE', '/api/v1/dashboard/session', { csrf: false });
    expect(expectError(without, 403).code).toBe('HOOKD_ERR_CSRF');
    const out = await asBrowser(session, 'DELETE', '/api/v1/dashboard/session');
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^hookd_session=; HttpOnly; SameSite=Strict; Path=\/; Max-Age=0/);
    expect((await asBrowser(session, 'GET', '/api/v1/dashboard/session')).status).toBe(401);
  });

  it('ends when it expires', async () => {
    const session = await login(t.adminKey);
    nowMs += TTL_MS - 1;
    expect((await asBrowser(session, 'GET', '/api/v1/webhooks')).status).toBe(200);
    nowMs += 1;
    const expired = await asBrowser(session, 'GET', '/api/v1/webhooks');
    expect(expectError(expired, 401).code).toBe('HOOKD_ERR_UNAUTHORIZED');
  });

  it('ends when its API key is revoked', async () => {
    const { workspaceId, key, keyId } = await workspaceKey('session-revoked');
    const session = await login(key);
    expect((await asBrowser(session, 'GET', '/api/v1/webhooks')).status).toBe(200);
    expect((await t.call('DELETE', `/api/v1/workspaces/${workspaceId}/keys/${keyId}`)).status).toBe(204);
    expect(expectError(await asBrowser(session, 'GET', '/api/v1/webhooks'), 401).code).toBe('HOOKD_ERR_UNAUTHORIZED');
    expect((await asBrowser(session, 'GET', '/api/v1/dashboard/session')).status).toBe(401);
  });

  it('answers 401 to GET /dashboard/session with an API key, which has no session', async () => {
    expect(expectError(await t.call('GET', '/api/v1/dashboard/session'), 401).code).toBe('HOOKD_ERR_UNAUTHORIZED');
  });
});

describe('Hookd-Workspace', () => {
  it('lets an admin act in another workspace, from a session as with a key', async () => {
    const { workspaceId, key } = await workspaceKey('switched-to');
    const made = await t.call('POST', '/api/v1/webhooks', {
      key,
      body: { url: 'https://example.com/switched', events: ['*'] },
    });
    const session = await login(t.adminKey);
    const listed = await asBrowser(session, 'GET', '/api/v1/webhooks', { headers: { 'hookd-workspace': workspaceId } });
    expect(listed.body.data.map((webhook: { id: string }) => webhook.id)).toEqual([made.body.id]);
    const current = await asBrowser(session, 'GET', '/api/v1/dashboard/session', {
      headers: { 'hookd-workspace': workspaceId },
    });
    expect(current.body.workspace).toMatchObject({ id: workspaceId, name: 'switched-to' });
    const withKey = await t.call('GET', `/api/v1/webhooks/${made.body.id}`, {
      headers: { 'hookd-workspace': workspaceId },
    });
    expect(withKey.status).toBe(200);
  });

  it('answers 404 for no such workspace, and 403 to a non-admin naming another', async () => {
    const unknown = await t.call('GET', '/api/v1/webhooks', { headers: { 'hookd-workspace': 'ws_nosuchworkspace' } });
    expect(expectError(unknown, 404).code).toBe('HOOKD_ERR_WORKSPACE_NOT_FOUND');
    const { workspaceId, key } = await workspaceKey('not-admin');
    const own = await t.call('GET', '/api/v1/webhooks', { key, headers: { 'hookd-workspace': workspaceId } });
    expect(own.status).toBe(200);
    const other = await t.call('GET', '/api/v1/webhooks', { key, headers: { 'hookd-workspace': t.workspaceId } });
    expect(expectError(other, 403).code).toBe('HOOKD_ERR_FORBIDDEN');
  });
});
