// The event-type catalog through HTTP: create with a JSON Schema (draft-07 or 2020-12), list by name with cursors, read, delete, and validation.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, startTestApp, type CallResult, type TestApp } from './support/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ clock: () => new Date('2026-05-06T19:00:00.000Z') });
});
afterEach(async () => t.close());

function expectFieldError(result: CallResult, field: string): string {
  const error = expectError(result, 400);
  expect(error.code).toBe('HOOKD_ERR_VALIDATION');
  expect(error.details?.map((d) => d.field)).toContain(field);
  expect(error.message).toContain(field);
  return error.details!.find((d) => d.field === field)!.message;
}

const create = (body: unknown) => t.call('POST', '/api/v1/event-types', { body });

const draft07 = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['amount'],
  properties: {
    amount: { type: 'integer', minimum: 0 },
    items: { type: 'array', items: [{ type: 'string' }], additionalItems: false },
  },
};
const draft2020 = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: { pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false } },
  $defs: { id: { type: 'string', minLength: 1 } },
  unevaluatedProperties: false,
};

describe('POST /api/v1/event-types', () => {
  it('creates a type with a description and no schema', async () => {
    const created = await create({ name: 'conversation.created', description: 'A conversation began' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      name: 'conversation.created',
      description: 'A conversation began',
      schema: null,
      createdAt: '2026-05-06T19:00:00.000Z',
    });
    expect((await t.call('GET', '/api/v1/event-types/conversation.created')).body).toEqual(created.body);
  });

  it('defaults the description to ""', async () => {
    expect((await create({ name: 'ping' })).body).toMatchObject({ name: 'ping', description: '', schema: null });
  });

  it('stores a draft-07 schema and a 2020-12 schema as given', async () => {
    const a = await create({ name: 'invoice.paid', description: 'draft-07', schema: draft07 });
    expect(a.status).toBe(201);
    expect(a.body.schema).toEqual(draft07);
    const b = await create({ name: 'pair.made', description: '2020-12', schema: draft2020 });
    expect(b.status).toBe(201);
    expect(b.body.schema).toEqual(draft2020);
    expect((await t.call('GET', '/api/v1/event-types/pair.made')).body.schema).toEqual(draft2020);
    expect((await t.call('GET', '/api/v1/event-types/invoice.paid')).body.schema).toEqual(draft07);
  });

  it('takes a schema without $schema as draft-07, and two types may share a schema $id', async () => {
    const schema = {
      $id: 'https://schemas.example.com/money.json',
      type: 'object',
      properties: { amount: { type: 'number' } },
    };
    expect((await create({ name: 'money.in', schema })).status).toBe(201);
    expect((await create({ name: 'money.out', schema })).status).toBe(201);
  });

  it.each([
    ['type of the wrong type', { type: 12 }],
    ['unknown type name', { type: 'strin' }],
    ['required not an array', { required: 'amount' }],
    ['minimum not a number', { properties: { n: { minimum: 'zero' } } }],
    ['unresolvable $ref', { $ref: '#/definitions/missing' }],
    [
      '2020-12 prefixItems not an array',
      { $schema: 'https://json-schema.org/draft/2020-12/schema', prefixItems: { type: 'string' } },
    ],
    ['unknown meta-schema', { $schema: 'https://example.com/my-meta-schema' }],
  ])('refuses an invalid schema (%s) with 400 on `schema`', async (_why, schema) => {
    expect(expectFieldError(await create({ name: 'bad.schema', schema }), 'schema')).toContain(
      'is not a valid JSON Schema',
    );
    expectError(await t.call('GET', '/api/v1/event-types/bad.schema'), 404);
  });

  it('refuses a schema that is not an object', async () => {
    for (const schema of [true, 'object', [{ type: 'object' }]])
      expectFieldError(await create({ name: 'x.y', schema }), 'schema');
  });

  it('takes schema: null as no schema', async () => {
    expect((await create({ name: 'x.y', schema: null })).body.schema).toBeNull();
  });

  it.each(['', 'has space', 'a..b', '.a', 'a.', 'message.*', '*', 'a/b', 'ü.created', 'x'.repeat(129)])(
    'refuses the name %j with 400 on `name`',
    async (name) => {
      expectFieldError(await create({ name }), 'name');
    },
  );

  it('takes names of letters, digits, "_" and "-" in dotted words, up to 128 characters', async () => {
    for (const name of ['a', 'Order_v2.line-item.UPDATED', `${'x'.repeat(60)}.${'y'.repeat(67)}`]) {
      expect((await create({ name })).status, name).toBe(201);
    }
  });

  it('refuses other bad bodies naming the field', async () => {
    expectFieldError(await create({ description: 'no name' }), 'name');
    expectFieldError(await create({ name: 'a.b', description: 5 }), 'description');
    expectFieldError(await create({ name: 'a.b', descripton: 'typo' }), 'descripton');
    expectFieldError(await create({ name: 'a.b', description: 'x'.repeat(1025) }), 'description');
  });

  it('answers 409 for a name already in the catalog, and keeps the first', async () => {
    expect((await create({ name: 'order.paid', description: 'first' })).status).toBe(201);
    const error = expectError(await create({ name: 'order.paid', description: 'second' }), 409);
    expect(error.code).toBe('HOOKD_ERR_CONFLICT');
    expect(error.message).toContain('order.paid');
    expect((await t.call('GET', '/api/v1/event-types/order.paid')).body.description).toBe('first');
  });
});

