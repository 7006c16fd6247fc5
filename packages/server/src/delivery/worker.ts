// The delivery worker: claim due deliveries under a lease, send them concurrently, record each attempt.
// A publish in this process wakes it at once; a timer set to the next due retry (or the poll interval) is the fallback.
// What it holds and what goes next is the slot table's to say (slot-table.ts); this is the loop and the I/O around it.
import { randomUUID } from 'node:crypto';
import type { MonotonicClock } from '../domain/clock.js';
import type { ClaimedDelivery, DeliveryStatus } from '../domain/delivery.js';
import type { Webhook } from '../domain/webhook.js';
import { StoreUnavailable } from '../store/store.js';
import { attemptDelivery, type AttemptDeps } from './attempt.js';
import { deliveryIds } from './attempt-log.js';
import type { FreshDeliveryTaker, FreshReservation } from './fresh-leases.js';
import { RateLimiter } from './rate-limiter.js';
import { SlotTable, type SlotLimits } from './slot-table.js';

export interface WorkerOptions extends SlotLimits {
  /** How long a claim holds: well over the longest attempt (60 s timeout), so a live attempt never loses it. */
  leaseMs: number;
  /** The longest the worker sleeps without looking for due work. */
  pollMs: number;
}

export const DEFAULT_WORKER_OPTIONS: Omit<WorkerOptions, 'concurrency' | 'perWebhook'> = {
  leaseMs: 300_000,
  pollMs: 1_000,
};

export interface WorkerDeps extends AttemptDeps {
  /** Times each answer, to judge the endpoint fast or slow (performance.now() in a server; tests move it). */
  monotonicClock: MonotonicClock;
}

/** Logged when handing deliveries back to the queue fails. */
const HAND_BACK_FAILED = 'handing back deliveries failed; their lease will run out';

/** The longest pause before claiming again after the store failed. */
const RETRY_AFTER_STORE_ERROR_MS = 1_000;

export class DeliveryWorker implements FreshDeliveryTaker {
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private readonly slots: SlotTable;
  private readonly sends = new Set<Promise<void>>();
  private readonly rateLimiter = new RateLimiter();
  /**
   * Whether a claim now could find something the last one did not: it was cut short by room (the process's or a
   * webhook's), or new work may have come due since (wake). When not, a freed slot or a recorded success looks for
   * nothing: at a steady trickle of fresh deliveries those claims, and the due-time query after each, were two or
   * three store calls per delivery that found nothing. Work that comes due with time is found by sleep's timer.
   */
  private claimMayFindMore = true;
  /** Set at shutdown once in-flight attempts are being cut off (see stop). */
  private abandoned = false;
  private readonly attemptDeps: AttemptDeps;

  constructor(
    private readonly deps: WorkerDeps,
    private readonly options: WorkerOptions,
  ) {
    this.attemptDeps = { ...deps, abandoned: () => this.abandoned };
    this.slots = new SlotTable(options);
  }

  async start(): Promise<void> {
    if (this.deps.store.capabilities.singleProcess) await this.takeBackLeases();
    this.running = true;
    this.loopDone = this.loop().catch((error: unknown) =>
      this.deps.logger.fatal({ err: error }, 'delivery loop stopped'),
    );
  }

  /**
   * A dead predecessor's deliveries, due again at once. When the database cannot take the write now (its disk full),
   * hookd starts all the same: each of them is due again when its lease runs out.
   */
  private async takeBackLeases(): Promise<void> {
    try {
      const released = await this.deps.store.releaseAllLeases(this.deps.clock());
      if (released > 0) this.deps.logger.info({ released }, 'took back deliveries a previous process had in flight');
    } catch (error) {
      if (!(error instanceof StoreUnavailable)) throw error;
      this.deps.logger.warn(
        { err: error },
        'could not take back the deliveries a previous process had in flight; each is due again when its lease runs out',
      );
    }
  }

  /** New work may be due (an event was published, a delivery restarted or handed back, a retry recorded). */
  wake(): void {
    this.claimMayFindMore = true;
    this.woken = true;
    this.wakeUp?.();
  }

