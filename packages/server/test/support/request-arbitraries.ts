// fast-check arbitraries of API requests built from a route's OpenAPI operation: valid, nearly valid, malformed.
import fc from 'fast-check';
import { BODY_LIMIT_BYTES } from '../../src/api/app.js';
import type { ApiOperation, HttpMethod, JsonSchema, Parameter, PathParameter } from './openapi-operations.js';

export interface FuzzRequest {
  method: HttpMethod;
  /** Path and query, as sent. */
  url: string;
  /** Which of the test's keys it carries (the fuzz calls with an admin key and a workspace's plain key). */
  key: 'admin' | 'workspace';
  contentType: string | undefined;
  payload: string | Buffer | undefined;
  headers: Record<string, string>;
}

export interface FuzzContext {
  /** Valid values by field name, where the schema says less than the API checks (a URL, an event name…). */
  fields: Record<string, fc.Arbitrary<unknown>>;
  /** Real ids and names for path parameters, by the segment before them ("webhooks" → webhook ids). */
  knownIds: Record<string, string[]>;
}

const nested = (depth: number, leaf: unknown, wrap: (inner: unknown) => unknown): unknown => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = wrap(value);
  return value;
};

/** JSON of `{"__proto__": …}` kept as an own key, as a parsed request body has it. */
const protoKey = JSON.parse('{"__proto__":{"admin":true},"constructor":{"prototype":{"polluted":1}}}') as unknown;

/** Values of every wrong kind for any field: types, sizes, nesting, unicode and NUL. */
const brokenValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, Number.MIN_VALUE, '', ' ', [], {}, [[[]]], [{}],
    'x'.repeat(5_000), 'x'.repeat(200_000), '\u0000', 'a\u0000b', '\ud800', '\udfff\ud800', '🙂'.repeat(100),
    '\u202eevil', 'e\u0301', '../../etc/passwd', '%00', '${jndi:x}', "'; DROP TABLE webhooks; --", '*', '**', '.', 'a..b',
    '-1s', '0s', '999999999999d', '1e3s', 'NaN', 'Infinity', '2026-13-45T99:99:99Z', 'ftp://127.0.0.1/', 'javascript:alert(1)',
    'https://10.0.0.1/hook', 'https://[::1]:1/x', 'whsec_', 'whsec_!!!', protoKey,
    nested(62, 1, (inner) => ({ a: inner })), nested(70, 1, (inner) => [inner]),
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 4 }),
);

/** Strings of exactly `length` characters, of a few kinds (plain, multi-byte, NUL, lone surrogates). */
function stringsOfLength(length: number): fc.Arbitrary<string> {
  const fill = (unit: string) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  return fc.constantFrom(fill('x'), fill('é'), fill('\u0000'), fill('a\ud800'), fill('🙂'));
}

/** Values just inside and just outside what `schema` allows, beside wrong values of every kind. */
function brokenValueFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  const edges: fc.Arbitrary<unknown>[] = [];
  const types = typesOf(schema);
  if (types.includes('string')) {
    const max = schema.maxLength ?? 1_000;
    edges.push(stringsOfLength(max), stringsOfLength(max + 1), fc.string({ unit: 'binary', maxLength: Math.min(max, 200) }));
  }
  if (types.includes('integer') || types.includes('number')) {
    const min = schema.minimum ?? -(2 ** 31);
    const max = schema.maximum ?? 2 ** 31;
    edges.push(fc.constantFrom(min, max, min - 1, max + 1, min - 0.5, max * 2 ** 40));
  }
  if (types.includes('array')) edges.push(fc.constantFrom([], Array.from({ length: 1_000 }, () => 'x')), fc.array(brokenValue, { maxLength: 3 }));
  if (types.includes('object')) edges.push(fc.dictionary(fc.string({ maxLength: 10 }), brokenValue, { maxKeys: 3 }));
  return edges.length === 0 ? brokenValue : fc.oneof({ weight: 1, arbitrary: brokenValue }, { weight: 1, arbitrary: fc.oneof(...edges) });
}

function typesOf(schema: JsonSchema): string[] {
  return Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
}

/** Valid values for `schema`: the context's values for the field or its example, else anything the schema allows. */
export function validValue(schema: JsonSchema, field: string, context: FuzzContext): fc.Arbitrary<unknown> {
  const known = context.fields[field];
  if (known !== undefined) return known;
  if (schema.example !== undefined) return fc.constant(schema.example);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  const types = typesOf(schema);
  if (types.length === 0) return fc.jsonValue({ maxDepth: 3 });
  return fc.oneof(...types.map((type) => valueOfType(type, schema, field, context)));
}

function valueOfType(type: string, schema: JsonSchema, field: string, context: FuzzContext): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'array':
      return fc.array(validValue(schema.items ?? {}, field, context), { maxLength: 3 });
    case 'object':
      return validObject(schema, context);
    default:
      if (schema.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.format === 'email') return fc.constant('ops@example.com');
      if (schema.maxLength === undefined) return fc.string({ minLength: schema.minLength ?? 0, maxLength: 40 });
      // Now and then as long as allowed: a field's size limit is where its handling gets costly.
      return fc.oneof(
        { weight: 4, arbitrary: fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength, 40) }) },
        { weight: 1, arbitrary: stringsOfLength(schema.maxLength) },
      );
  }
}

