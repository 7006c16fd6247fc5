// Token buckets by name (an API key's id, a client address) in this process's memory, bounded in number.
// A bucket starts full (`capacity` tokens) and refills at `perSecond`; taking from an empty one says how long to wait.

interface Bucket {
  tokens: number;
  refilledAtMs: number;
}

export interface TokenBucketOptions {
  capacity: number;
  perSecond: number;
  /** At most this many buckets: past it the oldest made goes, so names an attacker invents cannot grow memory. */
  maxBuckets: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly options: TokenBucketOptions) {}

  private refilled(name: string, nowMs: number): Bucket {
    const { capacity, perSecond, maxBuckets } = this.options;
    let bucket = this.buckets.get(name);
    if (!bucket) {
      if (this.buckets.size >= maxBuckets) this.buckets.delete(this.buckets.keys().next().value!);
      bucket = { tokens: capacity, refilledAtMs: nowMs };
      this.buckets.set(name, bucket);
      return bucket;
    }
    bucket.tokens = Math.min(capacity, bucket.tokens + ((nowMs - bucket.refilledAtMs) * perSecond) / 1000);
    bucket.refilledAtMs = nowMs;
    return bucket;
  }

  private untilToken(bucket: Bucket): number {
    return bucket.tokens >= 1 ? 0 : Math.ceil(((1 - bucket.tokens) * 1000) / this.options.perSecond);
  }

  /** Takes a token if there is one: answers 0, or else the milliseconds until there is one (nothing taken). */
  take(name: string, nowMs: number): number {
    const bucket = this.refilled(name, nowMs);
    const waitMs = this.untilToken(bucket);
    if (waitMs === 0) bucket.tokens -= 1;
    return waitMs;
  }

  /** The milliseconds until `name` has a token (0: it has one now), taking none. */
  waitFor(name: string, nowMs: number): number {
    const bucket = this.buckets.get(name);
    return bucket ? this.untilToken(this.refilled(name, nowMs)) : 0;
  }

  /** How many buckets are kept (for tests of the bound). */
  get size(): number {
    return this.buckets.size;
  }
}
