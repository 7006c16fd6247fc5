// The one error type that crosses layers; the API turns its code into a status in api/error-status.ts.

export type HookdErrorCode =
  | 'HOOKD_ERR_VALIDATION'
  | 'HOOKD_ERR_UNAUTHORIZED'
  | 'HOOKD_ERR_FORBIDDEN'
  | 'HOOKD_ERR_CSRF'
  | 'HOOKD_ERR_NOT_FOUND'
  | 'HOOKD_ERR_WEBHOOK_NOT_FOUND'
  | 'HOOKD_ERR_WORKSPACE_NOT_FOUND'
  | 'HOOKD_ERR_EVENT_TYPE_NOT_FOUND'
  | 'HOOKD_ERR_CONFLICT'
  | 'HOOKD_ERR_IDEMPOTENCY_CONFLICT'
  | 'HOOKD_ERR_UNPROCESSABLE'
  | 'HOOKD_ERR_PAYLOAD_TOO_LARGE'
  | 'HOOKD_ERR_UNSUPPORTED_MEDIA_TYPE'
  | 'HOOKD_ERR_RATE_LIMITED'
  | 'HOOKD_ERR_INTERNAL'
  | 'HOOKD_ERR_UNAVAILABLE';

/** One problem with one input field; `field` is a dotted path such as `retry.schedule[2]`. */
export interface FieldProblem {
  field: string;
  message: string;
}

export class HookdError extends Error {
  constructor(
    readonly code: HookdErrorCode,
    message: string,
    readonly details?: FieldProblem[],
  ) {
    super(message);
    this.name = 'HookdError';
  }
}

/** Throws one validation error listing every problem, so a client can fix them all in one go. */
export function throwIfProblems(problems: FieldProblem[]): void {
  const first = problems[0];
  if (!first) return;
  const message =
    problems.length === 1
      ? `${first.field}: ${first.message}`
      : `${first.field}: ${first.message} (and ${problems.length - 1} more)`;
  throw new HookdError('HOOKD_ERR_VALIDATION', message, problems);
}
