// Deletes what is older than the retention period (finished deliveries, their attempts, then events left with no
// delivery, then the hourly counts behind the charts) and every expired browser session, in small batches in the
// background, so a database left running for a year stops growing.
import type { Logger } from 'pino';
import { Rounds } from '../background/rounds.js';
import type { PruneBatch, PruneBatchRequest, Store } from '../store/store.js';

export interface PrunerOptions {
  /**
   * Deliveries finished longer ago than this, events older than this with none left, and hourly counts of hours
   * older than this (but never of the last STATS_KEPT_MS) are deleted. Undefined (--retention off): all are kept,
   * and only expired sessions go.
   */
  retentionMs: number | undefined;
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
 * A twentieth of the time: on SQLite the batches run in the store's one thread, the one every claim, record and
 * publish needs, so the share of time they take bounds the share of the drain they can cost (the issue allows 10 %);
 * on PostgreSQL a batch's deletes dirty pages and write WAL that the drain's writes then wait behind. A slow or busy
 * disk slows the pruner, not the deliveries. The bench's retention scenario, 1,000,000 old deliveries on a 2-core
 * machine, drains of 50,000 taken by turns with and without the prune on the same database: PostgreSQL (128 MB of
 * shared_buffers) drained at 0.97 × its rate without (medians of three, 8,118 against 8,331/s; every drain between
 * 7,805 and 9,654/s), pruning 3,402/s: seventeen times a steady 200 deliveries a second, so a day's backlog of them
 * goes in an hour and a half. SQLite: 1.10 × (12,349 against 11,259/s), pruning 5,290/s. (Figures before 2026-12-06's fifth session are void: that bench's later
 * drains also delivered to the earlier drains' webhooks.)
 */
export const BUSY_SHARE = 0.05;
/** Once a minute: retention is counted in days; a walk that finds nothing to delete reads only a few rows. */
export const ROUND_EVERY_MS = 60_000;

/** The charts draw the last 24 hours whatever the retention period: their counts, and the hour under way, stay. */
export const STATS_KEPT_MS = 25 * 3_600_000;

export interface PruneTotals {
  deliveries: number;
  events: number;
  /** Rows of hourly counts (one a webhook and hour). */
  statsHours: number;
  /** Dashboard sessions and portal links past their expiry (a new login deleted them too, but only then). */
  sessions: number;
  /** Alerts sent or given up. */
  alerts: number;
}

type BatchMethod = (request: PruneBatchRequest) => Promise<PruneBatch>;

export class RetentionPruner {
  private readonly rounds = new Rounds();

  constructor(
    private readonly deps: { store: Store; clock: () => Date; logger: Logger },
    private readonly options: PrunerOptions,
  ) {}

  /** One walk through each table (alerts too): deletes all that the retention period (and expiry) allows at the clock's now. */
  async pruneAll(): Promise<PruneTotals> {
    const now = this.deps.clock().getTime();
    const { store } = this.deps;
    const totals: PruneTotals = { deliveries: 0, events: 0, alerts: 0, statsHours: 0, sessions: 0 };
    const { retentionMs } = this.options;
    if (retentionMs !== undefined) {
      const before = new Date(now - retentionMs);
      totals.deliveries = await this.walk((request) => store.deleteFinishedDeliveries(request), before);
      totals.events = await this.walk((request) => store.deleteEventsWithoutDeliveries(request), before);
      totals.alerts = await this.walk((request) => store.deleteFinishedAlerts(request), before);
      const countsBefore = new Date(now - Math.max(retentionMs, STATS_KEPT_MS));
      totals.statsHours = await this.repeat((limit) => store.deleteHourlyCountsBefore({ before: countsBefore, limit }));
    }
    totals.sessions = await this.repeat((limit) =>
      store.deleteExpiredBrowserSessions({ before: new Date(now), limit }),
    );
    return totals;
  }

  /** Deletes batch after batch, oldest first, until one comes back short (or the pruner stops); answers how many. */
  private async repeat(deleteBatch: (limit: number) => Promise<number>): Promise<number> {
    let deleted = 0;
    while (!this.stopped) {
      const started = performance.now();
      const batch = await deleteBatch(this.options.batchSize);
      deleted += batch;
      if (batch < this.options.batchSize) break;
      await this.rest(this.restAfter(performance.now() - started));
    }
    return deleted;
  }

  /** The rest after a batch that took `took` ms: at least pauseMs, and enough to keep to busyShare. */
  private restAfter(took: number): number {
    const { pauseMs, busyShare } = this.options;
    return Math.max(pauseMs, (took * (1 - busyShare)) / busyShare);
  }

  /** Walks from the oldest row until the rows are too recent (or the pruner stops); answers how many were deleted. */
  private async walk(deleteBatch: BatchMethod, before: Date): Promise<number> {
    const { batchSize } = this.options;
    let afterSeq = 0;
    let deleted = 0;
    while (!this.stopped) {
      const started = performance.now();
      const batch = await deleteBatch({ before, afterSeq, limit: batchSize });
      deleted += batch.deleted;
      if (batch.reachedRecent) break;
      afterSeq = batch.lastSeq;
      await this.rest(this.restAfter(performance.now() - started));
    }
    return deleted;
  }

  /** Prunes once a round (the first a round after start) until stop(); a failed walk is logged and tried again next round. */
  start(): void {
    const round = async () => {
      const totals = await this.pruneAll();
      if (Object.values(totals).some((count) => count > 0)) this.deps.logger.info(totals, 'retention: pruned');
    };
    this.rounds.start(round, this.options.roundEveryMs, (error) =>
      this.deps.logger.warn({ err: error }, 'retention: pruning failed; trying again next round'),
    );
  }

  /** Stops after the batch under way (a batch is one short transaction). */
  stop(): Promise<void> {
    return this.rounds.stop();
  }

  private get stopped(): boolean {
    return this.rounds.stopped;
  }

  private rest(ms: number): Promise<void> {
    return this.rounds.rest(ms);
  }
}
