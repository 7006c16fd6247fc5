// Every class of bad input the API can get answers the right 4xx, a stable code, and names the offending field; none is a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, startTestApp, type CallResult, type TestApp } from './support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const URL_OK = 'https://example.com/hooks';

/** A 400 validation error whose details name `field` and whose message starts with it. */
function expectFieldError(result: CallResult, field: string): { field: string; message: string } {
  const error = expectError(result, 400);
  expect(error.code).toBe('HOOKD_ERR_VALIDATION');
  const problem = error.details?.find((d) => d.field === field);
  expect(problem, `details ${JSON.stringify(error.details)} should name ${field}`).toBeDefined();
  expect(error.message).toContain(field);
  return problem!;
}

const createWebhook = (body: unknown) => t.call('POST', '/api/v1/webhooks', { body });
/** The response body, typed as the caller expects it. */
const bodyOf = <T = { id: string; url: string }>(result: CallResult): T => result.body as T;
const errorCodeOf = (result: CallResult): unknown =>
  bodyOf<{ error?: { code?: unknown } } | undefined>(result)?.error?.code;

describe('bodies that are not JSON objects', () => {
  it('answers 400 naming the body for malformed JSON', async () => {
    for (const payload of [
      '{"url": ',
      '{url: "https://example.com"}',
      "{'url': 'x'}",
      '{"url": "https://example.com",}',
      'nul',
    ]) {
      const problem = expectFieldError(await t.call('POST', '/api/v1/webhooks', { payload }), 'body');
      expect(problem.message).toBe('is not valid JSON');
    }
  });

  it('answers 400 naming the body for a JSON value that is not an object', async () => {
    for (const body of [[], ['https://example.com'], 'https://example.com', 42, true, null]) {
      const problem = expectFieldError(await createWebhook(body), 'body');
      expect(problem.message).toBe('must be an object');
    }
  });

  it('answers 415 for a content type other than JSON', async () => {
    for (const contentType of [
      'application/x-www-form-urlencoded',
      'application/xml',
      'multipart/form-data; boundary=x',
    ]) {
      const result = await t.call('POST', '/api/v1/webhooks', {
        payload: 'url=https://example.com',
        headers: { 'content-type': contentType },
      });
      const error = expectError(result, 415);
      expect(error.code).toBe('HOOKD_ERR_UNSUPPORTED_MEDIA_TYPE');
      expect(error.message).toMatch(/^body: .*application\/json/);
    }
  });

  it('answers 415 for text/plain too, rather than reading the text as a JSON string', async () => {
    const result = await t.call('POST', '/api/v1/webhooks', {
      payload: JSON.stringify({ url: URL_OK }),
      headers: { 'content-type': 'text/plain' },
    });
    expect(expectError(result, 415).code).toBe('HOOKD_ERR_UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 413 for a body over 256 KiB, and takes one just under it', async () => {
    const filler = (size: number) => 'x'.repeat(size);
    const over = JSON.stringify({ url: URL_OK, description: filler(256 * 1024) });
    const error = expectError(await t.call('POST', '/api/v1/webhooks', { payload: over }), 413);
    expect(error.code).toBe('HOOKD_ERR_PAYLOAD_TOO_LARGE');
    expect(error.message).toMatch(/^body: .*256 KiB/);
    // Just under the limit the body is read and judged on its fields (description is capped at 1024 characters).
    const under = JSON.stringify({ url: URL_OK, description: filler(256 * 1024 - 100) });
    expect(under.length).toBeLessThan(256 * 1024);
    expectFieldError(await t.call('POST', '/api/v1/webhooks', { payload: under }), 'description');
  });
});

describe('fields of the wrong type or unknown fields', () => {
  it.each([
    ['active', { active: 'yes' }, 'must be a boolean'],
    ['rateLimit', { rateLimit: '3' }, 'must be an integer or null'],
    ['events', { events: 'a' }, 'must be an array'],
    ['events[1]', { events: ['a', 2] }, 'must be a string'],
    ['url', { url: 42 }, 'must be a string'],
    ['retry.retryOn4xx', { retry: { retryOn4xx: 'false' } }, 'must be a boolean'],
    ['headers.X-Tenant', { headers: { 'X-Tenant': 1 } }, 'must be a string'],
    ['filter', { filter: [] }, 'must be an object or null'],
    ['ordering', { ordering: 'lifo' }, 'must be one of "none", "fifo"'],
    ['signature.scheme', { signature: { scheme: 'sha1' } }, 'must be one of'],
  ])('names %s', async (field, patch, message) => {
    const problem = expectFieldError(await createWebhook({ url: URL_OK, ...patch }), field);
    expect(problem.message).toContain(message);
  });

  it('names a missing url', async () => {
    expect(expectFieldError(await createWebhook({ events: ['*'] }), 'url').message).toBe('is required');
  });

  it('refuses an unknown field, such as the typo "event" for "events", on create and on change', async () => {
    const problem = expectFieldError(await createWebhook({ url: URL_OK, event: ['message.created'] }), 'event');
    expect(problem.message).toBe('is not a known field');
    expectFieldError(await createWebhook({ url: URL_OK, retry: { schedul: ['1s'] } }), 'retry.schedul');
    const id = bodyOf(await createWebhook({ url: URL_OK })).id;
    expectFieldError(await t.call('PATCH', `/api/v1/webhooks/${id}`, { body: { secret: 'whsec_abc' } }), 'secret');
  });

  it('lists every problem of a body at once', async () => {
    const error = expectError(await createWebhook({ url: URL_OK, active: 'yes', event: [], rateLimit: 0 }), 400);
    expect(error.details?.map((d) => d.field).sort()).toEqual(['active', 'event', 'rateLimit']);
  });
});

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

describe('no input is a 500', () => {
  const longString = 'a'.repeat(200_000);
  // Written as text: JSON.stringify itself overflows the stack at these depths.
  const deepObject = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
  const deepFilter = `${'{"$or":['.repeat(5_000)}{"type":"x"}${']}'.repeat(5_000)}`;

  const oddBodies: [string, string][] = [
    ['null', 'null'],
    ['[]', '[]'],
    ['123', '123'],
    ['"x"', '"x"'],
    ['{}', '{}'],
    ['{"url":null}', '{"url":null}'],
    ['deeply nested filter', `{"url":"${URL_OK}","filter":${deepFilter}}`],
    ['deeply nested filter value', `{"url":"${URL_OK}","filter":{"data.x":${deepObject}}}`],
    ['deeply nested event-type schema', `{"name":"deep.schema","schema":{"properties":${deepObject}}}`],
    ['deeply nested arrays', `{"url":"${URL_OK}","filter":{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`],
    ['very long url', JSON.stringify({ url: `https://example.com/${longString}` })],
    ['very long event pattern', JSON.stringify({ url: URL_OK, events: [longString] })],
    ['very long header name', JSON.stringify({ url: URL_OK, headers: { [longString]: 'x' } })],
    ['very long field name', JSON.stringify({ [longString]: 1 })],
    ['__proto__ key', '{"url":"https://example.com","__proto__":{"admin":true}}'],
    ['constructor key', '{"url":"https://example.com","constructor":{"prototype":{"x":1}}}'],
    ['huge number', JSON.stringify({ url: URL_OK, rateLimit: 1e308 })],
    ['rateLimit 0', JSON.stringify({ url: URL_OK, rateLimit: 0 })],
    ['lone surrogate', '{"url":"https://example.com/\\ud800"}'],
    ['many events', JSON.stringify({ url: URL_OK, events: Array.from({ length: 5_000 }, (_, i) => `e.${i}`) })],
    [
      'many headers',
      JSON.stringify({
        url: URL_OK,
        headers: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`X-H${i}`, 'v'])),
      }),
    ],
    ['many retries', JSON.stringify({ url: URL_OK, retry: { schedule: Array.from({ length: 500 }, () => '1s') } })],
  ];
  const routes: ['POST' | 'PATCH', string][] = [
    ['POST', '/api/v1/webhooks'],
    ['PATCH', '/api/v1/webhooks/:webhook'],
    ['POST', '/api/v1/webhooks/:webhook/rotate-secret'],
    ['POST', '/api/v1/event-types'],
    ['POST', '/api/v1/workspaces'],
    ['PATCH', '/api/v1/workspaces/:workspace'],
    ['POST', '/api/v1/workspaces/:workspace/keys'],
  ];

  it('answers every odd body on every writing route with a 4xx in the error shape', async () => {
    const webhookId = bodyOf(await createWebhook({ url: URL_OK })).id;
    const wrong: string[] = [];
    let calls = 0;
    for (const [method, route] of routes) {
      const path = route.replace(':webhook', webhookId).replace(':workspace', t.workspaceId);
      for (const [name, payload] of oddBodies) {
        const result = await t.call(method, path, { payload });
        calls++;
        // Some odd bodies are fine for some routes (e.g. {} for a PATCH or for rotate-secret); what matters is never a 5xx.
        const shaped = result.status < 400 || typeof errorCodeOf(result) === 'string';
        if (result.status >= 500 || !shaped)
          wrong.push(`${method} ${route} with ${name}: ${result.status} ${JSON.stringify(result.body)?.slice(0, 120)}`);
      }
    }
    expect(calls).toBe(routes.length * oddBodies.length);
    expect(wrong).toEqual([]);
  });

  it('answers odd ids and names in paths with a 4xx in the error shape', async () => {
    const ids = ['x', 'wh_', `wh_${'A'.repeat(26)}`, '%00', '..%2F..%2Fetc', '%F0%9F%92%A9', 'a'.repeat(300), '%ZZ'];
    const wrong: string[] = [];
    for (const id of ids) {
      for (const path of [`/api/v1/webhooks/${id}`, `/api/v1/event-types/${id}`, `/api/v1/workspaces/${id}`]) {
        const result = await t.call('GET', path);
        const fine = result.status >= 400 && result.status < 500 && typeof errorCodeOf(result) === 'string';
        if (!fine) wrong.push(`${path.slice(0, 40)}…: ${result.status} ${JSON.stringify(result.body).slice(0, 80)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
