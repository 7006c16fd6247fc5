// Group commit: writes that arrive in the same turn of the event loop share one transaction, and so one fsync.
// A write that fails (a repeated event id, say) is rolled back and rejected alone while the others commit: the batch
// is then run again with each write in a savepoint of its own. Writes given to it open no transaction of their own.
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

  private commit(batch: QueuedWrite[]): Outcome[] {
    // Nearly every batch succeeds whole, so its writes first run straight in the transaction. A savepoint per write
    // has SQLite copy every page each write touches to its statement journal first: when publishing, three quarters
    // of the store thread's write calls.
    try {
      return this.database.immediateTransaction(() =>
        batch.map((item): Outcome => {
          try {
            return { ok: true, value: this.database.write(item.run) };
          } catch {
            throw new WriteFailed('a write in the batch failed');
          }
        }),
      );
    } catch (error) {
      if (!(error instanceof WriteFailed)) throw error;
      return this.commitEachInSavepoint(batch);
    }
  }

  private commitEachInSavepoint(batch: QueuedWrite[]): Outcome[] {
    const { database } = this;
    return database.immediateTransaction(() =>
      batch.map((item): Outcome => {
        database.prepared('SAVEPOINT write').run();
        try {
          const value = database.write(item.run);
          database.prepared('RELEASE write').run();
          return { ok: true, value };
        } catch (error) {
          // Some errors (disk full, I/O) make SQLite roll back the whole transaction itself: then the batch
          // must fail as one, or the writes after this one would commit outside any transaction.
          if (!database.db.inTransaction) throw error;
          database.prepared('ROLLBACK TO write').run();
          database.prepared('RELEASE write').run();
          return { ok: false, error };
        }
      }),
    );
  }
}

/** One write of a batch run without savepoints failed: the whole transaction is rolled back and run again. */
class WriteFailed extends Error {}
