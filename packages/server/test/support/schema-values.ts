// fast-check arbitraries of JSON values from a JSON Schema: valid ones, values at and past its limits, and wrong ones.
import fc from 'fast-check';
import type { JsonSchema } from './openapi-operations.js';

/** Valid values by field name, for fields whose schema says less than the API checks (a URL, an event name…). */
export type FieldValues = Record<string, fc.Arbitrary<unknown>>;

const nested = (depth: number, leaf: unknown, wrap: (inner: unknown) => unknown): unknown => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = wrap(value);
  return value;
};

/** JSON of `{"__proto__": …}` kept as an own key, as a parsed request body has it. */
const protoKey = JSON.parse('{"__proto__":{"admin":true},"constructor":{"prototype":{"polluted":1}}}') as unknown;

/** Values of every wrong kind for any field: types, sizes, nesting, unicode and NUL. */
export const brokenValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    1e308,
    -1e308,
    2 ** 53 + 1,
    Number.MIN_VALUE,
    '',
    ' ',
    [],
    {},
    [[[]]],
    [{}],
    'x'.repeat(5_000),
    'x'.repeat(200_000),
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udfff\ud800',
    '🙂'.repeat(100),
    '\u202eevil',
    'e\u0301',
    '../../etc/passwd',
    '%00',
    '${jndi:x}',
    "'; DROP TABLE webhooks; --",
    '*',
    '**',
    '.',
    'a..b',
    '-1s',
    '0s',
    '999999999999d',
    '1e3s',
    'NaN',
    'Infinity',
    '2026-13-45T99:99:99Z',
    'ftp://127.0.0.1/',
    'javascript:alert(1)',
    'https://10.0.0.1/hook',
    'https://[::1]:1/x',
    'whsec_',
    'whsec_!!!',
    protoKey,
    nested(62, 1, (inner) => ({ a: inner })),
    nested(70, 1, (inner) => [inner]),
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 4 }),
);

/** Strings of exactly `length` characters, of a few kinds (plain, multi-byte, NUL, lone surrogates). */
export function stringsOfLength(length: number): fc.Arbitrary<string> {
  const fill = (unit: string) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  return fc.constantFrom(fill('x'), fill('é'), fill('\u0000'), fill('a\ud800'), fill('🙂'));
}

/** Values just inside and just outside what `schema` allows, beside wrong values of every kind. */
export function brokenValueFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  const edges: fc.Arbitrary<unknown>[] = [];
  const types = typesOf(schema);
  if (types.includes('string')) {
    const max = schema.maxLength ?? 1_000;
    edges.push(
      stringsOfLength(max),
      stringsOfLength(max + 1),
      fc.string({ unit: 'binary', maxLength: Math.min(max, 200) }),
    );
  }
  if (types.includes('integer') || types.includes('number')) {
    const min = schema.minimum ?? -(2 ** 31);
    const max = schema.maximum ?? 2 ** 31;
    edges.push(fc.constantFrom(min, max, min - 1, max + 1, min - 0.5, max * 2 ** 40));
  }
  if (types.includes('array'))
    edges.push(
      fc.constantFrom(
        [],
        Array.from({ length: 1_000 }, () => 'x'),
      ),
      fc.array(brokenValue, { maxLength: 3 }),
    );
  if (types.includes('object')) edges.push(fc.dictionary(fc.string({ maxLength: 10 }), brokenValue, { maxKeys: 3 }));
  return edges.length === 0
    ? brokenValue
    : fc.oneof({ weight: 1, arbitrary: brokenValue }, { weight: 1, arbitrary: fc.oneof(...edges) });
}

function typesOf(schema: JsonSchema): string[] {
  return Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
}

/** Valid values for `schema`: the given values for the field or its example, else anything the schema allows. */
export function validValue(schema: JsonSchema, field: string, fields: FieldValues): fc.Arbitrary<unknown> {
  const known = fields[field];
  if (known !== undefined) return known;
  if (schema.example !== undefined) return fc.constant(schema.example);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  const types = typesOf(schema);
  if (types.length === 0) return fc.jsonValue({ maxDepth: 3 });
  return fc.oneof(...types.map((type) => valueOfType(type, schema, field, fields)));
}

function valueOfType(type: string, schema: JsonSchema, field: string, fields: FieldValues): fc.Arbitrary<unknown> {
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
      return fc.array(validValue(schema.items ?? {}, field, fields), { maxLength: 3 });
    case 'object':
      return validObject(schema, fields);
    default:
      if (schema.format === 'date-time')
        return fc
          .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString());
      if (schema.format === 'email') return fc.constant('ops@example.com');
      if (schema.maxLength === undefined) return fc.string({ minLength: schema.minLength ?? 0, maxLength: 40 });
      // Now and then as long as allowed: a field's size limit is where its handling gets costly.
      return fc.oneof(
        {
          weight: 4,
          arbitrary: fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength, 40) }),
        },
        { weight: 1, arbitrary: stringsOfLength(schema.maxLength) },
      );
  }
}

function validObject(schema: JsonSchema, fields: FieldValues): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  if (Object.keys(properties).length === 0) {
    const values =
      typeof schema.additionalProperties === 'object'
        ? validValue(schema.additionalProperties, '', fields)
        : fc.jsonValue({ maxDepth: 2 });
    return fc.dictionary(fc.string({ maxLength: 12 }), values, { maxKeys: 3 });
  }
  const model = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => [name, validValue(property, name, fields)]),
  );
  return fc.record(model, { requiredKeys: schema.required ?? [] });
}
