// /openapi.json documents every /api/v1 route and the shapes the API really answers; /healthz and /readyz report the process and its database.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOOKD_VERSION } from '../src/runtime/version.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => t.close());

interface Operation {
  responses: Record<string, { content?: { 'application/json'?: { schema?: unknown } } }>;
  parameters?: { in: string; name: string; required?: boolean }[];
  requestBody?: unknown;
}
interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, { required?: string[]; properties?: Record<string, unknown> }>;
    securitySchemes: Record<string, unknown>;
  };
  security: unknown[];
}

async function openapi(): Promise<OpenApiDocument> {
  const response = await t.call('GET', '/openapi.json', { key: null });
  expect(response.status).toBe(200);
  expect(String(response.headers['content-type'])).toContain('application/json');
  return response.body as OpenApiDocument;
}

/** "METHOD /path/{param}" for every route the app serves under /api/v1, read from Fastify's own route tree. */
function servedApiRoutes(): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of t.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│├└─ ]*)(\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    const path = stack.join('').replace(/:(\w+)/g, '{$1}');
    for (const method of (match[3] ?? '').split(', ')) {
      if (method && method !== 'HEAD' && path.startsWith('/api/v1/')) routes.push(`${method} ${path}`);
    }
  }
  return routes.sort();
}

const documentedRoutes = (doc: OpenApiDocument) =>
  Object.entries(doc.paths)
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document, served without an API key', async () => {
    const doc = await openapi();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'hookd', version: HOOKD_VERSION });
    expect(doc.components.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer' },
      apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
    });
    expect(doc.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
  });

  it('documents the management routes of the contract', async () => {
    const documented = documentedRoutes(await openapi());
    expect(documented).toEqual(
      expect.arrayContaining([
        'POST /api/v1/webhooks',
        'GET /api/v1/webhooks',
        'GET /api/v1/webhooks/{id}',
        'PATCH /api/v1/webhooks/{id}',
        'DELETE /api/v1/webhooks/{id}',
        'POST /api/v1/webhooks/{id}/rotate-secret',
        'POST /api/v1/event-types',
        'GET /api/v1/event-types',
        'GET /api/v1/event-types/{name}',
        'DELETE /api/v1/event-types/{name}',
        'POST /api/v1/workspaces',
        'GET /api/v1/workspaces',
        'GET /api/v1/workspaces/{id}',
        'PATCH /api/v1/workspaces/{id}',
        'POST /api/v1/workspaces/{id}/keys',
      ]),
    );
  });

  it('documents exactly the /api/v1 routes the app serves, and hides the rest', async () => {
    const doc = await openapi();
    const served = servedApiRoutes();
    expect(served.length).toBeGreaterThanOrEqual(15);
    expect(documentedRoutes(doc)).toEqual(served);
    expect(Object.keys(doc.paths).filter((path) => !path.startsWith('/api/v1/'))).toEqual([]);
  });

  it('declares every path parameter, a success response and the error responses of each operation', async () => {
    const doc = await openapi();
    for (const [path, operations] of Object.entries(doc.paths)) {
      const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, operation] of Object.entries(operations)) {
        const where = `${method.toUpperCase()} ${path}`;
        const declared = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        expect(declared, where).toEqual(params);
        const statuses = Object.keys(operation.responses);
        expect(
          statuses.some((s) => /^2\d\d$/.test(s)),
          where,
        ).toBe(true);
        expect(statuses, where).toEqual(expect.arrayContaining(['400', '401']));
        for (const status of statuses.filter((s) => /^[45]/.test(s))) {
          expect(operation.responses[status]?.content?.['application/json']?.schema, `${where} ${status}`).toEqual({
            $ref: '#/components/schemas/Error',
          });
        }
        if (method === 'post' || method === 'patch') expect(operation.requestBody, where).toBeDefined();
      }
    }
  });

  it('documents the Hookd-Workspace header on every operation inside a workspace, and only there', async () => {
    const doc = await openapi();
    const withHeader: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths))
      for (const [method, operation] of Object.entries(operations)) {
        const header = (operation.parameters ?? []).find((p) => p.in === 'header' && p.name === 'Hookd-Workspace');
        if (header) {
          expect(header.required ?? false, `${method} ${path}`).toBe(false);
          withHeader.push(`${method.toUpperCase()} ${path}`);
        }
      }
    const inWorkspace = documentedRoutes(doc).filter(
      (route) => !route.includes(' /api/v1/workspaces') && route !== 'POST /api/v1/dashboard/session',
    );
    expect(withHeader.sort()).toEqual(inWorkspace);
    expect(withHeader).toEqual(
      expect.arrayContaining(['GET /api/v1/webhooks', 'GET /api/v1/stats', 'POST /api/v1/portal-sessions']),
    );
    // The idempotency key documented beside it, not replaced by it.
    const publish = doc.paths['/api/v1/events']!.post!.parameters!.map((p) => p.name.toLowerCase());
    expect(publish).toEqual(expect.arrayContaining(['idempotency-key', 'hookd-workspace']));
  });

  it('names the shared shapes in components.schemas and every $ref resolves', async () => {
    const doc = await openapi();
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Webhook', 'Workspace', 'ApiKey', 'EventType', 'Error']),
    );
    expect(doc.components.schemas.Webhook?.required).toEqual(
      expect.arrayContaining([
        'id',
        'url',
        'events',
        'active',
        'status',
        'headers',
        'signature',
        'retry',
        'timeout',
        'rateLimit',
        'ordering',
        'createdAt',
        'updatedAt',
      ]),
    );
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas, ref).toHaveProperty([ref.slice('#/components/schemas/'.length)]);
    }
  });

  it('describes what the API really answers: real responses validate against the documented schemas', async () => {
    const doc = await openapi();
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema({ $id: 'https://hookd.test/openapi.json', components: doc.components });
    const check = (name: string, value: unknown) => {
      const validate = ajv.getSchema(`https://hookd.test/openapi.json#/components/schemas/${name}`)!;
      expect(validate(value), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    };

    const webhook = await t.call('POST', '/api/v1/webhooks', {
      body: {
        url: 'https://example.com/h',
        filter: { 'data.amount': { $gt: 1 } },
        rateLimit: 5,
        headers: { 'X-Tenant': 'a' },
      },
    });
    check('Webhook', webhook.body);
    check('Webhook', (await t.call('GET', `/api/v1/webhooks/${webhook.body.id}`)).body);
    const workspace = await t.call('POST', '/api/v1/workspaces', { body: { name: 'b', alertEmail: 'ops@b.example' } });
    check('Workspace', workspace.body);
    check('ApiKey', (await t.call('POST', `/api/v1/workspaces/${workspace.body.id}/keys`, { body: {} })).body);
    check(
      'EventType',
      (await t.call('POST', '/api/v1/event-types', { body: { name: 'a.b', schema: { type: 'object' } } })).body,
    );
    check('Error', (await t.call('GET', '/api/v1/webhooks/nope')).body);
    check('Error', (await t.call('POST', '/api/v1/webhooks', { body: { url: 1 } })).body);
  });
});

describe('health checks', () => {
  it('/healthz and /readyz answer 200 without an API key', async () => {
    const health = await t.call('GET', '/healthz', { key: null });
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await t.call('GET', '/readyz', { key: null });
    expect(ready).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('/readyz answers 503 once the database is gone, while /healthz still answers', async () => {
    await t.store.close();
    const ready = await t.call('GET', '/readyz', { key: null });
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'unavailable' });
    expect(ready.body.reason).toContain('database');
    expect((await t.call('GET', '/healthz', { key: null })).status).toBe(200);
  });
});
