// The delivery worker: claim due deliveries under a lease, send them concurrently, record each attempt.
// A publish in this process wakes it at once; a timer set to the next due retry (or the poll interval) is the fallback.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ClaimedDelivery } from '../domain/delivery.js';
import type { Clock } from '../services/deps.js';
import type { Store } from '../store/store.js';
import type { AttemptRecorder } from './attempt-recorder.js';
import { toAttemptRecord } from './attempt-record.js';
import { RateLimiter } from './rate-limiter.js';
import { sendAttempt, type SenderDeps } from './sender.js';

export interface WorkerOptions {
  /** In-flight deliveries in this process. */
  concurrency: number;
  /** In-flight deliveries to one webhook, so one slow endpoint cannot take every slot. */
  perWebhookConcurrency: number;
  /** How long a claim holds; longer than the longest attempt (60 s timeout) so a live attempt never loses it. */
  leaseMs: number;
  /** The longest the worker sleeps without looking for due work. */
  pollMs: number;
}

export const DEFAULT_WORKER_OPTIONS: Omit<WorkerOptions, 'concurrency'> = { perWebhookConcurrency: 32, leaseMs: 120_000, pollMs: 1_000 };

export interface WorkerDeps {
  store: Store;
  clock: Clock;
  sender: SenderDeps;
  recorder: AttemptRecorder;
  logger: Logger;
}

export class DeliveryWorker {
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private readonly inFlight = new Map<number, ClaimedDelivery>();
  private readonly inFlightByWebhook = new Map<string, number>();
  private readonly sends = new Set<Promise<void>>();
  private readonly rateLimiter = new RateLimiter();

  constructor(
    private readonly deps: WorkerDeps,
    private readonly options: WorkerOptions,
  ) {}

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

  /** Stops claiming, lets in-flight attempts finish for up to `graceMs`, then hands the rest back. */
  async stop(graceMs: number): Promise<void> {
    this.running = false;
    this.wake();
    await this.loopDone;
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.all([...this.sends]), graceOver]);
    clearTimeout(timer);
    const unfinished = [...this.inFlight.values()];
    if (unfinished.length > 0) {
      await this.deps.store.releaseDeliveries(unfinished, this.deps.clock());
      this.deps.logger.info({ released: unfinished.length }, 'handed back unfinished deliveries');
    }
  }

  /** Webhooks not to claim for now: at their in-flight cap, or out of rate-limit tokens (until `nextTokenAt`). */
  private heldBackWebhooks(nowMs: number): { webhookIds: string[]; nextTokenAt: number | undefined } {
    const saturated = [...this.inFlightByWebhook].filter(([, count]) => count >= this.options.perWebhookConcurrency).map(([id]) => id);
    const rateLimited = this.rateLimiter.blocked(nowMs);
    return { webhookIds: [...saturated, ...rateLimited.webhookIds], nextTokenAt: rateLimited.nextTokenAt };
  }

  private async loop(): Promise<void> {
    while (this.running) {
      this.woken = false;
      const free = this.options.concurrency - this.inFlight.size;
      let claimedAll = false;
      if (free > 0) {
        const now = this.deps.clock();
        const claims = await this.deps.store.claimDueDeliveries({
          now,
          leaseMs: this.options.leaseMs,
          limit: free,
          leaseToken: randomUUID(),
          excludeWebhookIds: this.heldBackWebhooks(now.getTime()).webhookIds,
        });
        const overCap = claims.filter((claim) => !this.tryStart(claim, now.getTime()));
        if (overCap.length > 0) await this.deps.store.releaseDeliveries(overCap, this.deps.clock());
        claimedAll = claims.length === free && overCap.length === 0;
      }
      // More may be due right now: go round again, after letting I/O run.
      if (claimedAll && this.running) {
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      await this.sleep();
    }
  }

  private async sleep(): Promise<void> {
    if (this.woken || !this.running) return;
    // Webhooks held back are left out: a finishing attempt (or the next rate-limit token) wakes us for their due
    // work, and counting it here would make the loop spin. With the whole process at its cap, that holds for all.
    const nowMs = this.deps.clock().getTime();
    const heldBack = this.heldBackWebhooks(nowMs);
    const nextDue = this.inFlight.size < this.options.concurrency ? await this.deps.store.nextDueAt(heldBack.webhookIds) : undefined;
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

  /** Starts the attempt unless its webhook is at its in-flight cap or rate limit; false hands it back. */
  private tryStart(claim: ClaimedDelivery, nowMs: number): boolean {
    const webhookId = claim.webhook.id;
    const count = this.inFlightByWebhook.get(webhookId) ?? 0;
    if (count >= this.options.perWebhookConcurrency) return false;
    if (!this.rateLimiter.tryTake(webhookId, claim.webhook.rateLimit, nowMs)) return false;
    this.inFlightByWebhook.set(webhookId, count + 1);
    this.inFlight.set(claim.seq, claim);
    const send = this.deliver(claim).finally(() => {
      this.inFlight.delete(claim.seq);
      const left = (this.inFlightByWebhook.get(webhookId) ?? 1) - 1;
      if (left === 0) this.inFlightByWebhook.delete(webhookId);
      else this.inFlightByWebhook.set(webhookId, left);
      this.sends.delete(send);
      // A slot is free: more may be claimable now.
      this.wake();
    });
    this.sends.add(send);
    return true;
  }

  private async deliver(claim: ClaimedDelivery): Promise<void> {
    try {
      const sent = await sendAttempt(this.deps.sender, claim.webhook, claim.event);
      await this.deps.recorder.record(toAttemptRecord(claim, sent, this.deps.clock()));
    } catch (error) {
      this.deps.logger.error({ err: error, deliveryId: claim.id, webhookId: claim.webhook.id }, 'delivery attempt failed unexpectedly');
    }
  }
}
