// The delivery worker: claim due deliveries under a lease, send them concurrently, record each attempt.
// A publish in this process wakes it at once; a timer set to the next due retry (or the poll interval) is the fallback.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ClaimedDelivery } from '../domain/delivery.js';
import type { Store } from '../store/store.js';
import { attemptDelivery, type AttemptDeps } from './attempt.js';
import { RateLimiter } from './rate-limiter.js';
import { WebhookLanes } from './webhook-lanes.js';

export interface WorkerOptions {
  /** In-flight deliveries in this process. */
  concurrency: number;
  /** In-flight deliveries to one webhook, so one slow endpoint cannot take every slot. */
  perWebhookConcurrency: number;
  /**
   * How long a claim holds. A claimed delivery may wait in its webhook's line behind a full round of attempts
   * (60 s timeout at most) before its own, so this is well over two timeouts: a live attempt never loses its lease.
   */
  leaseMs: number;
  /** The longest the worker sleeps without looking for due work. */
  pollMs: number;
}

export const DEFAULT_WORKER_OPTIONS: Omit<WorkerOptions, 'concurrency' | 'perWebhookConcurrency'> = { leaseMs: 300_000, pollMs: 1_000 };

/** A sixteenth of the process's slots, between 1 and 32: enough for a busy endpoint, while eight dead ones hold half. */
export function defaultPerWebhookConcurrency(concurrency: number): number {
  return Math.max(1, Math.min(32, Math.floor(concurrency / 16)));
}

export interface WorkerDeps extends AttemptDeps {
  store: Store;
  logger: Logger;
}

export class DeliveryWorker {
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | undefined;
  private woken = false;
  /** Every delivery this worker holds a lease on: sending or waiting in its webhook's lane. */
  private readonly claimed = new Map<number, ClaimedDelivery>();
  private readonly lanes: WebhookLanes;
  private readonly sends = new Set<Promise<void>>();
  private readonly rateLimiter = new RateLimiter();
  /** The fewest free slots worth a claim while attempts are in flight. */
  private readonly claimBatch: number;

  constructor(
    private readonly deps: WorkerDeps,
    private readonly options: WorkerOptions,
  ) {
    this.lanes = new WebhookLanes(options.perWebhookConcurrency);
    this.claimBatch = Math.max(1, Math.min(32, Math.floor(options.concurrency / 8)));
  }

  async start(): Promise<void> {
    if (this.deps.store.capabilities.singleProcess) {
      const released = await this.deps.store.releaseAllLeases(this.deps.clock());
      if (released > 0) this.deps.logger.info({ released }, 'took back deliveries a previous process had in flight');
    }
    this.running = true;
    this.loopDone = this.loop().catch((error: unknown) => this.deps.logger.fatal({ err: error }, 'delivery loop stopped'));
  }

  /** New work may be due (an event was published, a delivery restarted). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /**
   * Stops claiming, lets in-flight attempts finish for up to `graceMs`, hands the rest back to the queue (due at
   * once), then calls `abortInFlight` and waits until every attempt has settled, so nothing is written afterwards.
   */
  async stop(graceMs: number, abortInFlight: () => Promise<void>): Promise<void> {
    this.running = false;
    this.wake();
    await this.loopDone;
    // Nothing more starts: what waits in line goes back now, and what is sending gets the grace period.
    const waiting = this.lanes.drainWaiting();
    for (const claim of waiting) this.claimed.delete(claim.seq);
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.all([...this.sends]), graceOver]);
    clearTimeout(timer);
    const unfinished = [...waiting, ...this.claimed.values()];
    if (unfinished.length > 0) {
      await this.deps.store.releaseDeliveries(unfinished, this.deps.clock());
      this.deps.logger.info({ released: unfinished.length }, 'handed back unfinished deliveries');
    }
    await abortInFlight();
    await Promise.all([...this.sends]);
  }

  /** Webhooks not to claim for now: with a full lane, or out of rate-limit tokens (until `nextTokenAt`). */
  private heldBackWebhooks(nowMs: number): { webhookIds: string[]; nextTokenAt: number | undefined } {
    const rateLimited = this.rateLimiter.blocked(nowMs);
    return { webhookIds: [...this.lanes.full(), ...rateLimited.webhookIds], nextTokenAt: rateLimited.nextTokenAt };
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
        await new Promise((resolve) => setTimeout(resolve, this.options.pollMs));
        continue;
      }
      // More may be due right now: go round again, after letting I/O run.
      if (claimedAll && this.running) {
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      await this.sleep().catch((error: unknown) => this.deps.logger.error({ err: error }, 'looking for due deliveries failed'));
    }
  }

  /** Claims what fits in the free slots and starts or lines it up; true when every slot was filled (more may be due). */
  private async claimAndStart(): Promise<boolean> {
    const free = this.options.concurrency - this.claimed.size;
    // While busy, wait until a batch of slots is free: one claim per delivery would cost a query and a commit
    // each. Idle or nearly so, claim at once, so latency stays low.
    if (free <= 0 || (this.claimed.size > 0 && free < this.claimBatch)) return false;
    const now = this.deps.clock();
    const claims = await this.deps.store.claimDueDeliveries({
      now,
      leaseMs: this.options.leaseMs,
      limit: free,
      perWebhookLimit: this.options.perWebhookConcurrency,
      leaseToken: randomUUID(),
      excludeWebhookIds: this.heldBackWebhooks(now.getTime()).webhookIds,
    });
    // Out of rate-limit tokens: back to the queue, due at once; the webhook is held back until its next token.
    const rateLimited = claims.filter((claim) => !this.rateLimiter.tryTake(claim.webhook.id, claim.webhook.rateLimit, now.getTime()));
    if (rateLimited.length > 0) await this.deps.store.releaseDeliveries(rateLimited, this.deps.clock());
    for (const claim of claims) {
      if (rateLimited.includes(claim)) continue;
      this.claimed.set(claim.seq, claim);
      if (this.lanes.admit(claim)) this.send(claim);
    }
    return claims.length === free && rateLimited.length === 0;
  }

  private async sleep(): Promise<void> {
    if (this.woken || !this.running) return;
    // Webhooks held back are left out: a finishing attempt (or the next rate-limit token) wakes us for their due
    // work, and counting it here would make the loop spin. With the whole process at its cap, that holds for all.
    const nowMs = this.deps.clock().getTime();
    const heldBack = this.heldBackWebhooks(nowMs);
    const nextDue = this.claimed.size < this.options.concurrency ? await this.deps.store.nextDueAt(heldBack.webhookIds) : undefined;
    const nextWork = Math.min(nextDue?.getTime() ?? Infinity, heldBack.nextTokenAt ?? Infinity);
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

  /** Sends one claimed delivery; when it is recorded, the next in its webhook's line (if any) takes its place. */
  private send(claim: ClaimedDelivery): void {
    const send = this.deliver(claim).finally(() => {
      this.claimed.delete(claim.seq);
      this.sends.delete(send);
      const next = this.running ? this.lanes.finish(claim.webhook.id) : undefined;
      if (next) this.send(next);
      // Slots are free: more may be claimable now.
      this.wake();
    });
    this.sends.add(send);
  }

  private async deliver(claim: ClaimedDelivery): Promise<void> {
    try {
      await attemptDelivery(this.deps, claim);
    } catch (error) {
      this.deps.logger.error({ err: error, deliveryId: claim.id, webhookId: claim.webhook.id }, 'delivery attempt failed unexpectedly');
    }
  }
}
