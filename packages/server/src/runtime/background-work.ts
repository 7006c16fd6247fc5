// The work a worker's process does beside the deliveries: retention, the auto-disable sweep and the alert sender.
import type { Logger } from 'pino';
import { AutoDisableSweeper } from '../auto-disable/sweeper.js';
import type { AlertCounters, AlertSenderOptions } from '../alerts/alert-sender.js';
import type { Config } from '../config/settings.js';
import type { SecretCipher } from '../domain/secret-encryption.js';
import type { Store } from '../store/store.js';
import { startAlertSender } from './start-alert-sender.js';
import { startPruner } from './start-pruner.js';

export interface BackgroundWork {
  /** Stops all three; an alert being sent gets up to graceMs to finish. */
  stop(graceMs: number): Promise<void>;
}

export interface BackgroundDeps {
  store: Store;
  clock: () => Date;
  logger: Logger;
  cipher: SecretCipher;
  alertCounters: AlertCounters | undefined;
}

/**
 * Only in processes that run the worker (an API-only process has none of it): they prune, sweep and send alerts as
 * they deliver. The sweep runs whatever the settings say: with no autoDisableAfter set anywhere (the default) it reads
 * no row and changes nothing.
 */
export function startBackgroundWork(
  config: Config,
  deps: BackgroundDeps,
  alertOptions: Partial<AlertSenderOptions> | undefined,
): BackgroundWork {
  if (config.role === 'api') return { stop: async () => undefined };
  const { store, clock, logger } = deps;
  const pruner = startPruner(config, { store, clock, logger });
  const sweeper = new AutoDisableSweeper({ store, clock, logger });
  sweeper.start();
  const alerts = startAlertSender(config, { ...deps, counters: deps.alertCounters }, alertOptions);
  return {
    stop: async (graceMs) => {
      await Promise.all([pruner.stop(), sweeper.stop(), alerts.stop(graceMs)]);
    },
  };
}
