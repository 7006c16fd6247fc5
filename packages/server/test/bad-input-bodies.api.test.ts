// Bodies the API cannot read as a JSON object, fields of the wrong type or unknown, and odd bodies and paths: each
// answers the right 4xx, a stable code, and names the offending field; none is a 500.
import { describe, expect, it } from 'vitest';
import { appForFile } from './support/app-per-test.js';
import { bodyOf, errorCodeOf, expectFieldError, URL_OK } from './support/field-errors.js';
import { expectError, type TestApp } from './support/test-app.js';

let t: TestApp;
appForFile((app) => (t = app));

const createWebhook = (body: unknown) => t.call('POST', '/api/v1/webhooks', { body });

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
