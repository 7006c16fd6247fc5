// Auto-disable: disables, about once a minute, the webhooks that have failed without a single success for their
// `autoDisableAfter` (their own, else their workspace's). What it changed is logged, one warn line per webhook.
import type { Logger } from 'pino';
import { Rounds } from '../background/rounds.js';
import type { AutoDisabledWebhook, Store } from '../store/store.js';

/**
 * Once a minute: the shortest limit allowed is a minute (domain/auto-disable.ts), and a sweep that finds nothing
 * reads only the failing webhooks that have a limit. Several processes sweeping one PostgreSQL do no harm: the store
 * changes (and answers) each webhook in one of them only.
 */
export const SWEEP_EVERY_MS = 60_000;

export class AutoDisableSweeper {
  private readonly rounds = new Rounds();

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

  /** Sweeps every `everyMs` until stop(); a failed sweep is logged and tried again next time. */
  start(): void {
    this.rounds.start(
      async () => void (await this.sweepOnce()),
      this.everyMs,
      (error) => this.deps.logger.warn({ err: error }, 'auto-disable: the sweep failed; trying again next round'),
    );
  }

  /** Stops after the sweep under way (one short transaction). */
  stop(): Promise<void> {
    return this.rounds.stop();
  }
}
