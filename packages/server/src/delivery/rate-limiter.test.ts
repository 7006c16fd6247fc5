// Webhooks' delivery rate limits, on a clock the test moves by hand (milliseconds in, no waiting).
import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

/** Tokens taken in a row at `nowMs` before the first refusal. */
function takenInARow(limiter: RateLimiter, webhookId: string, perSecond: number, nowMs: number): number {
  let taken = 0;
  while (limiter.tryTake(webhookId, perSecond, nowMs)) taken++;
  return taken;
}

describe('RateLimiter', () => {
  it('always lets a webhook with no limit send, and never lists it as blocked', () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 1_000; i++) expect(limiter.tryTake('wh_free', null, 0)).toBe(true);
    expect(limiter.blocked(0)).toEqual({ webhookIds: [], nextTokenAt: undefined });
  });

  it('lets a quiet webhook burst to one second of its limit, then one more every 1/limit second', () => {
    const limiter = new RateLimiter();
    expect(takenInARow(limiter, 'wh_a', 4, 10_000)).toBe(4);
    expect(limiter.tryTake('wh_a', 4, 10_249)).toBe(false);
    expect(limiter.tryTake('wh_a', 4, 10_250)).toBe(true);
    expect(limiter.tryTake('wh_a', 4, 10_250)).toBe(false);
    // However long it was quiet, the bucket holds one second's worth and no more.
    expect(takenInARow(limiter, 'wh_a', 4, 60_000)).toBe(4);
  });

  it('lists the webhooks out of tokens, with when the first of them gets one back', () => {
    const limiter = new RateLimiter();
    takenInARow(limiter, 'wh_fast', 10, 0);
    limiter.tryTake('wh_spare', 10, 0);
    takenInARow(limiter, 'wh_slow', 1, 0);
    expect(limiter.blocked(0)).toEqual({ webhookIds: ['wh_fast', 'wh_slow'], nextTokenAt: 100 });
    expect(limiter.blocked(100)).toEqual({ webhookIds: ['wh_slow'], nextTokenAt: 1_000 });
    expect(limiter.blocked(1_000)).toEqual({ webhookIds: [], nextTokenAt: undefined });
  });

  it('keeps each webhook to its own bucket', () => {
    const limiter = new RateLimiter();
    takenInARow(limiter, 'wh_a', 2, 0);
    expect(takenInARow(limiter, 'wh_b', 2, 0)).toBe(2);
  });

  it('starts a full bucket at the new rate when a webhook changes its limit', () => {
    const limiter = new RateLimiter();
    takenInARow(limiter, 'wh_a', 1, 0);
    expect(takenInARow(limiter, 'wh_a', 3, 0)).toBe(3);
    expect(limiter.blocked(0)).toEqual({ webhookIds: ['wh_a'], nextTokenAt: 334 });
  });
});
