// Remembers the signed messages already accepted, so the same request sent again is refused as a replay.

/**
 * Where verify() records what it accepted. `seen` answers whether `key` was recorded before (a replay) and, if
 * not, records it until `expiresAt` (unix ms): past that the timestamp check refuses the message anyway.
 * `now` is verify()'s clock (unix ms), so a store can expire entries by the same clock.
 */
export interface ReplayStore {
  seen(key: string, expiresAt: number, now: number): boolean;
}

/** A replay store backed by something asynchronous (Redis, a database): use it with verifyAsync(). */
export interface AsyncReplayStore {
  seen(key: string, expiresAt: number, now: number): boolean | Promise<boolean>;
}

export interface MemoryReplayStoreOptions {
  /** Most keys held at once (default 100,000). Past it the oldest are dropped, so memory stays bounded. */
  maxEntries?: number;
}

/** An in-process ReplayStore. Fine for one process; several receivers behind a load balancer need a shared store. */
export class MemoryReplayStore implements ReplayStore {
  private readonly expiries = new Map<string, number>();
  private readonly maxEntries: number;
  private nextSweepAt = 0;

  constructor(options: MemoryReplayStoreOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 100_000);
  }

  /** How many keys are held now (for tests and metrics). */
  get size(): number {
    return this.expiries.size;
  }

  seen(key: string, expiresAt: number, now: number): boolean {
    const known = this.expiries.get(key);
    if (known !== undefined && known > now) return true;
    this.sweep(now);
    this.expiries.delete(key);
    this.expiries.set(key, expiresAt);
    return false;
  }

  /** Drops expired keys at most once a second, and the oldest inserted ones while over the cap. */
  private sweep(now: number): void {
    if (now >= this.nextSweepAt) {
      this.nextSweepAt = now + 1_000;
      for (const [key, expiresAt] of this.expiries) if (expiresAt <= now) this.expiries.delete(key);
    }
    for (const key of this.expiries.keys()) {
      if (this.expiries.size < this.maxEntries) break;
      this.expiries.delete(key);
    }
  }
}
