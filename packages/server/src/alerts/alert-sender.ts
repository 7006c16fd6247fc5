// The alert sender: claims due alerts from the outbox under a lease, sends each on its channel, records what came of
// it and when to try again. It runs beside the delivery worker with its own few slots, timer and connections: an SMTP
// server or alert endpoint that is down or slow delays alerts, never deliveries. Nothing is kept in memory: a process
// that stops or dies leaves its alerts in the database, and their leases run out for the next sender (on SQLite, the
// next process takes them back as it starts).
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AlertChannel as ChannelName, AlertOutcome, ClaimedAlert } from '../domain/alert.js';
import type { Store } from '../store/store.js';
import { PermanentAlertFailure, type AlertChannel } from './alert-channels.js';

/** What /metrics counts of alerts (runtime backs it with prom-client). */
export interface AlertCounters {
  /** One send tried: `sent`, `retrying` (failed, tried again later) or `failed` (given up). */
  alertSent(channel: ChannelName, outcome: 'sent' | 'retrying' | 'failed'): void;
}

export interface AlertSenderOptions {
  /**
   * Waits between tries after a failure; past the last the alert fails for good. 1m, 5m, 30m, 2h, 6h, 12h: about 21
   * hours in all, so an SMTP server or endpoint down over a night still gets the alert, while one gone for good
   * stops being tried within a day, when what it says is stale anyway.
   */
  scheduleMs: number[];
  /** Alerts in flight at once: few, as there are few alerts, and each may wait out a timeout. */
  concurrency: number;
  /** Held this long by a claim: well past the channels' longest wait (SMTP: 10 s + 10 s + 30 s of silence). */
  leaseMs: number;
  /** How often the outbox is looked at; alerts are made by other processes too, so this is the only wake-up. */
  pollMs: number;
}

export const DEFAULT_ALERT_SENDER_OPTIONS: AlertSenderOptions = {
  scheduleMs: [60_000, 300_000, 1_800_000, 7_200_000, 21_600_000, 43_200_000],
  concurrency: 4,
  leaseMs: 300_000,
  pollMs: 1_000,
};

export interface AlertSenderDeps {
  store: Store;
  clock: () => Date;
  logger: Logger;
  channels: Record<ChannelName, AlertChannel>;
  counters?: AlertCounters | undefined;
}

export class AlertSender {
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private claiming = false;
  private stopped = false;
  /** Set once stop's grace is over: sends still under way are cut off, and what comes of them is not a result. */
  private abandoned = false;

  constructor(
    private readonly deps: AlertSenderDeps,
    private readonly options: AlertSenderOptions,
  ) {}

  start(): void {
    if (!this.deps.store.capabilities.singleProcess) return this.schedule(0);
    void this.takeBackLeases().then(() => this.schedule(0));
  }

  /** The database's only sender (SQLite) sends at once what a dead predecessor held, not after its lease. */
  private async takeBackLeases(): Promise<void> {
    try {
      const released = await this.deps.store.releaseAlertLeases(this.deps.clock());
      if (released > 0) this.deps.logger.info({ released }, 'took back the alerts a previous process was sending');
    } catch (error) {
      this.deps.logger.warn(
        { err: error },
        'could not take back the alerts a previous process was sending; each is due again when its lease runs out',
      );
    }
  }

  /** Stops claiming; waits up to `graceMs` for sends under way (one cut off is sent again once its lease runs out). */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    let waited: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.inFlight),
      new Promise<void>((resolve) => (waited = setTimeout(resolve, graceMs))),
    ]);
    clearTimeout(waited);
    this.abandoned = true;
    await Promise.all(Object.values(this.deps.channels).map((channel) => channel.close()));
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.claimAndSend(), delayMs);
  }

  /** Fills the free slots with due alerts; looks again at the next poll, or at once when a slot frees. */
  private async claimAndSend(): Promise<void> {
    const room = this.options.concurrency - this.inFlight.size;
    if (this.stopped || this.claiming || room <= 0) return;
    this.claiming = true;
    let claimed: ClaimedAlert[] = [];
    try {
      claimed = await this.deps.store.claimDueAlerts({
        now: this.deps.clock(),
        leaseMs: this.options.leaseMs,
        limit: room,
        leaseToken: randomUUID(),
      });
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'claiming due alerts failed; trying again shortly');
    } finally {
      this.claiming = false;
    }
    for (const alert of claimed) {
      const sending = this.sendOne(alert).finally(() => {
        this.inFlight.delete(sending);
        this.schedule(0);
      });
      this.inFlight.add(sending);
    }
    // A full claim may have left more due: look again at once.
    this.schedule(claimed.length === room ? 0 : this.options.pollMs);
  }

  private async sendOne(alert: ClaimedAlert): Promise<void> {
    const outcome = await this.tryToSend(alert);
    // Cut off by shutdown: left leased, so the next sender (this process restarted, or another) sends it again.
    if (this.abandoned) return;
    const ids = { workspaceId: alert.workspaceId, webhookId: alert.webhookId, alertId: alert.id };
    try {
      await this.deps.store.recordAlertOutcomes([outcome], this.deps.clock());
    } catch (error) {
      // The lease runs out and the alert is claimed again: sent twice at worst, never lost.
      this.deps.logger.warn({ err: error, ...ids }, 'recording an alert outcome failed; it is tried again later');
      return;
    }
    const counted = outcome.status === 'pending' ? 'retrying' : outcome.status;
    this.deps.counters?.alertSent(alert.channel, counted);
    const fields = { ...ids, type: alert.type, channel: alert.channel, attempts: alert.attempts + 1 };
    if (outcome.status === 'sent') this.deps.logger.info(fields, 'alert sent');
    else
      this.deps.logger.warn(
        { ...fields, error: outcome.error, nextAttemptAt: outcome.nextAttemptAt },
        outcome.status === 'failed' ? 'alert failed for good' : 'alert not sent; trying again later',
      );
  }

  private async tryToSend(alert: ClaimedAlert): Promise<AlertOutcome> {
    const base = { seq: alert.seq, leaseToken: alert.leaseToken };
    try {
      await this.deps.channels[alert.channel].send(alert);
      return { ...base, status: 'sent', nextAttemptAt: null, error: null };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const waitMs = this.options.scheduleMs[alert.attempts];
      if (error instanceof PermanentAlertFailure || waitMs === undefined)
        return { ...base, status: 'failed', nextAttemptAt: null, error: message };
      return {
        ...base,
        status: 'pending',
        nextAttemptAt: new Date(this.deps.clock().getTime() + waitMs),
        error: message,
      };
    }
  }
}
