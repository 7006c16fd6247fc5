// The answers of recent DNS lookups, kept for their TTL within a floor and a ceiling; failures for a short while.
// Bounded (lru-cache): the least recently used name goes first, so a tenant making up names cannot grow it without
// end.
import { LRUCache } from 'lru-cache';

/** A lookup's outcome: the addresses a name has, or why it has none (the attempt's error text). */
export type DnsAnswer = { addresses: string[] } | { failure: string };

export interface DnsCacheLimits {
  /** Names kept at most. */
  maxEntries: number;
  /** Shortest time an answer is kept, whatever its TTL (ms). */
  minTtlMs: number;
  /** Longest time an answer is kept, whatever its TTL (ms). */
  maxTtlMs: number;
  /** How long a failure (no such name, no address, a timeout) is kept (ms). */
  failureTtlMs: number;
}

export const DEFAULT_DNS_CACHE_LIMITS: DnsCacheLimits = {
  // About 450 bytes a name with an IPv4 and an IPv6 address (measured): 4.5 MB at most. Far more names than a worker
  // delivers to in a few minutes; a name pushed out (by a tenant making up names, say) is only looked up again.
  maxEntries: 10_000,
  // TTLs of 0 to a few seconds (load balancers spreading clients) would otherwise mean a lookup per new connection;
  // 5 s is one lookup per name per 5 s at most, still short enough to follow such a balancer closely.
  minTtlMs: 5_000,
  // A receiver that moves (fail-over, a new load balancer) is followed within 5 minutes even if its TTL says a day;
  // one lookup per name every 5 minutes costs nothing.
  maxTtlMs: 300_000,
  // Long enough that the deliveries queued behind a failed lookup fail at once rather than each waiting out another
  // timeout (the worker starts them within milliseconds); shorter than the first retry of the default schedule (5 s),
  // so a retry asks again and a name just created is found.
  failureTtlMs: 3_000,
};

export class DnsCache {
  private readonly entries: LRUCache<string, DnsAnswer>;

  constructor(
    now: () => number,
    private readonly limits: DnsCacheLimits = DEFAULT_DNS_CACHE_LIMITS,
  ) {
    // ttlResolution 0: every read asks `now` (an injected clock in tests) rather than a value cached for a millisecond.
    this.entries = new LRUCache({ max: limits.maxEntries, ttl: limits.maxTtlMs, perf: { now }, ttlResolution: 0 });
  }

  get size(): number {
    return this.entries.size;
  }

  /** The answer kept for `name`, or undefined when there is none or it has expired. */
  get(name: string): DnsAnswer | undefined {
    return this.entries.get(name);
  }

  /** Keeps `addresses` for `ttlSeconds` (the smallest TTL of the records), held between the floor and the ceiling. */
  putAddresses(name: string, addresses: string[], ttlSeconds: number): void {
    const ttlMs = Math.min(this.limits.maxTtlMs, Math.max(this.limits.minTtlMs, ttlSeconds * 1_000));
    this.entries.set(name, { addresses }, { ttl: ttlMs });
  }

  putFailure(name: string, failure: string): void {
    this.entries.set(name, { failure }, { ttl: this.limits.failureTtlMs });
  }
}
