// Event-type schemas written to hurt (issue #15), those that crashed the server or stopped publishing: $async, ReDoS
// patterns, endless or remote $refs, and the compiled schemas held in memory.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startReceiver, type Receiver } from './support/receiver.js';
import { schemaCalls } from './support/schema-calls.js';
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

const { createType, publish, expectSchemaRefused, expectServerAnswers } = schemaCalls(() => t);

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
