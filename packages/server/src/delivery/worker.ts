// The delivery worker: claim due deliveries under a lease, send them concurrently, record each attempt.
// A publish in this process wakes it at once; a timer set to the next due retry (or the poll interval) is the fallback.
// Claims run a step ahead of the sends: each plain webhook may have as many claimed deliveries waiting for a slot as
// it has slots, so a slot that frees is filled at once instead of after a round trip to the store.
import { randomUUID } from 'node:crypto';
import type { ClaimedDelivery, DeliveryStatus, FreshReservation } from '../domain/delivery.js';
import type { Webhook } from '../domain/webhook.js';
import type { MonotonicClock } from '../services/deps.js';
import { StoreUnavailable } from '../store/store.js';
import { attemptDelivery, type AttemptDeps } from './attempt.js';
import { deliveryIds } from './attempt-log.js';
import { RateLimiter } from './rate-limiter.js';
import { limitAfterAnswer, type WebhookConcurrency } from './webhook-concurrency.js';

export interface WorkerOptions {
  /** In-flight deliveries in this process. */
  concurrency: number;
  /** In-flight deliveries to one webhook, so one slow endpoint cannot take every slot: see webhook-concurrency.ts. */
  perWebhook: WebhookConcurrency;
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

/**
 * A claimed delivery older than this is handed back rather than sent when its slot comes: it bounds how long after
 * a pause, a change or a deletion a delivery claimed before it may still go out, to about what an attempt already
 * in flight takes.
 */
const MAX_WAIT_MS = 1_000;

/** Logged when handing deliveries back to the queue fails. */
const HAND_BACK_FAILED = 'handing back deliveries failed; their lease will run out';

/** The longest pause before claiming again after the store failed. */
const RETRY_AFTER_STORE_ERROR_MS = 1_000;

/** The most deliveries a plain webhook may hold in this worker at `limit` sends at once: its slots, and as many waiting. */
function heldAtMost(limit: number): number {
  return 2 * limit;
}

interface Waiting {
  claim: ClaimedDelivery;
  claimedAt: number;
}

/** One webhook this worker has deliveries of: how many it is sending, how many it may, and those claimed waiting. */
interface WebhookSlots {
  webhookId: string;
  sending: number;
  fifo: boolean;
  /** Sends at once: 1 for FIFO; for the others it moves with how fast the endpoint answers (limitAfterAnswer). */
  limit: number;
  /** Claimed and waiting for a slot, oldest due first; none for FIFO, whose next is claimed only after this one. */
  waiting: Waiting[];
  /** Fresh deliveries reserved by publishes still being stored (see reserveFresh). */
  reserved: number;
}

export class DeliveryWorker {
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | undefined;
  private woken = false;
  /** Every delivery this worker is sending (and holds a lease on). */
  private readonly inFlight = new Map<number, ClaimedDelivery>();
  /** Per webhook with sends under way or deliveries waiting. */
  private readonly byWebhook = new Map<string, WebhookSlots>();
  /** Claimed deliveries waiting for a slot, over all webhooks. */
  private waitingCount = 0;
  /** Fresh deliveries reserved, over all webhooks. */
  private reservedCount = 0;
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
      this.takeAllWaiting(),
      'handing back claimed deliveries at shutdown failed; their lease will run out',
    );
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.all([...this.sends]), graceOver]);
    clearTimeout(timer);
    const unfinished = [...this.inFlight.values()];
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

  /**
   * What to tell the claim: webhooks with no room (their slots and waiting places taken, or out of rate-limit tokens
   * until `nextTokenAt`), and the room left of the others this worker has deliveries of.
   */
  private claimLimits(nowMs: number): {
    excluded: string[];
    room: Record<string, number>;
    nextTokenAt: number | undefined;
  } {
    const rateLimited = this.rateLimiter.blocked(nowMs);
    const excluded = [...rateLimited.webhookIds];
    const room: Record<string, number> = {};
    for (const [webhookId, slots] of this.byWebhook) {
      const left = this.roomOf(slots);
      if (left <= 0) excluded.push(webhookId);
      else room[webhookId] = left;
    }
    return { excluded, room, nextTokenAt: rateLimited.nextTokenAt };
  }

  /** How many more of a webhook's deliveries this worker may hold: its slots, and as many waiting (none for FIFO). */
  private roomOf(slots: WebhookSlots): number {
    return (slots.fifo ? 1 : heldAtMost(slots.limit)) - slots.sending - slots.waiting.length - slots.reserved;
  }

  /** The room of a plain webhook this worker holds nothing of yet: it starts at the floor. */
  private get newWebhookRoom(): number {
    return heldAtMost(this.options.perWebhook.floor);
  }

  /** How many more deliveries this process may hold, sending or waiting. */
  private processRoom(): number {
    return 2 * this.options.concurrency - this.inFlight.size - this.waitingCount - this.reservedCount;
  }

  /**
   * Fresh deliveries: a publish in this process asks which of its webhooks' new deliveries this worker takes at once.
   * Those are made already leased to it and handed over once stored (takeFresh), so no claim has to find them: with
   * events published one by one, claims of a few deliveries each cost more than the publishes.
   * Only webhooks with room that send in any order and at any rate: a FIFO webhook's next must wait for the one before
   * it, and a rate-limited one's could have to go back to the queue, so theirs queue as before.
   */
  reserveFresh(webhooks: Webhook[]): FreshReservation | undefined {
    if (!this.running) return undefined;
    let free = this.processRoom();
    let webhookIds: Set<string> | undefined;
    for (const webhook of webhooks) {
      if (free <= 0) break;
      if (webhook.ordering !== 'none' || webhook.rateLimit !== null || !webhook.active || webhook.status === 'disabled')
        continue;
      const slots = this.slotsOf(webhook);
      if (this.roomOf(slots) <= 0) continue;
      slots.reserved++;
      this.reservedCount++;
      free--;
      (webhookIds ??= new Set()).add(webhook.id);
    }
    if (!webhookIds) return undefined;
    return {
      leaseToken: randomUUID(),
      leaseEnd: new Date(this.deps.clock().getTime() + this.options.leaseMs),
      webhookIds,
    };
  }

  /** The reserved deliveries, now stored (none if the publish failed): they wait for a slot like claimed ones. */
  takeFresh(reservation: FreshReservation, claims: ClaimedDelivery[]): void {
    for (const webhookId of reservation.webhookIds) {
      const slots = this.byWebhook.get(webhookId)!;
      slots.reserved--;
      this.reservedCount--;
    }
    if (!this.running) {
      // Stopped meanwhile: they go back to the queue, as the claimed ones waiting did.
      void this.handBack(claims, HAND_BACK_FAILED);
    } else {
      const claimedAt = this.deps.clock().getTime();
      for (const claim of claims) {
        this.byWebhook.get(claim.webhook.id)!.waiting.push({ claim, claimedAt });
        this.waitingCount++;
      }
    }
    for (const webhookId of reservation.webhookIds) this.startWaiting(this.byWebhook.get(webhookId)!);
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
    const free = this.processRoom();
    if (free <= 0) {
      // Not looked: the next freed slot should look.
      this.claimMayFindMore = true;
      return false;
    }
    const now = this.deps.clock();
    const limits = this.claimLimits(now.getTime());
    const claims = await this.deps.store.claimDueDeliveries({
      now,
      leaseMs: this.options.leaseMs,
      limit: free,
      perWebhookLimit: this.newWebhookRoom,
      roomByWebhook: limits.room,
      leaseToken: randomUUID(),
      excludeWebhookIds: limits.excluded,
    });
    this.claimMayFindMore =
      claims.length === free || limits.excluded.length > 0 || this.someWebhookAtRoom(claims, limits.room);
    const claimedAt = this.deps.clock().getTime();
    const touched = new Set<WebhookSlots>();
    for (const claim of claims) {
      const slots = this.slotsOf(claim.webhook);
      // "Send test" deliveries stand outside a FIFO line and its one slot.
      if (claim.kind === 'test') this.send(claim, slots);
      else {
        slots.waiting.push({ claim, claimedAt });
        this.waitingCount++;
        touched.add(slots);
      }
    }
    for (const slots of touched) this.startWaiting(slots);
    return claims.length === free;
  }

  /** Whether a claim took as many of some webhook's deliveries as it had room for (FIFO: its one). */
  private someWebhookAtRoom(claims: ClaimedDelivery[], room: Record<string, number>): boolean {
    const taken = new Map<string, number>();
    for (const claim of claims) {
      const count = (taken.get(claim.webhook.id) ?? 0) + 1;
      taken.set(claim.webhook.id, count);
      const limit = claim.webhook.ordering === 'fifo' ? 1 : (room[claim.webhook.id] ?? this.newWebhookRoom);
      if (count >= limit) return true;
    }
    return false;
  }

  private slotsOf(webhook: Webhook): WebhookSlots {
    let slots = this.byWebhook.get(webhook.id);
    if (!slots) {
      const fifo = webhook.ordering === 'fifo';
      slots = {
        webhookId: webhook.id,
        sending: 0,
        fifo,
        limit: fifo ? 1 : this.options.perWebhook.floor,
        waiting: [],
        reserved: 0,
      };
      this.byWebhook.set(webhook.id, slots);
    }
    return slots;
  }

  /** Sends a webhook's waiting deliveries while it and the process have free slots; hands back the stale ones. */
  private startWaiting(slots: WebhookSlots): void {
    const back: ClaimedDelivery[] = [];
    const nowMs = this.deps.clock().getTime();
    while (
      this.running &&
      slots.waiting.length > 0 &&
      slots.sending < slots.limit &&
      this.inFlight.size < this.options.concurrency
    ) {
      const { claim, claimedAt } = slots.waiting.shift()!;
      this.waitingCount--;
      if (nowMs - claimedAt > MAX_WAIT_MS) back.push(claim);
      else if (this.rateLimiter.tryTake(claim.webhook.id, claim.webhook.rateLimit, nowMs)) this.send(claim, slots);
      else {
        // Out of tokens: this one and the rest go back to the queue, due at once; the webhook is left out of claims
        // until its next token.
        const rest = slots.waiting.splice(0);
        this.waitingCount -= rest.length;
        back.push(claim, ...rest.map((waiting) => waiting.claim));
      }
    }
    this.forgetIfIdle(slots);
    if (back.length > 0) void this.handBack(back, HAND_BACK_FAILED);
  }

  private forgetIfIdle(slots: WebhookSlots): void {
    if (slots.sending === 0 && slots.waiting.length === 0 && slots.reserved === 0)
      this.byWebhook.delete(slots.webhookId);
  }

  private takeAllWaiting(): ClaimedDelivery[] {
    const all: ClaimedDelivery[] = [];
    for (const slots of this.byWebhook.values()) all.push(...slots.waiting.splice(0).map((waiting) => waiting.claim));
    this.waitingCount = 0;
    return all;
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
    const limits = this.claimLimits(nowMs);
    const nextDue =
      this.inFlight.size < this.options.concurrency ? await this.deps.store.nextDueAt(limits.excluded) : undefined;
    const nextWork = Math.min(nextDue?.getTime() ?? Infinity, limits.nextTokenAt ?? Infinity);
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

  private send(claim: ClaimedDelivery, slots: WebhookSlots): void {
    slots.sending++;
    this.inFlight.set(claim.seq, claim);
    // The slot is given back once the endpoint has answered, not when the record has committed: a commit waits for
    // its fsync, and holding the endpoint's slots through it kept the drain waiting on the disk. The delivery stays
    // leased until its record lands, so no claim takes it (nor, for FIFO, the one behind it) in between.
    let answered = false;
    const startedAt = this.deps.monotonicClock();
    const freeSlot = () => {
      if (answered) return;
      answered = true;
      if (!slots.fifo)
        slots.limit = limitAfterAnswer(
          slots.limit,
          this.deps.monotonicClock() - startedAt,
          slots.waiting.length > 0,
          this.options.perWebhook,
        );
      const processWasFull = this.inFlight.size >= this.options.concurrency;
      // The same delivery may have been claimed again meanwhile (a 0 ms retry): only forget this claim of it.
      if (this.inFlight.get(claim.seq) === claim) this.inFlight.delete(claim.seq);
      slots.sending--;
      // The freed slot goes to the next delivery waiting; with the process at its cap, to any webhook's.
      if (processWasFull) for (const other of this.byWebhook.values()) this.startWaiting(other);
      else this.startWaiting(slots);
      this.forgetIfIdle(slots);
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
