// Event-type schemas written to hurt (issue #15): none may crash, freeze or fill the server, and none may stop publishing.
import { Ajv } from 'ajv';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startReceiver, type Receiver } from './support/receiver.js';
import { expectError, startTestApp, type TestApp } from './support/test-app.js';

const DRAFT_2020 = 'https://json-schema.org/draft/2020-12/schema';

let t: TestApp;
let receiver: Receiver | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await t?.close();
  await receiver?.close();
  receiver = undefined;
});

const createType = (name: string, schema: unknown) => t.call('POST', '/api/v1/event-types', { body: { name, schema } });
const publish = (type: string, data: unknown) => t.call('POST', '/api/v1/events', { body: { type, data } });

/** Asserts a 422 on `schema` and returns its message. */
function expectSchemaRefused(result: Awaited<ReturnType<typeof createType>>): string {
  const error = expectError(result, 422);
  expect(error.code).toBe('HOOKD_ERR_UNPROCESSABLE');
  expect(error.details?.map((d) => d.field)).toEqual(['schema']);
  expect(error.message).toMatch(/^schema: /);
  return error.details![0]!.message;
}

async function expectServerAnswers(): Promise<void> {
  expect((await t.call('GET', '/healthz')).status).toBe(200);
  expect((await t.call('GET', '/api/v1/event-types')).status).toBe(200);
}

describe('$async schemas (crash)', () => {
  it('refuses $async at create, at the root or deep inside, and the server goes on answering', async () => {
    t = await startTestApp();
    expect(expectSchemaRefused(await createType('boom.x', { $async: true, type: 'object' }))).toContain('$async');
    const nested = { $defs: { n: { $async: true, type: 'number' } }, properties: { x: { $ref: '#/$defs/n' } } };
    expect(expectSchemaRefused(await createType('boom.y', nested))).toContain('/$defs/n');
    // The publish that used to kill the process: there is no such type, so data is taken as it is.
    expect((await publish('boom.x', 42)).status).toBe(202);
    await expectServerAnswers();
  });

  it('answers 422 for a publish against an $async schema stored before hookd refused them', async () => {
    t = await startTestApp();
    await t.store.insertEventType({
      workspaceId: t.workspaceId,
      name: 'boom.x',
      description: '',
      schema: { $async: true, type: 'object' },
      createdAt: new Date(),
    });
    const error = expectError(await publish('boom.x', 42), 422);
    expect(error.details).toEqual([{ field: 'data', message: expect.stringContaining('$async') }]);
    await expectServerAnswers();
  });
});

describe('patterns (ReDoS)', () => {
  it('runs patterns on RE2: its syntax works at publish, so no pattern backtracks', async () => {
    t = await startTestApp();
    // `(?i)` and `\z` are RE2 syntax that JavaScript's RegExp refuses: only RE2 can compile and run this schema.
    expect((await createType('probe.re2', { type: 'string', pattern: '(?i)^abc\\z' })).status).toBe(201);
    expect((await publish('probe.re2', 'ABC')).status).toBe(202);
    expect(expectError(await publish('probe.re2', 'abd'), 422).details).toEqual([
      { field: 'data', message: 'must match pattern "(?i)^abc\\z"' },
    ]);
  });

  it('answers a publish of the evil input for "^(a+)+$", in pattern and in patternProperties', async () => {
    t = await startTestApp();
    // Proves RE2 runs first (see above), so that without it this test fails rather than hangs the suite.
    expect((await createType('probe.re2', { type: 'string', pattern: '(?i)^abc\\z' })).status).toBe(201);
    expect((await publish('probe.re2', 'ABC')).status).toBe(202);

    const evil = `${'a'.repeat(40)}!`;
    expect((await createType('evil.pattern', { type: 'string', pattern: '^(a+)+$' })).status).toBe(201);
    expect(expectError(await publish('evil.pattern', evil), 422).details).toEqual([
      { field: 'data', message: 'must match pattern "^(a+)+$"' },
    ]);
    expect((await publish('evil.pattern', 'a'.repeat(40))).status).toBe(202);

    expect(
      (
        await createType('evil.keys', {
          type: 'object',
          patternProperties: { '^(a+)+$': { type: 'number' } },
          additionalProperties: false,
        })
      ).status,
    ).toBe(201);
    expect(expectError(await publish('evil.keys', { [evil]: 1 }), 422).details?.[0]?.field).toBe('data');
    expect((await publish('evil.keys', { aaaa: 1 })).status).toBe(202);
    await expectServerAnswers();
  });

  it.each([
    ['a backreference', { pattern: '^(a+)\\1$' }, '^(a+)\\1$'],
    ['a lookahead', { pattern: '^(?=.*\\d)\\w+$' }, '^(?=.*\\d)\\w+$'],
    ['a lookbehind in patternProperties', { patternProperties: { '(?<!x)y': {} } }, '(?<!x)y'],
  ])('refuses %s at create with 422 naming the pattern', async (_what, schema, pattern) => {
    t = await startTestApp();
    const message = expectSchemaRefused(await createType('bad.pattern', schema));
    expect(message).toContain(JSON.stringify(pattern));
    expect(message).toContain('linear time');
    expectError(await t.call('GET', '/api/v1/event-types/bad.pattern'), 404);
  });
});

