// Webhook fields that have the right type but break a rule (event patterns, urls, timeouts, headers, filters, secrets)
// answer 400 naming the field.
import { describe, expect, it } from 'vitest';
import { appForFile } from './support/app-per-test.js';
import { bodyOf, expectFieldError, URL_OK } from './support/field-errors.js';
import { expectError, type TestApp } from './support/test-app.js';

let t: TestApp;
appForFile((app) => (t = app));

const createWebhook = (body: unknown) => t.call('POST', '/api/v1/webhooks', { body });

describe('rules beyond types', () => {
  it.each(['foo*', '*.bar', 'a..b', '', 'message.**', 'a b', '.message', 'message.'])(
    'refuses the event pattern %j as events[1]',
    async (pattern) => {
      const problem = expectFieldError(
        await createWebhook({ url: URL_OK, events: ['message.created', pattern] }),
        'events[1]',
      );
      expect(problem.message).toContain('is not an event pattern');
    },
  );

  it('refuses an empty events array', async () => {
    expect(expectFieldError(await createWebhook({ url: URL_OK, events: [] }), 'events').message).toContain(
      'at least one',
    );
  });

  it.each([
    ['ftp://example.com/hooks', 'must be an http or https URL, not ftp'],
    ['javascript:alert(1)', 'must be an http or https URL, not javascript'],
    ['file:///etc/passwd', 'must be an http or https URL, not file'],
    ['not a url', 'is not a URL'],
    ['example.com/hooks', 'is not a URL'],
    ['', 'is not a URL'],
    ['https://user:pass@example.com/hooks', 'must not carry credentials'],
    ['https://example.com/hooks#frag', 'must not have a #fragment'],
  ])('refuses the url %j', async (url, message) => {
    expect(expectFieldError(await createWebhook({ url }), 'url').message).toContain(message);
  });

  it('refuses a bad url on change too, and keeps the old one', async () => {
    const id = bodyOf(await createWebhook({ url: URL_OK })).id;
    expectFieldError(await t.call('PATCH', `/api/v1/webhooks/${id}`, { body: { url: 'ftp://example.com' } }), 'url');
    expect(bodyOf(await t.call('GET', `/api/v1/webhooks/${id}`)).url).toBe(URL_OK);
  });

  it.each([
    ['retry.schedule[1]', { retry: { schedule: ['1s', '5x'] } }, 'is not a duration'],
    ['retry.schedule[0]', { retry: { schedule: ['-1s'] } }, 'is not a duration'],
    ['retry.schedule[0]', { retry: { schedule: ['1.5s'] } }, 'is not a duration'],
    ['retry.schedule[0]', { retry: { schedule: ['8d'] } }, 'must be between'],
    ['timeout', { timeout: '500ms' }, 'must be between 1s and 1m'],
    ['timeout', { timeout: '61s' }, 'must be between 1s and 1m'],
    ['timeout', { timeout: '2m' }, 'must be between 1s and 1m'],
    ['timeout', { timeout: '30' }, 'is not a duration'],
  ])('refuses %s in %j', async (field, patch, message) => {
    expect(expectFieldError(await createWebhook({ url: URL_OK, ...patch }), field).message).toContain(message);
  });

  it('takes timeouts of exactly 1s and 60s', async () => {
    expect((await createWebhook({ url: URL_OK, timeout: '1s' })).status).toBe(201);
    expect((await createWebhook({ url: URL_OK, timeout: '60s' })).status).toBe(201);
  });

  it.each([
    ['Content-Type', {}],
    ['content-length', {}],
    ['User-Agent', {}],
    ['X-Webhook-Foo', {}],
    ['webhook-signature', {}],
    ['Webhook-Id', {}],
    ['X-Acme-Signature', { signature: { scheme: 'body', headerPrefix: 'X-Acme-' }, secret: 'body-secret-123' }],
    ['x-acme-nonce', { signature: { scheme: 'timestamp-nonce', headerPrefix: 'X-Acme-' }, secret: 'tn-secret-1234' }],
  ])('refuses the reserved header %s', async (name, settings) => {
    const problem = expectFieldError(
      await createWebhook({ url: URL_OK, ...settings, headers: { [name]: 'x' } }),
      `headers.${name}`,
    );
    expect(problem.message).toContain('cannot be overridden');
  });

  it('refuses invalid header names and values', async () => {
    const names = ['Bad Header', 'X-Tenant:', 'X-Ü', ''];
    for (const name of names) {
      expect(
        expectFieldError(await createWebhook({ url: URL_OK, headers: { [name]: 'x' } }), `headers.${name}`).message,
      ).toBe('is not a valid header name');
    }
    for (const value of ['a\r\nX-Injected: 1', 'a\nb', 'a\u0000b', 'x'.repeat(4097)]) {
      expect(
        expectFieldError(await createWebhook({ url: URL_OK, headers: { 'X-Tenant': value } }), 'headers.X-Tenant')
          .message,
      ).toContain('4096');
    }
  });

  it.each([
    ['filter.data.x.$regex', { 'data.x': { $regex: '^a' } }, 'unknown operator "$regex"'],
    ['filter.data.x.$in', { 'data.x': { $in: 'high' } }, '$in takes an array'],
    ['filter.data.x.$exists', { 'data.x': { $exists: 'yes' } }, '$exists takes true or false'],
    ['filter.data.x.$gt', { 'data.x': { $gt: [1] } }, '$gt takes a number or a string'],
    ['filter.$and', { $and: [] }, 'non-empty array'],
    ['filter.$or', { $or: {} }, 'non-empty array'],
    ['filter.$or[1]', { $or: [{ type: 'a' }, 'b'] }, 'must be an object of conditions'],
    ['filter.$where', { $where: 'true' }, 'is not allowed here'],
  ])('refuses the filter problem at %s', async (field, filter, message) => {
    expect(expectFieldError(await createWebhook({ url: URL_OK, filter }), field).message).toContain(message);
  });

  it('refuses a filter nested deeper than 8 levels', async () => {
    let filter: object = { type: 'a' };
    for (let i = 0; i < 12; i++) filter = { $and: [filter] };
    const error = expectError(await createWebhook({ url: URL_OK, filter }), 400);
    expect(error.details?.some((d) => d.message.includes('deeper than 8'))).toBe(true);
    expect(error.message).toMatch(/^filter\.\$and/);
  });

  it('refuses a filter over 4096 bytes of JSON, which every publish would match against', async () => {
    const ids = Array.from({ length: 600 }, (_, i) => `cus_${i}`);
    expect(
      expectFieldError(await createWebhook({ url: URL_OK, filter: { 'data.customer': { $in: ids } } }), 'filter')
        .message,
    ).toContain('at most 4096');
    expect((await createWebhook({ url: URL_OK, filter: { 'data.customer': { $in: ids.slice(0, 200) } } })).status).toBe(
      201,
    );
  });

  it('refuses a secret that is not whsec_ base64 for the standard scheme', async () => {
    for (const secret of [
      'plain-text-secret',
      'whsec_',
      'whsec_not base64!!',
      `whsec_${Buffer.alloc(8).toString('base64')}`,
    ]) {
      expect(expectFieldError(await createWebhook({ url: URL_OK, secret }), 'secret').message).toContain('whsec_');
    }
  });

  it('refuses a bad headerPrefix', async () => {
    expectFieldError(
      await createWebhook({ url: URL_OK, signature: { headerPrefix: 'X Bad' } }),
      'signature.headerPrefix',
    );
    expectFieldError(await createWebhook({ url: URL_OK, signature: { headerPrefix: '' } }), 'signature.headerPrefix');
  });
});
