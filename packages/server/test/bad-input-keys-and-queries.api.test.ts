// Missing or wrong API keys answer 401 before the body is read; bad list query strings answer 400 naming the parameter.
import { describe, expect, it } from 'vitest';
import { appForFile } from './support/app-per-test.js';
import { bodyOf, expectFieldError, URL_OK } from './support/field-errors.js';
import { expectError, type CallResult, type TestApp } from './support/test-app.js';

let t: TestApp;
appForFile((app) => (t = app));

describe('API keys', () => {
  it('answers 401 without a key', async () => {
    const error = expectError(await t.call('GET', '/api/v1/webhooks', { key: null }), 401);
    expect(error.code).toBe('HOOKD_ERR_UNAUTHORIZED');
    expect(error.message).toContain('Authorization: Bearer');
    expect(error.message).toContain('X-API-Key');
  });

  it('answers 401 for a wrong key in either header, and for a non-Bearer Authorization', async () => {
    const attempts: CallResult[] = [
      await t.call('GET', '/api/v1/webhooks', { key: 'hk_wrong' }),
      await t.call('GET', '/api/v1/webhooks', { key: null, headers: { 'x-api-key': 'hk_wrong' } }),
      await t.call('GET', '/api/v1/webhooks', { key: `${t.adminKey}x` }),
      await t.call('GET', '/api/v1/webhooks', {
        key: null,
        headers: { authorization: `Basic ${Buffer.from(`u:${t.adminKey}`).toString('base64')}` },
      }),
      await t.call('GET', '/api/v1/webhooks', { key: null, headers: { authorization: 'Bearer' } }),
    ];
    for (const result of attempts) expect(expectError(result, 401).code).toBe('HOOKD_ERR_UNAUTHORIZED');
  });

  it('checks the key before reading the body', async () => {
    const error = expectError(await t.call('POST', '/api/v1/webhooks', { key: 'hk_wrong', payload: '{not json' }), 401);
    expect(error.code).toBe('HOOKD_ERR_UNAUTHORIZED');
  });

  it('takes a correct key in X-API-Key', async () => {
    const created = await t.call('POST', '/api/v1/webhooks', {
      key: null,
      headers: { 'x-api-key': t.adminKey },
      body: { url: URL_OK },
    });
    expect(created.status).toBe(201);
    const id = bodyOf(created).id;
    const read = await t.call('GET', `/api/v1/webhooks/${id}`, { key: null, headers: { 'X-API-Key': t.adminKey } });
    expect(read.status).toBe(200);
    expect(bodyOf(read).id).toBe(id);
  });

  it('takes the Bearer scheme in any case', async () => {
    expect(
      (await t.call('GET', '/api/v1/webhooks', { key: null, headers: { authorization: `bearer ${t.adminKey}` } }))
        .status,
    ).toBe(200);
  });
});

describe('list query strings', () => {
  const lists = ['/api/v1/webhooks', '/api/v1/event-types', '/api/v1/workspaces'];

  it.each(lists)('%s refuses limit 0, 101, abc and 1.5 naming limit', async (path) => {
    for (const limit of ['0', '101', 'abc', '1.5', '-1']) {
      expectFieldError(await t.call('GET', `${path}?limit=${limit}`), 'limit');
    }
    expect((await t.call('GET', `${path}?limit=1`)).status).toBe(200);
    expect((await t.call('GET', `${path}?limit=100`)).status).toBe(200);
  });

  it.each([
    ['/api/v1/webhooks', ['abc', 'ws_01JZ0000000000000000000000', 'wh_short', `wh_${'Z'.repeat(300)}`]],
    ['/api/v1/event-types', ['a..b', '!!', 'x y']],
    ['/api/v1/workspaces', ['abc', 'wh_01JZ0000000000000000000000']],
  ])('%s refuses a cursor it did not issue, naming cursor', async (path, cursors) => {
    for (const cursor of [...cursors, '']) {
      expectFieldError(await t.call('GET', `${path}?cursor=${encodeURIComponent(cursor)}`), 'cursor');
    }
  });
});