describe('schemas that used to break publishing', () => {
  it('refuses a $dynamicRef that refers to itself without end (publish answered 500)', async () => {
    t = await startTestApp();
    const message = expectSchemaRefused(await createType('dyn.loop', { $schema: DRAFT_2020, $dynamicRef: '#n' }));
    expect(message).toContain('refers to itself without end');
    expect(expectSchemaRefused(await createType('ref.loop', { anyOf: [{ $ref: '#' }] }))).toContain(
      'refers to itself without end',
    );
  });

  it('takes a recursive schema and checks nested data with it', async () => {
    t = await startTestApp();
    expect((await createType('tree.plain', { properties: { a: { $ref: '#' } } })).status).toBe(201);
    expect((await publish('tree.plain', { a: { a: { a: 1 } } })).status).toBe(202);
    const tree = { type: 'object', properties: { a: { $ref: '#' } } };
    expect((await createType('tree.typed', tree)).status).toBe(201);
    expect((await publish('tree.typed', { a: { a: {} } })).status).toBe(202);
    expect(expectError(await publish('tree.typed', { a: { a: 1 } }), 422).details).toEqual([
      { field: 'data.a.a', message: 'must be object' },
    ]);
    const dynamic = {
      $schema: DRAFT_2020,
      $dynamicAnchor: 'node',
      type: 'object',
      properties: { next: { $dynamicRef: '#node' } },
    };
    expect((await createType('tree.dynamic', dynamic)).status).toBe(201);
    expect((await publish('tree.dynamic', { next: { next: {} } })).status).toBe(202);
    expect(expectError(await publish('tree.dynamic', { next: { next: 'x' } }), 422).details).toEqual([
      { field: 'data.next.next', message: 'must be object' },
    ]);
  });

  it('refuses a $ref to a remote schema with 422 and fetches nothing', async () => {
    t = await startTestApp();
    receiver = await startReceiver({ then: { status: 200, body: '{"type": "string"}' } });
    const remote = `${receiver.origin}/schema.json`;
    expect(expectSchemaRefused(await createType('remote.root', { $ref: remote }))).toContain(remote);
    expect(
      expectSchemaRefused(await createType('remote.deep', { properties: { a: { $ref: `${remote}#/definitions/x` } } })),
    ).toContain('fetches no schemas');
    expect(
      expectSchemaRefused(
        await createType('remote.relative', { $id: `${receiver.origin}/main.json`, $ref: 'other.json' }),
      ),
    ).toContain(`${receiver.origin}/other.json`);
    expect(receiver.requests).toEqual([]);
  });

  it('refuses a $ref pointing into a value (where the work meter is not), but takes one into a property named like a keyword', async () => {
    t = await startTestApp();
    const intoEnum = { enum: [{ allOf: [{ $ref: '#' }] }], allOf: [{ $ref: '#/enum/0' }] };
    expect(expectSchemaRefused(await createType('ref.value', intoEnum))).toContain('"#/enum/0"');
    const named = { properties: { default: { type: 'string' }, other: { $ref: '#/properties/default' } } };
    expect((await createType('ref.named', named)).status).toBe(201);
    expect(expectError(await publish('ref.named', { other: 1 }), 422).details).toEqual([
      { field: 'data.other', message: 'must be string' },
    ]);
  });
});

describe('compiled schemas held in memory', () => {
  it('keeps at most --schema-cache compiled validators, through any number of types created, used and deleted', async () => {
    t = await startTestApp({ schemaCacheSize: 5 });
    for (let n = 0; n < 12; n++) {
      const schema = {
        type: 'object',
        required: [`field${n}`],
        properties: { [`field${n}`]: { type: 'integer', minimum: n } },
      };
      expect((await createType(`churn.t${n}`, schema)).status).toBe(201);
      expect((await publish(`churn.t${n}`, { [`field${n}`]: n })).status).toBe(202);
      expect((await publish(`churn.t${n}`, { [`field${n}`]: -1 })).status).toBe(422);
      if (n % 2 === 0) expect((await t.call('DELETE', `/api/v1/event-types/churn.t${n}`)).status).toBe(204);
      expect(t.dataValidators.size).toBeLessThanOrEqual(5);
    }
    expect(t.dataValidators.size).toBe(5);
    // A type whose validator was dropped is compiled again and checks as before.
    expect(expectError(await publish('churn.t1', { field1: 0 }), 422).details).toEqual([
      { field: 'data.field1', message: 'must be >= 1' },
    ]);
    expect((await publish('churn.t1', { field1: 1 })).status).toBe(202);
  });
});

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