  /**
   * Stops claiming, lets in-flight attempts finish for up to `graceMs`, then cuts off the rest (`abortInFlight`) and
   * hands their deliveries back to the queue, due at once, so nothing is written afterwards.
   * - One process on the database (SQLite): handed back first, so the aborted attempts' records are dropped (their
   *   lease is gone) instead of counting as failures.
   * - Several processes (PostgreSQL): another worker could take a delivery handed back before its abort lands and
   *   send it twice at once, so the abort comes first, and attempts cut off record nothing (see attempt.ts).
   */
  async stop(graceMs: number, abortInFlight: () => Promise<void>): Promise<void> {
    this.running = false;
    this.wake();
    await this.loopDone;
    await this.handBack(
      this.slots.takeAllWaiting(),
      'handing back claimed deliveries at shutdown failed; their lease will run out',
    );
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.all([...this.sends]), graceOver]);
    clearTimeout(timer);
    const unfinished = this.slots.inFlight();
    if (this.deps.store.capabilities.singleProcess) {
      if (unfinished.length > 0) await this.deps.store.releaseDeliveries(unfinished, this.deps.clock());
      await abortInFlight();
      await Promise.all([...this.sends]);
    } else {
      this.abandoned = true;
      await abortInFlight();
      await Promise.all([...this.sends]);
      // Those that recorded an answer meanwhile hold no lease any more, so this leaves them alone.
      if (unfinished.length > 0) await this.deps.store.releaseDeliveries(unfinished, this.deps.clock());
    }
    if (unfinished.length > 0)
      this.deps.logger.info({ released: unfinished.length }, 'handed back unfinished deliveries');
  }

  /** Room for a publish's new deliveries, made leased to this worker (see fresh-leases.ts and SlotTable.reserve). */
  reserveFresh(webhooks: Webhook[]): FreshReservation | undefined {
    if (!this.running) return undefined;
    const webhookIds = this.slots.reserve(webhooks);
    if (!webhookIds) return undefined;
    return {
      leaseToken: randomUUID(),
      leaseEnd: new Date(this.deps.clock().getTime() + this.options.leaseMs),
      webhookIds,
    };
  }

  /** The reserved deliveries, now stored (none if the publish failed): they wait for a slot like claimed ones. */
  takeFresh(reservation: FreshReservation, claims: ClaimedDelivery[]): void {
    // Stopped meanwhile: they go back to the queue, as the claimed ones waiting did.
    if (!this.running) void this.handBack(claims, HAND_BACK_FAILED);
    this.slots.endReservation(reservation.webhookIds, this.running ? claims : [], this.deps.clock().getTime());
    this.startNext(reservation.webhookIds);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      this.woken = false;
      let claimedAll: boolean;
      try {
        claimedAll = await this.claimAndStart();
      } catch (error) {
        // A store error (a locked or unreachable database) must not end delivery for good: log, wait, try again.
        this.deps.logger.error({ err: error }, 'claiming deliveries failed; retrying');
        // Not a whole (possibly long) poll interval: a database back after a restart should see work resume soon.
        await new Promise((resolve) => setTimeout(resolve, Math.min(this.options.pollMs, RETRY_AFTER_STORE_ERROR_MS)));
        continue;
      }
      // More may be due right now: go round again, after letting I/O run.
      if (claimedAll && this.running) {
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      await this.sleep().catch((error: unknown) =>
        this.deps.logger.error({ err: error }, 'looking for due deliveries failed'),
      );
    }
  }

  /** Claims what fits (free slots and waiting places, within each webhook's room) and starts what it can. */
  private async claimAndStart(): Promise<boolean> {
    const free = this.slots.processRoom();
    if (free <= 0) {
      // Not looked: the next freed slot should look.
      this.claimMayFindMore = true;
      return false;
    }
    const now = this.deps.clock();
    const limits = this.slots.claimLimits(this.rateLimiter.blocked(now.getTime()).webhookIds);
    const claims = await this.deps.store.claimDueDeliveries({
      now,
      leaseMs: this.options.leaseMs,
      limit: free,
      perWebhookLimit: this.slots.newWebhookRoom,
      roomByWebhook: limits.room,
      leaseToken: randomUUID(),
      excludeWebhookIds: limits.excluded,
    });
    this.claimMayFindMore =
      claims.length === free || limits.excluded.length > 0 || this.slots.tookAllRoomOfSome(claims, limits.room);
    const { sendNow, touched } = this.slots.addClaimed(claims, this.deps.clock().getTime());
    for (const claim of sendNow) this.send(claim);
    this.startNext(touched);
    return claims.length === free;
  }

  /** Sends what the slot table says goes next for these webhooks, and hands back what it says goes back. */
  private startNext(webhookIds: Iterable<string> | 'all'): void {
    if (!this.running) return;
    const nowMs = this.deps.clock().getTime();
    const next = this.slots.next(webhookIds, nowMs, (claim) =>
      this.rateLimiter.tryTake(claim.webhook.id, claim.webhook.rateLimit, nowMs),
    );
    for (const claim of next.send) this.send(claim);
    if (next.back.length > 0) void this.handBack(next.back, HAND_BACK_FAILED);
  }

  /** Back to the queue, due at once: a claim may take them again. */
  private async handBack(claims: ClaimedDelivery[], failure: string): Promise<void> {
    if (claims.length === 0) return;
    await this.deps.store
      .releaseDeliveries(claims, this.deps.clock())
      .catch((error: unknown) => this.deps.logger.error({ err: error }, failure));
    this.wake();
  }

  private async sleep(): Promise<void> {
    if (this.woken || !this.running) return;
    // Webhooks held back are left out: a finishing attempt (or the next rate-limit token) wakes us for their due
    // work, and counting it here would make the loop spin. With the whole process at its cap, that holds for all.
    const nowMs = this.deps.clock().getTime();
    const rateLimited = this.rateLimiter.blocked(nowMs);
    const { excluded } = this.slots.claimLimits(rateLimited.webhookIds);
    const nextDue = this.slots.full ? undefined : await this.deps.store.nextDueAt(excluded);
    const nextWork = Math.min(nextDue?.getTime() ?? Infinity, rateLimited.nextTokenAt ?? Infinity);
    // At least 1 ms, so that even a delivery the claim could not take never turns this into a busy loop.
    const wait = Math.max(1, Math.min(nextWork - nowMs, this.options.pollMs));
    if (this.woken) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeUp = undefined;
  }

  /** One send of a delivery whose slot the table has given it, from the attempt to its record. */
  private send(claim: ClaimedDelivery): void {
    // The slot is given back once the endpoint has answered, not when the record has committed: a commit waits for
    // its fsync, and holding the endpoint's slots through it kept the drain waiting on the disk. The delivery stays
    // leased until its record lands, so no claim takes it (nor, for FIFO, the one behind it) in between.
    let answered = false;
    const startedAt = this.deps.monotonicClock();
    const freeSlot = () => {
      if (answered) return;
      answered = true;
      // The freed slot goes to the next delivery waiting; with the process at its cap, to any webhook's.
      this.startNext(this.slots.answered(claim, this.deps.monotonicClock() - startedAt));
      // Room to claim more now, if there may be more to claim.
      if (this.claimMayFindMore) this.wake();
    };
    const send = this.deliver(claim, freeSlot).then((status) => {
      freeSlot();
      this.sends.delete(send);
      // Recorded: a FIFO webhook's next delivery, or this one's retry, may be due now. A final outcome of a plain
      // webhook's delivery makes nothing else due.
      if ((status !== 'success' && status !== 'failed') || claim.webhook.ordering === 'fifo') this.wake();
    });
    this.sends.add(send);
  }

  /** The delivery's new status, or undefined when nothing was recorded (cut off at shutdown, or the store failed). */
  private async deliver(claim: ClaimedDelivery, onAnswered: () => void): Promise<DeliveryStatus | undefined> {
    try {
      return await attemptDelivery(this.attemptDeps, claim, onAnswered);
    } catch (error) {
      const ids = deliveryIds(claim);
      // Only recording throws (attemptDelivery turns any failure to send into a recorded attempt). The database down
      // or its disk full: the attempt was made, but its record is lost; the delivery keeps its lease and is sent
      // again when that runs out.
      if (error instanceof StoreUnavailable)
        this.deps.logger.warn(
          { err: error, ...ids },
          'recording the attempt failed; the delivery is due again when its lease runs out',
        );
      else
        this.deps.logger.error(
          { err: error, ...ids },
          'recording the attempt failed unexpectedly; the delivery is due again when its lease runs out',
        );
      return undefined;
    }
  }
}
