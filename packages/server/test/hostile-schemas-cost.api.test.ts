// Event-type schemas written to hurt (issue #15), those whose cost grows faster than their size: refused by their size
// or the work they take, without freezing or filling the server.
import { Ajv } from 'ajv';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { schemaCalls } from './support/schema-calls.js';
import { expectError, startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
afterEach(async () => {
  vi.restoreAllMocks();
  await t?.close();
});

const { createType, publish, expectSchemaRefused, expectServerAnswers } = schemaCalls(() => t);

describe('schemas whose cost grows faster than the data', () => {
  it('refuses at create a schema too big, too deep or with too many subschemas, saying which', async () => {
    t = await startTestApp();
    const big = { description: 'x'.repeat(70 * 1024) };
    expect(expectSchemaRefused(await createType('too.big', big))).toMatch(/bytes of JSON, more than the 65536 allowed/);
    let deep: Record<string, unknown> = { type: 'string' };
    for (let n = 0; n < 32; n++) deep = { not: deep };
    expect(expectSchemaRefused(await createType('too.deep', deep))).toContain('more than 32 deep');
    const many = { anyOf: Array.from({ length: 2 }, () => ({ anyOf: Array.from({ length: 249 }, () => ({})) })) };
    expect(expectSchemaRefused(await createType('too.many', many))).toContain(
      '501 subschemas, more than the 500 allowed',
    );
  });

  it('refuses at create $refs that multiply (each of 30 definitions applying the next twice)', async () => {
    t = await startTestApp();
    const definitions: Record<string, unknown> = { d30: { type: 'number' } };
    for (let n = 0; n < 30; n++)
      definitions[`d${n}`] = { anyOf: [{ $ref: `#/definitions/d${n + 1}` }, { $ref: `#/definitions/d${n + 1}` }] };
    const message = expectSchemaRefused(await createType('refs.multiply', { definitions, $ref: '#/definitions/d0' }));
    expect(message).toContain('given up');
    expect(message).toContain('units of work');
    await expectServerAnswers();
  });

  it('answers 422 naming data when checking it would take too much work, and checks ordinary data of the same type', async () => {
    t = await startTestApp();
    const members = (from: number) =>
      Array.from({ length: 150 }, (_, n) => ({ type: 'number', maximum: 1_000 + from + n }));
    const schema = { type: 'array', items: { allOf: [{ allOf: members(0) }, { allOf: members(150) }] } };
    expect((await createType('costly.items', schema)).status).toBe(201);
    const error = expectError(await publish('costly.items', new Array(100_000).fill(0)), 422);
    expect(error.code).toBe('HOOKD_ERR_UNPROCESSABLE');
    expect(error.details).toEqual([
      { field: 'data', message: expect.stringContaining('could not be checked against the schema of "costly.items"') },
    ]);
    expect(error.message).toContain('units of work');
    expect((await publish('costly.items', [1, 2, 3])).status).toBe(202);
    expect(expectError(await publish('costly.items', [1, 'two']), 422).details).toEqual([
      { field: 'data.1', message: 'must be number' },
    ]);
  });

  it('checks uniqueItems over a 256 KiB array of objects, and names the first duplicate pair', async () => {
    t = await startTestApp();
    expect((await createType('unique.items', { type: 'array', uniqueItems: true })).status).toBe(201);
    const items = Array.from({ length: 14_000 }, (_, n) => ({ n, k: n % 7 }));
    expect((await publish('unique.items', items)).status).toBe(202);
    items.push({ k: 3 % 7, n: 3 });
    const error = expectError(await publish('unique.items', items), 422);
    expect(error.details).toEqual([
      { field: 'data', message: 'must NOT have duplicate items (items ## 3 and 14000 are identical)' },
    ]);
  });

  it('takes a big ordinary payload under an ordinary schema', async () => {
    t = await startTestApp();
    const fields = 'abcdefghij'.split('');
    const row = {
      type: 'object',
      required: ['a', 'b'],
      properties: Object.fromEntries(fields.map((f) => [f, { type: 'string', maxLength: 100 }])),
    };
    expect((await createType('rows.imported', { type: 'array', items: row })).status).toBe(201);
    const rows = Array.from({ length: 2_000 }, (_, n) => Object.fromEntries(fields.map((f) => [f, `${f}-${n}`])));
    expect(JSON.stringify(rows).length).toBeGreaterThan(200 * 1024);
    expect((await publish('rows.imported', rows)).status).toBe(202);
  });
});

describe('sizes checked before anything else looks at the schema', () => {
  // Ajv's validateSchema sits on the class both Ajv and Ajv2020 extend.
  const metaSchemaChecks = () =>
    vi.spyOn(Object.getPrototypeOf(Ajv.prototype) as Pick<Ajv, 'validateSchema'>, 'validateSchema');
  const range = <T>(length: number, item: (n: number) => T): T[] => Array.from({ length }, (_, n) => item(n));

  it('refuses an enum of 20,000 objects (229 KB) by its size, without checking it against the meta-schema', async () => {
    t = await startTestApp();
    const checks = metaSchemaChecks();
    expect((await createType('enum.small', { enum: range(3, (a) => ({ a })) })).status).toBe(201);
    expect(checks).toHaveBeenCalled();
    checks.mockClear();
    // Ajv's meta-schema compares every pair of enum values to find them unique: this one took it 8.8 s.
    const message = expectSchemaRefused(await createType('enum.big', { enum: range(20_000, (a) => ({ a })) }));
    expect(message).toMatch(/^is 228900 bytes of JSON, more than the 65536 allowed$/);
    expect(checks).not.toHaveBeenCalled();
    await expectServerAnswers();
  });

  it.each([
    ['an enum', (n: number) => ({ enum: range(n, (a) => ({ a })) }), '/enum'],
    [
      'a required list',
      (n: number) => ({ properties: { p: { required: range(n, (a) => `p${a}`) } } }),
      '/properties/p/required',
    ],
    [
      'a dependencies list of names',
      (n: number) => ({ dependencies: { a: range(n, (a) => `p${a}`) } }),
      '/dependencies/a',
    ],
    ['an allOf', (n: number) => ({ allOf: range(n, () => true) }), '/allOf'],
  ])(
    'takes %s of 256 items and refuses one of 257, naming where it is, before the meta-schema check',
    async (_what, schemaOf, pointer) => {
      t = await startTestApp();
      expect((await createType('list.max', schemaOf(256))).status).toBe(201);
      const checks = metaSchemaChecks();
      expect(expectSchemaRefused(await createType('list.over', schemaOf(257)))).toBe(
        `has an array of 257 items (at ${pointer}), more than the 256 allowed`,
      );
      expect(checks).not.toHaveBeenCalled();
    },
  );

  it('counts true and false in lists and maps as subschemas (5,000 false patternProperties froze Ajv for 9 s)', async () => {
    t = await startTestApp();
    const patterns = (n: number) => ({
      type: 'object',
      patternProperties: Object.fromEntries(range(n, (k) => [`^a${k}$`, false])),
    });
    expect((await createType('patterns.max', patterns(499))).status).toBe(201);
    expect(expectError(await publish('patterns.max', { a7: 1 }), 422).details?.[0]?.field).toBe('data.a7');
    const checks = metaSchemaChecks();
    expect(expectSchemaRefused(await createType('patterns.over', patterns(500)))).toBe(
      'holds 501 subschemas, more than the 500 allowed',
    );
    expect(checks).not.toHaveBeenCalled();
  });
});
