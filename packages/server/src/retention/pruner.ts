// Deletes what is older than the retention period (finished deliveries, their attempts, then events left with no
// delivery), in small batches in the background, so a database left running for a year stops growing.
import type { Logger } from 'pino';
import type { PruneBatch, PruneBatchRequest, Store } from '../store/store.js';

export interface PrunerOptions {
  /** Deliveries finished longer ago than this, and events older than this with none left, are deleted. */
  retentionMs: number;
  /** Rows a batch looks at (see BATCH_SIZE). */
  batchSize: number;
  /** Least rest between two batches, so the delivery path's writes get the database between them. */
  pauseMs: number;
  /**
   * At most this share of the time is spent in batches: after a batch that took d ms the pruner rests at least
   * d × (1 - share) / share (see BUSY_SHARE). 1: no such rest.
   */
  busyShare: number;
  /** Rest between two walks through the tables. */
  roundEveryMs: number;
}

/**
 * 500 rows a batch, one short transaction: a publish or record queued behind it waits a few milliseconds at most
 * rather than behind one long delete.
 */
export const BATCH_SIZE = 500;
export const BATCH_PAUSE_MS = 20;
/**
 * A tenth of the time: on SQLite the batches run in the store's one thread, the one every claim, record and publish
 * needs, so the share of time they take bounds the share of the drain they can cost (the issue allows 10 %); a slow
 * or busy disk slows the pruner, not the deliveries. The bench's retention scenario (SQLite, 1,000,000 old deliveries,
 * 2 shared cores also running the test suite): drain 2,840/s while pruning against 2,668/s without (1.06 ×), the
 * million pruned at 3,833/s on average.
 */
export const BUSY_SHARE = 0.1;
/** Once a minute: retention is counted in days; a walk that finds nothing to delete reads only a few rows. */
export const ROUND_EVERY_MS = 60_000;

export interface PruneTotals {
  deliveries: number;
  events: number;
  /** Alerts sent or given up. */
  alerts: number;
}

type BatchMethod = (request: PruneBatchRequest) => Promise<PruneBatch>;

export class RetentionPruner {
  private running: Promise<void> | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: { store: Store; clock: () => Date; logger: Logger },
    private readonly options: PrunerOptions,
  ) {}

  /** One walk through deliveries, then events, then alerts: deletes all that the retention period allows at the clock's now. */
  async pruneAll(): Promise<PruneTotals> {
    const before = new Date(this.deps.clock().getTime() - this.options.retentionMs);
    const { store } = this.deps;
    const deliveries = await this.walk((request) => store.deleteFinishedDeliveries(request), before);
    const events = await this.walk((request) => store.deleteEventsWithoutDeliveries(request), before);
    const alerts = await this.walk((request) => store.deleteFinishedAlerts(request), before);
    return { deliveries, events, alerts };
  }

  /** Walks from the oldest row until the rows are too recent (or the pruner stops); answers how many were deleted. */
  private async walk(deleteBatch: BatchMethod, before: Date): Promise<number> {
    const { batchSize, pauseMs, busyShare } = this.options;
    let afterSeq = 0;
    let deleted = 0;
    while (!this.stopped) {
      const started = performance.now();
      const batch = await deleteBatch({ before, afterSeq, limit: batchSize });
      deleted += batch.deleted;
      if (batch.reachedRecent) break;
      afterSeq = batch.lastSeq;
      const took = performance.now() - started;
      await this.rest(Math.max(pauseMs, (took * (1 - busyShare)) / busyShare));
    }
    return deleted;
  }

  /** Prunes now and then every round until stop(); a failed walk is logged and tried again next round. */
  start(): void {
    if (this.running) return;
    this.running = (async () => {
      while (!this.stopped) {
        try {
          const totals = await this.pruneAll();
          if (totals.deliveries + totals.events + totals.alerts > 0)
            this.deps.logger.info(totals, 'retention: old deliveries pruned');
        } catch (error) {
          this.deps.logger.warn({ err: error }, 'retention: pruning failed; trying again next round');
        }
        await this.rest(this.options.roundEveryMs);
      }
    })();
  }

  /** Stops after the batch under way (a batch is one short transaction). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    await this.running;
  }

  private rest(ms: number): Promise<void> {
    if (ms <= 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }
}
