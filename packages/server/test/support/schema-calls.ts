// The calls the hostile-schema tests make of a test app: create an event type with a schema, publish to it, and the
// checks that a schema was refused and that the server still answers.
import { expect } from 'vitest';
import { expectError, type CallResult, type TestApp } from './test-app.js';

export interface SchemaCalls {
  createType: (name: string, schema: unknown) => Promise<CallResult>;
  publish: (type: string, data: unknown) => Promise<CallResult>;
  /** Asserts a 422 on `schema` and returns its message. */
  expectSchemaRefused: (result: CallResult) => string;
  expectServerAnswers: () => Promise<void>;
}

/** Calls on `app()`, read at each call: the tests start a new app in each test. */
export function schemaCalls(app: () => TestApp): SchemaCalls {
  return {
    createType: (name, schema) => app().call('POST', '/api/v1/event-types', { body: { name, schema } }),
    publish: (type, data) => app().call('POST', '/api/v1/events', { body: { type, data } }),
    expectSchemaRefused: (result) => {
      const error = expectError(result, 422);
      expect(error.code).toBe('HOOKD_ERR_UNPROCESSABLE');
      expect(error.details?.map((d) => d.field)).toEqual(['schema']);
      expect(error.message).toMatch(/^schema: /);
      return error.details![0]!.message;
    },
    expectServerAnswers: async () => {
      expect((await app().call('GET', '/healthz')).status).toBe(200);
      expect((await app().call('GET', '/api/v1/event-types')).status).toBe(200);
    },
  };
}
