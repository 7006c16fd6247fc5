// Auto-disable: disables, about once a minute, the webhooks that have failed without a single success for their
// `autoDisableAfter` (their own, else their workspace's). What it changed is logged, one warn line per webhook.
import type { Logger } from 'pino';
import type { AutoDisabledWebhook, Store } from '../store/store.js';

/**
 * Once a minute: the shortest limit allowed is a minute (domain/auto-disable.ts), and a sweep that finds nothing
 * reads only the failing webhooks that have a limit. Several processes sweeping one PostgreSQL do no harm: the store
 * changes (and answers) each webhook in one of them only.
 */
export const SWEEP_EVERY_MS = 60_000;

export class AutoDisableSweeper {
  private running: Promise<void> | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: { store: Store; clock: () => Date; logger: Logger },
    private readonly everyMs: number = SWEEP_EVERY_MS,
  ) {}

  /** One sweep at `now`: disables the webhooks past their limit and answers them. */
  async sweepOnce(now: Date = this.deps.clock()): Promise<AutoDisabledWebhook[]> {
    const disabled = await this.deps.store.disableLongFailingWebhooks(now);
    for (const webhook of disabled) {
      this.deps.logger.warn(
        {
          workspaceId: webhook.workspaceId,
          webhookId: webhook.webhookId,
          reason: `failed without a success for ${webhook.autoDisableAfter} (autoDisableAfter)`,
          previousStatus: webhook.previousStatus,
          failingSince: webhook.failingSince.toISOString(),
        },
        'webhook disabled: it failed without a success for its autoDisableAfter; its queued deliveries are kept until it is turned back on',
      );
    }
    return disabled;
  }

  /** Sweeps now and then every `everyMs` until stop(); a failed sweep is logged and tried again next time. */
  start(): void {
    if (this.running) return;
    this.running = (async () => {
      while (!this.stopped) {
        try {
          await this.sweepOnce();
        } catch (error) {
          this.deps.logger.warn({ err: error }, 'auto-disable: the sweep failed; trying again next round');
        }
        await this.rest(this.everyMs);
      }
    })();
  }

  /** Stops after the sweep under way (one short transaction). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    await this.running;
  }

  private rest(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }
}
