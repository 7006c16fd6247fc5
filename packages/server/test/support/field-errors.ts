// Reading the API's 400 validation errors, for the bad-input tests.
import { expect } from 'vitest';
import { expectError, type CallResult } from './test-app.js';

/** A webhook URL every rule accepts, for bodies wrong elsewhere. */
export const URL_OK = 'https://example.com/hooks';

/** A 400 validation error whose details name `field` and whose message starts with it. */
export function expectFieldError(result: CallResult, field: string): { field: string; message: string } {
  const error = expectError(result, 400);
  expect(error.code).toBe('HOOKD_ERR_VALIDATION');
  const problem = error.details?.find((d) => d.field === field);
  expect(problem, `details ${JSON.stringify(error.details)} should name ${field}`).toBeDefined();
  expect(error.message).toContain(field);
  return problem!;
}

/** The response body, typed as the caller expects it. */
export const bodyOf = <T = { id: string; url: string }>(result: CallResult): T => result.body as T;
export const errorCodeOf = (result: CallResult): unknown =>
  bodyOf<{ error?: { code?: unknown } } | undefined>(result)?.error?.code;
