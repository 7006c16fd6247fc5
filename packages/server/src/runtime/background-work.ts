// The work a worker's process does beside the deliveries: retention, the auto-disable sweep and the alert sender.
import type { Logger } from 'pino';
import type { AlertCounters, AlertSenderOptions } from '../alerts/alert-sender.js';
import type { Config } from '../config/settings.js';
import type { SecretCipher } from '../domain/secret-encryption.js';
import type { Store } from '../store/store.js';
import { startAlertSender } from './start-alert-sender.js';
import { startAutoDisable } from './start-auto-disable.js';
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

/** Each part is off in an API-only process (see its start function). */
export function startBackgroundWork(
  config: Config,
  deps: BackgroundDeps,
  alertOptions: Partial<AlertSenderOptions> | undefined,
): BackgroundWork {
  const { store, clock, logger } = deps;
  const pruner = startPruner(config, { store, clock, logger });
  const sweeper = startAutoDisable(config, { store, clock, logger });
  const alerts = startAlertSender(config, { ...deps, counters: deps.alertCounters }, alertOptions);
  return {
    stop: async (graceMs) => {
      await Promise.all([pruner?.stop(), sweeper?.stop(), alerts?.stop(graceMs)]);
    },
  };
}