describe('GET /api/v1/event-types', () => {
  it('lists by name and pages with nextCursor until null', async () => {
    const names = ['order.paid', 'a.first', 'order.created', 'Z.upper', 'm.middle'];
    for (const name of names) expect((await create({ name })).status).toBe(201);
    const seen: string[] = [];
    const cursors: (string | null)[] = [];
    let cursor: string | null = null;
    do {
      const page = await t.call(
        'GET',
        `/api/v1/event-types?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((e: { name: string }) => e.name));
      cursor = page.body.nextCursor;
      cursors.push(cursor);
    } while (cursor && cursors.length < 10);
    expect(cursors).toHaveLength(3);
    expect(seen).toEqual([...names].sort());
    const all = await t.call('GET', '/api/v1/event-types');
    expect(all.body.nextCursor).toBeNull();
    expect(all.body.data.map((e: { name: string }) => e.name)).toEqual([...names].sort());
  });

  it('answers an empty catalog as an empty list', async () => {
    expect((await t.call('GET', '/api/v1/event-types')).body).toEqual({ data: [], nextCursor: null });
  });

  it('refuses a cursor that is not an event type name', async () => {
    expectFieldError(await t.call('GET', '/api/v1/event-types?cursor=a..b'), 'cursor');
  });
});

describe('GET and DELETE /api/v1/event-types/:name', () => {
  it('answers 404 for an unknown name', async () => {
    const error = expectError(await t.call('GET', '/api/v1/event-types/never.made'), 404);
    expect(error.code).toBe('HOOKD_ERR_EVENT_TYPE_NOT_FOUND');
    expect(error.message).toContain('never.made');
  });

  it('deletes with 204, then answers 404, and the name can be used again', async () => {
    expect((await create({ name: 'order.paid', schema: draft07 })).status).toBe(201);
    const deleted = await t.call('DELETE', '/api/v1/event-types/order.paid');
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expect(expectError(await t.call('GET', '/api/v1/event-types/order.paid'), 404).code).toBe(
      'HOOKD_ERR_EVENT_TYPE_NOT_FOUND',
    );
    expect(expectError(await t.call('DELETE', '/api/v1/event-types/order.paid'), 404).code).toBe(
      'HOOKD_ERR_EVENT_TYPE_NOT_FOUND',
    );
    expect((await t.call('GET', '/api/v1/event-types')).body.data).toEqual([]);
    expect((await create({ name: 'order.paid', description: 'again' })).status).toBe(201);
  });
});

describe('schemas with an $id', () => {
  it('can be published against, deleted and created again, and shared by two types', async () => {
    const schema = { $id: 'https://example.com/schemas/order', type: 'object', required: ['amount'] };
    expect((await t.call('POST', '/api/v1/event-types', { body: { name: 'order.created', schema } })).status).toBe(201);
    expect(
      (await t.call('POST', '/api/v1/events', { body: { type: 'order.created', data: { amount: 1 } } })).status,
    ).toBe(202);
    expect((await t.call('POST', '/api/v1/event-types', { body: { name: 'order.updated', schema } })).status).toBe(201);
    expect((await t.call('DELETE', '/api/v1/event-types/order.created')).status).toBe(204);
    expect((await t.call('POST', '/api/v1/event-types', { body: { name: 'order.created', schema } })).status).toBe(201);
    expect((await t.call('POST', '/api/v1/events', { body: { type: 'order.updated', data: {} } })).status).toBe(422);
  });
});
