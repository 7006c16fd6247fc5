// VACUUM of the deliveries table by the processes that record attempts, between autovacuum's visits. Autovacuum
// comes at most once per autovacuum_naptime (a minute by default) however busy the table is, and a claim walks every
// dead index entry left since the last VACUUM (see migrations/postgres/002): within that minute a fast drain's claims
// grew slower and slower.
import type { PostgresDatabase } from './database.js';

/** Attempts recorded by this process between two of its VACUUMs. */
export const VACUUM_EVERY_ATTEMPTS = 50_000;

export class QueueVacuum {
  private recordedSince = 0;
  private running = false;

  constructor(
    private readonly database: PostgresDatabase,
    private readonly every: number,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Counts recorded attempts; once `every` have been since the last VACUUM, starts one and does not wait for it. */
  recorded(count: number): void {
    this.recordedSince += count;
    if (this.recordedSince < this.every || this.running) return;
    this.recordedSince = 0;
    this.running = true;
    // SKIP_LOCKED: while another process (or autovacuum) is vacuuming the table, this one is skipped, not queued.
    this.database
      .maintain('VACUUM (SKIP_LOCKED) deliveries')
      .catch((error: unknown) =>
        this.onError(new Error(`VACUUM of the delivery queue failed: ${(error as Error).message}`, { cause: error })),
      )
      .finally(() => (this.running = false));
  }
}
