// The arithmetic of one token bucket, shared by the API's request limits and webhooks' delivery rate limits: it
// refills continuously at `perSecond` up to `capacity`, and a request takes one whole token.

export interface TokenBucket {
  tokens: number;
  refilledAtMs: number;
}

/** Adds what has refilled since the bucket was last refilled, up to `capacity`. */
export function refillTokens(bucket: TokenBucket, capacity: number, perSecond: number, nowMs: number): void {
  bucket.tokens = Math.min(capacity, bucket.tokens + ((nowMs - bucket.refilledAtMs) * perSecond) / 1000);
  bucket.refilledAtMs = nowMs;
}

/** The milliseconds until the bucket holds a whole token (0: it holds one now). */
export function msUntilToken(bucket: TokenBucket, perSecond: number): number {
  return bucket.tokens >= 1 ? 0 : Math.ceil(((1 - bucket.tokens) * 1000) / perSecond);
}

/** Takes a token if there is a whole one; says whether it did. */
export function takeToken(bucket: TokenBucket): boolean {
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}
