// Unit checks of the schema compiler's parts whose mistakes an API test would not show at once.
import { describe, expect, it } from 'vitest';
import { buildDataValidator, dataSchemaRefusal, type DataValidator } from './json-schema.js';
import { pointerLeavesSchemas } from './json-schema-walk.js';

function validatorOf(schema: Record<string, unknown>): DataValidator {
  const built = buildDataValidator(schema);
  if (!('validator' in built)) throw new Error(built.refusal.message);
  return built.validator;
}

describe('uniqueItems', () => {
  const unique = validatorOf({ uniqueItems: true });
  it.each([
    [
      'objects whatever their key order',
      [
        { a: 1, b: [2, { c: 3, d: 4 }] },
        { b: [2, { d: 4, c: 3 }], a: 1 },
      ],
    ],
    ['1 and 1.0', [1, 1.0]],
    [
      'equal arrays',
      [
        [1, 'x'],
        [1, 'x'],
      ],
    ],
  ])('finds duplicates among %s', (_what, items) => {
    expect(unique(items)).toEqual({
      problems: [{ field: 'data', message: 'must NOT have duplicate items (items ## 0 and 1 are identical)' }],
    });
  });
  it("reads each item a few times, not once per pair as Ajv's own does (4 million reads for 2,000 items)", () => {
    let itemReads = 0;
    const items = new Proxy(
      Array.from({ length: 2_000 }, (_, n) => ({ n })),
      {
        get(target, key, receiver) {
          if (typeof key === 'string' && /^\d+$/.test(key)) itemReads += 1;
          return Reflect.get(target, key, receiver) as unknown;
        },
      },
    );
    expect(unique(items)).toEqual({ problems: [] });
    expect(itemReads).toBeLessThanOrEqual(3 * 2_000);
  });
  it.each([
    ['1 and "1"', [1, '1']],
    ['null and "null"', [null, 'null']],
    [
      'arrays in another order',
      [
        [1, 2],
        [2, 1],
      ],
    ],
    ['{} and []', [{}, []]],
  ])('tells apart %s', (_what, items) => {
    expect(unique(items)).toEqual({ problems: [] });
  });
});

describe('the meta-schema check', () => {
  it("finds duplicate enum values reading each a few times, not once per pair as Ajv's own uniqueItems does", () => {
    let itemReads = 0;
    // The duplicate pair comes first: Ajv's own compares every later value with all before it until it gets there.
    const values = new Proxy([{ a: 0 }, ...Array.from({ length: 255 }, (_, a) => ({ a }))], {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) itemReads += 1;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    expect(dataSchemaRefusal({ enum: values })).toEqual({
      kind: 'invalid',
      message: 'is not a valid JSON Schema: schema/enum must NOT have duplicate items (items ## 0 and 1 are identical)',
    });
    expect(itemReads).toBeLessThanOrEqual(4 * 256);
  });
});

describe('pointerLeavesSchemas', () => {
  it.each([
    '/enum/0',
    '/$defs/a/const',
    '/properties/x/default/y',
    '/items/examples/0',
    '/x-custom/enum/1',
    '/anyOf/0/enum/0',
  ])('is true for %s', (pointer) => {
    expect(pointerLeavesSchemas(pointer)).toBe(true);
  });
  it.each([
    '',
    '/$defs/a',
    '/properties/enum',
    '/properties/default/items',
    '/anyOf/1',
    '/items/0',
    '/x-custom/0/not',
    '/patternProperties/const',
  ])('is false for %j', (pointer) => {
    expect(pointerLeavesSchemas(pointer)).toBe(false);
  });
});
