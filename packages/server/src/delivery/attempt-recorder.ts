// Collects attempt results and writes them in batches: one transaction (one fsync) for everything that
// finished in the same turn of the event loop, instead of one per delivery.
import type { AttemptRecord } from '../domain/delivery.js';
import type { Clock } from '../services/deps.js';
import type { Store } from '../store/store.js';

export class AttemptRecorder {
  private pending: AttemptRecord[] = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Resolves once the record is in the database. */
  record(record: AttemptRecord): Promise<void> {
    this.pending.push(record);
    return this.scheduleFlush();
  }

  private scheduleFlush(): Promise<void> {
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush());
    return this.flushing;
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.flushing = undefined;
    try {
      await this.store.recordAttempts(batch, this.clock());
    } catch (error) {
      if (batch.length === 1) {
        // An unrecorded attempt keeps its lease; when that runs out the delivery is due again (at least once).
        this.onError(error);
        return;
      }
      // One bad record must not cost the others their results: write them one by one.
      for (const record of batch) {
        await this.store.recordAttempts([record], this.clock()).catch(this.onError);
      }
    }
  }
}