function validObject(schema: JsonSchema, context: FuzzContext): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  if (Object.keys(properties).length === 0) {
    const values = typeof schema.additionalProperties === 'object' ? validValue(schema.additionalProperties, '', context) : fc.jsonValue({ maxDepth: 2 });
    return fc.dictionary(fc.string({ maxLength: 12 }), values, { maxKeys: 3 });
  }
  const model = Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, validValue(property, name, context)]));
  return fc.record(model, { requiredKeys: schema.required ?? [] });
}

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
function nearlyValidBody(schema: JsonSchema, context: FuzzContext): fc.Arbitrary<unknown> {
  const valid = validValue(schema, '', context);
  const fields = fieldsOf(schema);
  const unknownName = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'event', 'id', 'workspaceId', ''), fc.string({ maxLength: 20 }));
  const mutations: { weight: number; arbitrary: fc.Arbitrary<unknown> }[] = [
    { weight: 1, arbitrary: fc.tuple(valid, unknownName, brokenValue).map(([body, name, value]) => (typeof body === 'object' && body !== null ? withField(body, [name], value) : body)) },
    { weight: 1, arbitrary: fc.tuple(valid, brokenValue, fc.boolean()).map(([body, value, inArray]) => (inArray ? [body] : { wrapped: body, value })) },
  ];
  if (fields.length > 0) {
    const broken = fc.oneof(...fields.map((field) => brokenValueFor(field.schema).map((value) => ({ path: field.path, value }))));
    mutations.push({ weight: 5, arbitrary: fc.tuple(valid, broken).map(([body, { path, value }]) => withField(body, path, value)) });
    mutations.push({ weight: 1, arbitrary: fc.tuple(valid, fc.constantFrom(...fields)).map(([body, field]) => withField(body, field.path, undefined)) });
  }
  return fc.oneof(...mutations);
}

/** The invalid bytes go inside the first string value, so that everything around them parses. */
function withInvalidUtf8(json: string): Buffer {
  const bytes = Buffer.from(json);
  const at = json.indexOf(':"');
  const cut = at === -1 ? bytes.length : Buffer.byteLength(json.slice(0, at + 2));
  return Buffer.concat([bytes.subarray(0, cut), Buffer.from([0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80]), bytes.subarray(cut)]);
}

const OVER_LIMIT = `{"data":"${'x'.repeat(BODY_LIMIT_BYTES)}"}`;

/** Payloads no route should take: broken or non-JSON text, bad bytes, too deep, too big. */
const malformedPayload: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc.constantFrom<string | Buffer>(
    '', ' ', '\n', '{', '}', '{"a":', '[', 'nul', 'null', 'true', '123', '"text"', '[]', '{}', '{"a":1,"a":2}', '{"a":1,}', "{'a':1}",
    '\u0000', '{"a":"\u0000"}', '\ufeff{}', '{"a":1e999999}', '{"a":-0}', '{"a":"\\ud800"}', '{"a":"\\u0000"}', '{"__proto__":{"x":1}}',
    '['.repeat(10_000) + ']'.repeat(10_000), '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000), '['.repeat(100_000),
    Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]), Buffer.from([0xc0, 0xaf]), Buffer.from('{"a":"\xff"}', 'latin1'), OVER_LIMIT,
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
);

const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      undefined, 'application/json; charset=utf-8', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'APPLICATION/JSON',
      'application/json, text/plain', 'application/vnd.api+json', 'text/plain', 'text/html', 'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x', 'application/octet-stream', '', ';;;', 'application/json; boundary="',
    ),
  },
);

interface Body {
  contentType: string | undefined;
  payload: string | Buffer | undefined;
}

function bodyOf(operation: ApiOperation, context: FuzzContext): fc.Arbitrary<Body> {
  const json = (value: fc.Arbitrary<unknown>) => value.map((body) => JSON.stringify(body) ?? 'null');
  const none = fc.constant<Body>({ contentType: undefined, payload: undefined });
  const sent = (payload: fc.Arbitrary<string | Buffer>) => fc.record({ contentType, payload });
  if (operation.body === undefined) return fc.oneof({ weight: 4, arbitrary: none }, { weight: 1, arbitrary: sent(fc.oneof(json(fc.jsonValue({ maxDepth: 3 })), malformedPayload)) });
  const schema = operation.body;
  return fc.oneof(
    { weight: 3, arbitrary: sent(json(validValue(schema, '', context))) },
    { weight: 6, arbitrary: sent(json(nearlyValidBody(schema, context))) },
    { weight: 1, arbitrary: sent(json(validValue(schema, '', context)).map(withInvalidUtf8)) },
    { weight: 1, arbitrary: sent(json(fc.jsonValue({ maxDepth: 4 }))) },
    { weight: 2, arbitrary: sent(malformedPayload) },
    { weight: 1, arbitrary: none },
  );
}

