// Unit tests of the retry decision: success, retry on the schedule, last attempt, 410, retryOn4xx, Retry-After.
import { describe, expect, it } from 'vitest';
import { decideOutcome, finalFailureText, isSuccess, parseRetryAfter } from './attempt-outcome.js';

const schedule = [1_000, 5_000, 30_000];

describe('decideOutcome', () => {
  it.each([200, 201, 202, 204, 299])('is a success on %i', (status) => {
    expect(decideOutcome({ status }, { failuresBefore: 0, scheduleMs: schedule, retryOn4xx: true })).toEqual({
      kind: 'success',
    });
    expect(decideOutcome({ status }, { failuresBefore: 2, scheduleMs: schedule, retryOn4xx: false })).toEqual({
      kind: 'success',
    });
  });

  it('is no success on 1xx, 3xx, or without an answer', () => {
    for (const status of [100, 199, 300, 301, 304]) expect(isSuccess({ status })).toBe(false);
    expect(isSuccess({ error: 'timeout' })).toBe(false);
    expect(decideOutcome({ status: 302 }, { failuresBefore: 0, scheduleMs: schedule, retryOn4xx: true })).toEqual({
      kind: 'retry',
      delayMs: 1_000,
    });
  });

  it('retries a 5xx after the schedule step for the failures so far', () => {
    expect(decideOutcome({ status: 500 }, { failuresBefore: 0, scheduleMs: schedule, retryOn4xx: true })).toEqual({
      kind: 'retry',
      delayMs: 1_000,
    });
    expect(decideOutcome({ status: 502 }, { failuresBefore: 1, scheduleMs: schedule, retryOn4xx: true })).toEqual({
      kind: 'retry',
      delayMs: 5_000,
    });
    expect(decideOutcome({ status: 503 }, { failuresBefore: 2, scheduleMs: schedule, retryOn4xx: true })).toEqual({
      kind: 'retry',
      delayMs: 30_000,
    });
  });

  it('retries a connection error like a 5xx', () => {
    expect(
      decideOutcome(
        { error: 'connection refused by 127.0.0.1:1' },
        { failuresBefore: 0, scheduleMs: schedule, retryOn4xx: false },
      ),
    ).toEqual({ kind: 'retry', delayMs: 1_000 });
  });

  it('fails for good after the last attempt (1 + schedule.length attempts), without disabling', () => {
    const outcome = decideOutcome({ status: 500 }, { failuresBefore: 3, scheduleMs: schedule, retryOn4xx: true });
    expect(outcome).toMatchObject({ kind: 'failed', disableWebhook: false });
    expect(outcome.kind === 'failed' && outcome.reason).toContain('4 attempts');
    expect(decideOutcome({ error: 'timeout' }, { failuresBefore: 0, scheduleMs: [], retryOn4xx: true })).toMatchObject({
      kind: 'failed',
      disableWebhook: false,
    });
  });

  it('ends at once on 410 Gone and disables the webhook, whatever retries are left', () => {
    for (const retryOn4xx of [true, false]) {
      const outcome = decideOutcome(
        { status: 410 },
        { failuresBefore: 0, scheduleMs: schedule, retryOn4xx: retryOn4xx },
      );
      expect(outcome).toMatchObject({ kind: 'failed', disableWebhook: true });
      expect(outcome.kind === 'failed' && outcome.reason).toContain('410');
    }
  });

  it('with retryOn4xx false ends a 400 or 404 at once', () => {
    for (const status of [400, 401, 403, 404, 422]) {
      const outcome = decideOutcome({ status }, { failuresBefore: 0, scheduleMs: schedule, retryOn4xx: false });
      expect(outcome).toMatchObject({ kind: 'failed', disableWebhook: false });
      expect(outcome.kind === 'failed' && outcome.reason).toContain(String(status));
    }
  });

  it('with retryOn4xx false still retries 408 and 429', () => {
    expect(decideOutcome({ status: 408 }, { failuresBefore: 0, scheduleMs: schedule, retryOn4xx: false })).toEqual({
      kind: 'retry',
      delayMs: 1_000,
    });
    expect(decideOutcome({ status: 429 }, { failuresBefore: 1, scheduleMs: schedule, retryOn4xx: false })).toEqual({
      kind: 'retry',
      delayMs: 5_000,
    });
  });

  it('with retryOn4xx true retries a 400 or 404', () => {
    expect(decideOutcome({ status: 400 }, { failuresBefore: 0, scheduleMs: schedule, retryOn4xx: true })).toEqual({
      kind: 'retry',
      delayMs: 1_000,
    });
    expect(decideOutcome({ status: 404 }, { failuresBefore: 0, scheduleMs: schedule, retryOn4xx: true })).toEqual({
      kind: 'retry',
      delayMs: 1_000,
    });
  });

  it('lets Retry-After on 429/503 lengthen the wait', () => {
    expect(
      decideOutcome(
        { status: 429, retryAfterMs: 60_000 },
        { failuresBefore: 0, scheduleMs: schedule, retryOn4xx: true },
      ),
    ).toEqual({ kind: 'retry', delayMs: 60_000 });
    expect(
      decideOutcome(
        { status: 503, retryAfterMs: 7_000 },
        { failuresBefore: 1, scheduleMs: schedule, retryOn4xx: true },
      ),
    ).toEqual({ kind: 'retry', delayMs: 7_000 });
  });

  it('never lets Retry-After shorten the wait', () => {
    expect(
      decideOutcome({ status: 429, retryAfterMs: 0 }, { failuresBefore: 1, scheduleMs: schedule, retryOn4xx: true }),
    ).toEqual({ kind: 'retry', delayMs: 5_000 });
    expect(
      decideOutcome({ status: 503, retryAfterMs: 100 }, { failuresBefore: 2, scheduleMs: schedule, retryOn4xx: true }),
    ).toEqual({ kind: 'retry', delayMs: 30_000 });
  });

  it('ignores Retry-After on other statuses and caps it at a day', () => {
    expect(
      decideOutcome(
        { status: 500, retryAfterMs: 60_000 },
        { failuresBefore: 0, scheduleMs: schedule, retryOn4xx: true },
      ),
    ).toEqual({ kind: 'retry', delayMs: 1_000 });
    expect(
      decideOutcome(
        { status: 429, retryAfterMs: 10 * 86_400_000 },
        { failuresBefore: 0, scheduleMs: schedule, retryOn4xx: true },
      ),
    ).toEqual({ kind: 'retry', delayMs: 86_400_000 });
  });

  it('does not retry past the schedule because of Retry-After', () => {
    expect(
      decideOutcome(
        { status: 429, retryAfterMs: 1_000 },
        { failuresBefore: 3, scheduleMs: schedule, retryOn4xx: true },
      ),
    ).toMatchObject({ kind: 'failed', disableWebhook: false });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-05-06T19:00:00.000Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('1', now)).toBe(1_000);
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP-date as the time left from now, never negative', () => {
    expect(parseRetryAfter('Wed, 06 May 2026 19:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 06 May 2026 18:00:00 GMT', now)).toBe(0);
  });

  it('is undefined when absent or unreadable', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
  });
});

describe('finalFailureText', () => {
  it('says what went wrong and why it ends, without saying the status twice', () => {
    const ended = (status: number, retryOn4xx = false) => {
      const outcome = decideOutcome({ status }, { failuresBefore: 3, scheduleMs: schedule, retryOn4xx });
      if (outcome.kind !== 'failed') throw new Error(`${status}: not a failure`);
      return finalFailureText(`the receiver answered ${status}`, outcome.reason);
    };
    expect(ended(400)).toBe('the receiver answered 400 and retryOn4xx is off');
    expect(ended(410)).toBe('the receiver answered 410 Gone');
    expect(ended(503)).toBe('the receiver answered 503; all 4 attempts failed');
    expect(finalFailureText('connect ECONNREFUSED 127.0.0.1:9', 'all 4 attempts failed')).toBe(
      'connect ECONNREFUSED 127.0.0.1:9; all 4 attempts failed',
    );
    expect(finalFailureText(null, 'all 1 attempts failed')).toBe('all 1 attempts failed');
  });
});
