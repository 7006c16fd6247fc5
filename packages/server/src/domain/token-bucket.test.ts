// The token bucket's arithmetic in plain numbers: refill up to capacity, the wait for a whole token, taking one.
import { expect, it } from 'vitest';
import { msUntilToken, refillTokens, takeToken, type TokenBucket } from './token-bucket.js';

it('refills at perSecond for the time passed, never past capacity', () => {
  const bucket: TokenBucket = { tokens: 0, refilledAtMs: 1_000 };
  refillTokens(bucket, 3, 2, 1_250);
  expect(bucket).toEqual({ tokens: 0.5, refilledAtMs: 1_250 });
  refillTokens(bucket, 3, 2, 2_250);
  expect(bucket).toEqual({ tokens: 2.5, refilledAtMs: 2_250 });
  refillTokens(bucket, 3, 2, 60_000);
  expect(bucket).toEqual({ tokens: 3, refilledAtMs: 60_000 });
});

it('says how long until a whole token, in whole milliseconds rounded up, and 0 while there is one', () => {
  expect(msUntilToken({ tokens: 1, refilledAtMs: 0 }, 2)).toBe(0);
  expect(msUntilToken({ tokens: 0.5, refilledAtMs: 0 }, 2)).toBe(250);
  expect(msUntilToken({ tokens: 0, refilledAtMs: 0 }, 3)).toBe(334);
  expect(msUntilToken({ tokens: 0, refilledAtMs: 0 }, 20 / 60)).toBe(3_000);
});

it('takes only a whole token', () => {
  const bucket: TokenBucket = { tokens: 1.5, refilledAtMs: 0 };
  expect(takeToken(bucket)).toBe(true);
  expect(bucket.tokens).toBe(0.5);
  expect(takeToken(bucket)).toBe(false);
  expect(bucket.tokens).toBe(0.5);
});
