// Group commit: writes that arrive in the same turn of the event loop share one transaction, and so one fsync.
// Each write runs in its own savepoint (better-sqlite3 nests transactions that way), so one that fails (a repeated
// event id, say) is rolled back and rejected alone while the others commit.
import type { SqliteDatabase } from './database.js';

interface QueuedWrite {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit {
  private queue: QueuedWrite[] = [];
  private scheduled = false;

  constructor(private readonly database: SqliteDatabase) {}

  /** Resolves with `write`'s result once the transaction holding it has committed. */
  write<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run: write, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    this.scheduled = false;
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.database.db.transaction(() => {
        for (const item of batch) {
          try {
            outcomes.push({ ok: true, value: this.database.db.transaction(() => this.database.write(item.run))() });
          } catch (error) {
            // Some errors (disk full, I/O) make SQLite roll back the whole transaction itself: then the batch
            // must fail as one, or the writes after this one would commit outside any transaction.
            if (!this.database.db.inTransaction) throw error;
            outcomes.push({ ok: false, error });
          }
        }
      })();
    } catch (error) {
      // The commit itself failed: nothing in the batch is stored.
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }
}
