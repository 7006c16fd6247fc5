// The API's limits per caller: requests a second per API key, and failed authentications a minute per client address
// (per /64 for IPv6). Kept per process, in memory (see token-buckets.ts): behind a load balancer each process limits
// on its own.
import { HookdError } from '../domain/errors.js';
import { clientNetwork } from './client-network.js';
import { TokenBuckets } from './token-buckets.js';

export interface ApiLimits {
  /** Requests a second per API key, with a burst of one second's worth; 0: no limit. */
  requestsPerSecondPerKey: number;
  /** Failed authentications a minute per client address, with a burst of as many; 0: no limit. */
  failedAuthsPerMinutePerAddress: number;
}

// Per-key buckets are named by the id of a key that authenticated, so there are no more than there are keys; the
// bound matters for addresses, which anyone can bring. 10,000 buckets are about 1 MB.
const MAX_BUCKETS = 10_000;

/** Answers 429 with Retry-After in whole seconds (at least 1, as HTTP has no smaller unit). */
export class RateLimited extends HookdError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('HOOKD_ERR_RATE_LIMITED', message);
  }
}

export class RequestLimits {
  private readonly byKey: TokenBuckets | undefined;
  private readonly failuresByAddress: TokenBuckets | undefined;

  constructor(private readonly limits: ApiLimits) {
    const perKey = limits.requestsPerSecondPerKey;
    if (perKey > 0) this.byKey = new TokenBuckets({ capacity: perKey, perSecond: perKey, maxBuckets: MAX_BUCKETS });
    const failures = limits.failedAuthsPerMinutePerAddress;
    if (failures > 0)
      this.failuresByAddress = new TokenBuckets({
        capacity: failures,
        perSecond: failures / 60,
        maxBuckets: MAX_BUCKETS,
      });
  }

  /**
   * Before the key is looked at: an address out of failures is refused whatever it sends, so guessing keys from it
   * learns nothing (a right key would be refused too) and costs no lookup.
   */
  checkAddress(address: string, nowMs: number): void {
    const waitMs = this.failuresByAddress?.waitFor(clientNetwork(address), nowMs) ?? 0;
    if (waitMs > 0) {
      throw new RateLimited(
        `too many failed authentications from this address (at most ${this.limits.failedAuthsPerMinutePerAddress} a minute); try again later`,
        seconds(waitMs),
      );
    }
  }

  authenticationFailed(address: string, nowMs: number): void {
    this.failuresByAddress?.take(clientNetwork(address), nowMs);
  }

  /** After authentication: one request of this key's allowance. */
  takeForKey(keyId: string, nowMs: number): void {
    const waitMs = this.byKey?.take(keyId, nowMs) ?? 0;
    if (waitMs > 0)
      throw new RateLimited(
        `too many requests with this API key (at most ${this.limits.requestsPerSecondPerKey} a second); slow down`,
        seconds(waitMs),
      );
  }
}

const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));
