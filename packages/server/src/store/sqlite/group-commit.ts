// Group commit: writes that arrive in the same turn of the event loop share one transaction, and so one fsync.
// Each write runs in its own savepoint, so one that fails (a repeated event id, say) is rolled back and rejected
// alone while the others commit. Writes given to it run inside that savepoint and open no transaction of their own.
import type { SqliteDatabase } from './database.js';

interface QueuedWrite {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

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
    let outcomes: Outcome[];
    try {
      outcomes = this.commit(batch);
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

  // Plain prepared statements rather than better-sqlite3's db.transaction(): that builds its wrapper functions on
  // every call, which the profile of a drain showed at 5 % of the process's time.
  private commit(batch: QueuedWrite[]): Outcome[] {
    const { database } = this;
    const outcomes: Outcome[] = [];
    database.prepared('BEGIN IMMEDIATE').run();
    try {
      for (const item of batch) {
        database.prepared('SAVEPOINT write').run();
        try {
          outcomes.push({ ok: true, value: database.write(item.run) });
          database.prepared('RELEASE write').run();
        } catch (error) {
          // Some errors (disk full, I/O) make SQLite roll back the whole transaction itself: then the batch
          // must fail as one, or the writes after this one would commit outside any transaction.
          if (!database.db.inTransaction) throw error;
          database.prepared('ROLLBACK TO write').run();
          database.prepared('RELEASE write').run();
          outcomes.push({ ok: false, error });
        }
      }
      database.prepared('COMMIT').run();
    } catch (error) {
      if (database.db.inTransaction) database.prepared('ROLLBACK').run();
      throw error;
    }
    return outcomes;
  }
}