/** encodeURIComponent, but a lone surrogate (which it refuses) goes out as the invalid UTF-8 bytes of one. */
function percentEncode(text: string): string {
  return Array.from(text, (char) => (/^[\ud800-\udfff]$/.test(char) ? '%ED%A0%80' : encodeURIComponent(char))).join('');
}

const oddSegments = fc.constantFrom(
  '%00', 'a%00b', '..', '.', '%2e%2e', '..%2F..%2Fetc%2Fpasswd', '%2F', 'a%2Fb', '%5C', '%ZZ', '%', '%C3%28', '%F0%9F%92%A9', '%E2%80%AE',
  '~', '*', '%20', '%27%3B%20DROP%20TABLE%20webhooks%3B--', 'x'.repeat(511), 'x'.repeat(513), 'x'.repeat(5_000),
  `wh_${'Z'.repeat(26)}`, `dlv_${'0'.repeat(26)}`, 'ws_', '0', '-1', 'null', 'undefined', 'a.b', 'a..b',
);

function pathValue(parameter: PathParameter, context: FuzzContext): fc.Arbitrary<string> {
  const own = context.knownIds[parameter.after] ?? [];
  const others = Object.values(context.knownIds).flat();
  const max = parameter.schema.maxLength ?? 512;
  const choices: { weight: number; arbitrary: fc.Arbitrary<string> }[] = [
    { weight: 2, arbitrary: oddSegments },
    { weight: 1, arbitrary: stringsOfLength(max).map(percentEncode) },
    { weight: 1, arbitrary: fc.constantFrom(...own, 'x').map((id) => percentEncode(id.padEnd(max, '0'))) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }).map(percentEncode) },
  ];
  if (own.length > 0) choices.push({ weight: 5, arbitrary: fc.constantFrom(...own).map(percentEncode) });
  if (others.length > 0) choices.push({ weight: 1, arbitrary: fc.constantFrom(...others).map(percentEncode) });
  return fc.oneof(...choices);
}

const oddQueryValue = fc.oneof(
  fc.constantFrom('', 'abc', '-1', '0', '1.5', '1e3', '101', '99999999999999999999', 'true', '[]', '{}', '%00', '%ZZ', 'x'.repeat(5_000), '%C3%28'),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map(percentEncode),
);

function queryPart(parameter: Parameter, context: FuzzContext): fc.Arbitrary<string[]> {
  const valid = validValue(parameter.schema, parameter.name, context).map((value) => `${parameter.name}=${percentEncode(String(value))}`);
  const odd = oddQueryValue.map((value) => `${parameter.name}=${value}`);
  // Mostly left out or valid, so that a request with several parameters often gets past the first; repeated
  // parameters arrive as an array where the schema expects one value.
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant<string[]>([]) },
    { weight: 3, arbitrary: valid.map((part) => [part]) },
    { weight: 1, arbitrary: odd.map((part) => [part]) },
    { weight: 1, arbitrary: fc.array(fc.oneof(valid, odd), { minLength: 2, maxLength: 3 }) },
  );
}

function queryOf(operation: ApiOperation, context: FuzzContext): fc.Arbitrary<string> {
  const unknown = fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 8 }), oddQueryValue).map(([name, value]) => `${percentEncode(name)}=${value}`) },
  );
  return fc.tuple(fc.tuple(...operation.query.map((parameter) => queryPart(parameter, context))), unknown).map(([parts, extra]) => {
    const all = [...parts.flat(), ...(extra === undefined ? [] : [extra])];
    return all.length === 0 ? '' : `?${all.join('&')}`;
  });
}

/** Header values must be printable ASCII for Node to send them at all. */
const headerText = (maxLength: number) => fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength });

function headersOf(operation: ApiOperation): fc.Arbitrary<Record<string, string>> {
  const value = fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.stringMatching(/^[!-~]{1,40}$/) },
    { weight: 1, arbitrary: fc.oneof(headerText(40), headerText(400), fc.constant('')) },
  );
  const entries = operation.headers.map((parameter) => value.map((text) => [parameter.name, text] as const));
  return fc.tuple(...entries).map((pairs) => Object.fromEntries(pairs.filter(([, value]) => value !== undefined)) as Record<string, string>);
}

/** Requests to `operation`: its path parameters, query, headers and body each valid, odd or malformed. */
export function requestFor(operation: ApiOperation, context: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const pathValues = fc.tuple(...operation.pathParameters.map((parameter) => pathValue(parameter, context)));
  return fc
    .record({
      pathValues,
      query: queryOf(operation, context),
      headers: headersOf(operation),
      body: bodyOf(operation, context),
      key: fc.constantFrom<FuzzRequest['key']>('admin', 'workspace'),
    })
    .map(({ pathValues: values, query, headers, body, key }) => {
      let index = 0;
      const path = operation.path.replace(/\{\w+\}/g, () => values[index++]!);
      return { method: operation.method, url: `${path}${query}`, key, headers, ...body };
    });
}
