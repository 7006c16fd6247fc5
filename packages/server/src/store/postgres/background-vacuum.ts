// VACUUMs that hookd starts itself, in the background, rather than leave to autovacuum, which comes at most once per
// autovacuum_naptime (a minute by default) and only once a fifth of a table is dead, and may be off altogether (it is off
// on the machine the tests and the bench run on).
// - The delivery queue: every claim and finished attempt leaves a dead entry at the head of the pending indexes, and a
//   claim walks every one left since the last VACUUM (see migrations/postgres/002): within autovacuum's minute a fast
//   drain's claims grew slower and slower. The processes that record attempts vacuum `deliveries` every
//   VACUUM_EVERY_ATTEMPTS.
// - What the retention pruner deleted: PostgreSQL reuses the space of deleted rows only once VACUUM has passed over
//   them; until then new rows extend the files. After a prune round that deleted PRUNE_VACUUM_EVERY_ROWS or more, its
//   tables are vacuumed, so the database stops growing at steady load (the bench's retention scenario measures it).
import type { PostgresDatabase } from './database.js';

/** Attempts recorded by this process between two of its VACUUMs of the delivery queue. */
export const VACUUM_EVERY_ATTEMPTS = 50_000;

/**
 * Deliveries and events deleted by this process's pruner between two VACUUMs of the pruned tables: a VACUUM visits
 * only the pages changed since the last (the visibility map), so a frequent one is cheap, and the space left unused
 * until it comes stays small (100,000 deliveries with their attempts: about 200 MB in the bench).
 */
export const PRUNE_VACUUM_EVERY_ROWS = 100_000;

/** Counts rows changed in some tables; VACUUMs them, without waiting, once enough have been since the last time. */
export class BackgroundVacuum {
  private countedSince = 0;
  private running = false;

  constructor(
    private readonly database: PostgresDatabase,
    /** The tables, as VACUUM's list: "deliveries", "events, deliveries, attempts". */
    private readonly tables: string,
    private readonly every: number,
    private readonly onError: (error: Error) => void,
  ) {}

  count(rows: number): void {
    this.countedSince += rows;
  }

  /** Starts a VACUUM if `every` rows were counted since the last one and none is running; does not wait for it. */
  startIfDue(): void {
    if (this.countedSince < this.every || this.running) return;
    this.countedSince = 0;
    this.running = true;
    // SKIP_LOCKED: while another process (or autovacuum) is vacuuming a table, this one skips it, not queued behind.
    this.database
      .maintain(`VACUUM (SKIP_LOCKED) ${this.tables}`)
      .catch((error: unknown) =>
        this.onError(new Error(`VACUUM of ${this.tables} failed: ${(error as Error).message}`, { cause: error })),
      )
      .finally(() => (this.running = false));
  }
}
