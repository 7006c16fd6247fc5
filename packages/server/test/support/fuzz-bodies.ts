// fast-check arbitraries of request bodies for a route: valid, nearly valid (one thing wrong) and malformed payloads.
import fc from 'fast-check';
import { BODY_LIMIT_BYTES } from '../../src/api/app.js';
import type { ApiOperation, JsonSchema } from './openapi-operations.js';
import { brokenValue, brokenValueFor, validValue, type FieldValues } from './schema-values.js';

interface FieldAt {
  path: string[];
  schema: JsonSchema;
}

/** Every field of a body schema, down to `depth` levels (retry, retry.schedule, …). */
function fieldsOf(schema: JsonSchema, depth = 3): FieldAt[] {
  if (depth === 0) return [];
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => [
    { path: [name], schema: property },
    ...fieldsOf(property, depth - 1).map((inner) => ({ path: [name, ...inner.path], schema: inner.schema })),
  ]);
}

/** A copy of `body` with the value at `path` set (or removed, for undefined); missing parents are made. */
function withField(body: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  let parent = copy;
  for (const name of path.slice(0, -1)) {
    const child = parent[name];
    if (typeof child !== 'object' || child === null || Array.isArray(child)) parent[name] = {};
    parent = parent[name] as Record<string, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === undefined) delete parent[last];
  else Object.defineProperty(parent, last, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/**
 * Valid bodies with one thing wrong: a field of the wrong type or size, a required field missing, an unknown field,
 * or the whole body in the wrong shape. Random bodies are refused at the first check; these get past it.
 */
function nearlyValidBody(schema: JsonSchema, fields: FieldValues): fc.Arbitrary<unknown> {
  const valid = validValue(schema, '', fields);
  const bodyFields = fieldsOf(schema);
  const unknownName = fc.oneof(
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'event', 'id', 'workspaceId', ''),
    fc.string({ maxLength: 20 }),
  );
  const mutations: { weight: number; arbitrary: fc.Arbitrary<unknown> }[] = [
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, unknownName, brokenValue)
        .map(([body, name, value]) =>
          typeof body === 'object' && body !== null ? withField(body, [name], value) : body,
        ),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, brokenValue, fc.boolean())
        .map(([body, value, inArray]) => (inArray ? [body] : { wrapped: body, value })),
    },
  ];
  if (bodyFields.length > 0) {
    const broken = fc.oneof(
      ...bodyFields.map((field) => brokenValueFor(field.schema).map((value) => ({ path: field.path, value }))),
    );
    mutations.push({
      weight: 5,
      arbitrary: fc.tuple(valid, broken).map(([body, { path, value }]) => withField(body, path, value)),
    });
    mutations.push({
      weight: 1,
      arbitrary: fc
        .tuple(valid, fc.constantFrom(...bodyFields))
        .map(([body, field]) => withField(body, field.path, undefined)),
    });
  }
  return fc.oneof(...mutations);
}

/** The invalid bytes go inside the first string value, so that everything around them parses. */
function withInvalidUtf8(json: string): Buffer {
  const bytes = Buffer.from(json);
  const at = json.indexOf(':"');
  const cut = at === -1 ? bytes.length : Buffer.byteLength(json.slice(0, at + 2));
  return Buffer.concat([
    bytes.subarray(0, cut),
    Buffer.from([0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
    bytes.subarray(cut),
  ]);
}

const OVER_LIMIT = `{"data":"${'x'.repeat(BODY_LIMIT_BYTES)}"}`;

/** Payloads no route should take: broken or non-JSON text, bad bytes, too deep, too big. */
const malformedPayload: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc.constantFrom<string | Buffer>(
    '',
    ' ',
    '\n',
    '{',
    '}',
    '{"a":',
    '[',
    'nul',
    'null',
    'true',
    '123',
    '"text"',
    '[]',
    '{}',
    '{"a":1,"a":2}',
    '{"a":1,}',
    "{'a':1}",
    '\u0000',
    '{"a":"\u0000"}',
    '\ufeff{}',
    '{"a":1e999999}',
    '{"a":-0}',
    '{"a":"\\ud800"}',
    '{"a":"\\u0000"}',
    '{"__proto__":{"x":1}}',
    '['.repeat(10_000) + ']'.repeat(10_000),
    '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000),
    '['.repeat(100_000),
    Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
    Buffer.from([0xc0, 0xaf]),
    Buffer.from('{"a":"\xff"}', 'latin1'),
    OVER_LIMIT,
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
);

const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      undefined,
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'application/json; charset=utf-16',
      'APPLICATION/JSON',
      'application/json, text/plain',
      'application/vnd.api+json',
      'text/plain',
      'text/html',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      '',
      ';;;',
      'application/json; boundary="',
    ),
  },
);

export interface Body {
  contentType: string | undefined;
  payload: string | Buffer | undefined;
}

export function bodyFor(operation: ApiOperation, fields: FieldValues): fc.Arbitrary<Body> {
  const json = (value: fc.Arbitrary<unknown>) => value.map((body) => JSON.stringify(body) ?? 'null');
  const none = fc.constant<Body>({ contentType: undefined, payload: undefined });
  const sent = (payload: fc.Arbitrary<string | Buffer>) => fc.record({ contentType, payload });
  if (operation.body === undefined)
    return fc.oneof(
      { weight: 4, arbitrary: none },
      { weight: 1, arbitrary: sent(fc.oneof(json(fc.jsonValue({ maxDepth: 3 })), malformedPayload)) },
    );
  const schema = operation.body;
  return fc.oneof(
    { weight: 3, arbitrary: sent(json(validValue(schema, '', fields))) },
    { weight: 6, arbitrary: sent(json(nearlyValidBody(schema, fields))) },
    { weight: 1, arbitrary: sent(json(validValue(schema, '', fields)).map(withInvalidUtf8)) },
    { weight: 1, arbitrary: sent(json(fc.jsonValue({ maxDepth: 4 }))) },
    { weight: 2, arbitrary: sent(malformedPayload) },
    { weight: 1, arbitrary: none },
  );
}
