// What happens after an attempt: done, retry later (when), or failed for good. Pure, so tests need no clock.

export interface AttemptResult {
  /** HTTP status, when the receiver answered. */
  status?: number | undefined;
  /** Why no answer came (timeout, refused, DNS, TLS, blocked). */
  error?: string | undefined;
  /** From a 429/503 Retry-After header, in milliseconds from now. */
  retryAfterMs?: number | undefined;
}

export type Outcome =
  | { kind: 'success' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'failed'; disableWebhook: boolean; reason: string };

/** Retry-After may push a retry later, never sooner, and never past a day. */
const MAX_RETRY_AFTER_MS = 86_400_000;

export function isSuccess(result: AttemptResult): boolean {
  return result.status !== undefined && result.status >= 200 && result.status < 300;
}

export interface RetryPolicy {
  /** Failed attempts already made in this round (0 for the first attempt). */
  failuresBefore: number;
  /** Waits before each retry; its length is the number of retries. */
  scheduleMs: readonly number[];
  retryOn4xx: boolean;
}

export function decideOutcome(result: AttemptResult, { failuresBefore, scheduleMs, retryOn4xx }: RetryPolicy): Outcome {
  if (isSuccess(result)) return { kind: 'success' };
  const status = result.status;
  if (status === 410) return { kind: 'failed', disableWebhook: true, reason: 'the receiver answered 410 Gone' };
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429 && !retryOn4xx) {
    return { kind: 'failed', disableWebhook: false, reason: `the receiver answered ${status} and retryOn4xx is off` };
  }
  const wait = scheduleMs[failuresBefore];
  if (wait === undefined)
    return { kind: 'failed', disableWebhook: false, reason: `all ${scheduleMs.length + 1} attempts failed` };
  const retryAfter = status === 429 || status === 503 ? Math.min(result.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS) : 0;
  return { kind: 'retry', delayMs: Math.max(wait, retryAfter) };
}

/** Retry-After as seconds ("120") or an HTTP date, in ms from `nowMs`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * The error recorded for an attempt that ends its delivery: what went wrong, then why it is not retried, said once
 * ("the receiver answered 400 and retryOn4xx is off", not "the receiver answered 400; the receiver answered 400 and …").
 */
export function finalFailureText(attemptError: string | null, reason: string): string {
  return attemptError === null || reason.startsWith(attemptError) ? reason : `${attemptError}; ${reason}`;
}
