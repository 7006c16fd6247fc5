// Per-webhook rate limits (`rateLimit` deliveries a second) as token buckets, kept in this process's memory.
// A bucket holds up to one second's worth, so a quiet webhook may burst to its limit and no further.

interface Bucket {
  tokens: number;
  refilledAt: number;
  perSecond: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  private refill(webhookId: string, perSecond: number, nowMs: number): Bucket {
    let bucket = this.buckets.get(webhookId);
    if (!bucket || bucket.perSecond !== perSecond) {
      bucket = { tokens: perSecond, refilledAt: nowMs, perSecond };
      this.buckets.set(webhookId, bucket);
    }
    bucket.tokens = Math.min(perSecond, bucket.tokens + ((nowMs - bucket.refilledAt) * perSecond) / 1000);
    bucket.refilledAt = nowMs;
    return bucket;
  }

  /** Takes one token if the webhook has one; a null limit always allows. */
  tryTake(webhookId: string, perSecond: number | null, nowMs: number): boolean {
    if (perSecond === null) return true;
    const bucket = this.refill(webhookId, perSecond, nowMs);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Webhooks with no token now, and when the first of them gets one back. */
  blocked(nowMs: number): { webhookIds: string[]; nextTokenAt: number | undefined } {
    const webhookIds: string[] = [];
    let nextTokenAt: number | undefined;
    for (const [webhookId, bucket] of this.buckets) {
      const { tokens, perSecond } = this.refill(webhookId, bucket.perSecond, nowMs);
      if (tokens >= 1) {
        // Full buckets carry no information; dropping them keeps the map to the webhooks being limited now.
        if (tokens >= perSecond) this.buckets.delete(webhookId);
        continue;
      }
      webhookIds.push(webhookId);
      const at = nowMs + Math.ceil(((1 - tokens) * 1000) / perSecond);
      nextTokenAt = nextTokenAt === undefined ? at : Math.min(nextTokenAt, at);
    }
    return { webhookIds, nextTokenAt };
  }
}
