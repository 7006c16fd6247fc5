// Token buckets by name (an API key's id, a client network) in this process's memory, bounded in number.
// A bucket starts full (`capacity` tokens) and refills at `perSecond`; taking from an empty one says how long to wait.
import { LRUCache } from 'lru-cache';
import { msUntilToken, refillTokens, takeToken, type TokenBucket } from '../domain/token-bucket.js';

export interface TokenBucketOptions {
  capacity: number;
  perSecond: number;
  /**
   * At most this many buckets, so names an attacker invents cannot grow memory. Past it the least recently used goes:
   * a name being refused is asked about on each of its requests and stays, however many fresh names come meanwhile.
   */
  maxBuckets: number;
}

export class TokenBuckets {
  private readonly buckets: LRUCache<string, TokenBucket>;

  constructor(private readonly options: TokenBucketOptions) {
    this.buckets = new LRUCache({ max: options.maxBuckets });
  }

  private refilled(name: string, nowMs: number): TokenBucket {
    const { capacity, perSecond } = this.options;
    let bucket = this.buckets.get(name);
    if (!bucket) {
      bucket = { tokens: capacity, refilledAtMs: nowMs };
      this.buckets.set(name, bucket);
    }
    refillTokens(bucket, capacity, perSecond, nowMs);
    return bucket;
  }

  /** Takes a token if there is one: answers 0, or else the milliseconds until there is one (nothing taken). */
  take(name: string, nowMs: number): number {
    const bucket = this.refilled(name, nowMs);
    return takeToken(bucket) ? 0 : msUntilToken(bucket, this.options.perSecond);
  }

  /** The milliseconds until `name` has a token (0: it has one now), taking none. */
  waitFor(name: string, nowMs: number): number {
    return this.buckets.has(name) ? msUntilToken(this.refilled(name, nowMs), this.options.perSecond) : 0;
  }

  /** How many buckets are kept (for tests of the bound). */
  get size(): number {
    return this.buckets.size;
  }
}
