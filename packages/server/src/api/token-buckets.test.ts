// Token buckets with time given, not waited for: bursts, refills, waits, and a bound on how many are kept.
import { expect, it } from 'vitest';
import { TokenBuckets } from './token-buckets.js';

it('lets a burst of `capacity` through, then one per refill, answering how long to wait meanwhile', () => {
  const buckets = new TokenBuckets({ capacity: 3, perSecond: 2, maxBuckets: 10 });
  expect([0, 0, 0].map(() => buckets.take('a', 1_000))).toEqual([0, 0, 0]);
  expect(buckets.take('a', 1_000)).toBe(500);
  expect(buckets.waitFor('a', 1_250)).toBe(250);
  expect(buckets.take('a', 1_500)).toBe(0);
  expect(buckets.take('a', 1_500)).toBe(500);
  expect(buckets.take('b', 1_500)).toBe(0); // another name has its own bucket
  // Idle long enough, a bucket is full again, and no fuller.
  expect([0, 0, 0, 0].map(() => buckets.take('a', 60_000))).toEqual([0, 0, 0, 500]);
});

it('asks nothing of a name it has never seen, and keeps no bucket for it', () => {
  const buckets = new TokenBuckets({ capacity: 1, perSecond: 1, maxBuckets: 10 });
  expect(buckets.waitFor('stranger', 0)).toBe(0);
  expect(buckets.size).toBe(0);
});

it('keeps at most maxBuckets, however many names are invented', () => {
  const buckets = new TokenBuckets({ capacity: 1, perSecond: 1 / 60, maxBuckets: 100 });
  for (let i = 0; i < 10_000; i++) buckets.take(`198.51.100.${i}`, 0);
  expect(buckets.size).toBe(100);
  // The newest are still limited.
  expect(buckets.take('198.51.100.9999', 0)).toBe(60_000);
});

it('drops the least recently used bucket first: a name being refused keeps its bucket while fresh names come and go', () => {
  const buckets = new TokenBuckets({ capacity: 1, perSecond: 1 / 60, maxBuckets: 100 });
  expect(buckets.take('203.0.113.7', 0)).toBe(0);
  expect(buckets.take('203.0.113.7', 0)).toBe(60_000);
  for (let i = 0; i < 10_000; i++) {
    buckets.take(`198.51.100.${i}`, 0);
    // The refused address keeps trying now and then, as a guesser does.
    if (i % 50 === 0) expect(buckets.waitFor('203.0.113.7', 0)).toBe(60_000);
  }
  expect(buckets.waitFor('203.0.113.7', 0)).toBe(60_000);
  expect(buckets.size).toBe(100);
});
