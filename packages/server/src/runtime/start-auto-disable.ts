// Starts the auto-disable sweep beside the worker.
import type { Logger } from 'pino';
import { AutoDisableSweeper } from '../auto-disable/sweeper.js';
import type { Config } from '../config/settings.js';
import type { Store } from '../store/store.js';

/**
 * Undefined in an API-only process: the workers' processes sweep, as they prune. It runs whatever the settings say:
 * with no autoDisableAfter set anywhere (the default) a sweep reads no row and changes nothing.
 */
export function startAutoDisable(
  config: Pick<Config, 'role'>,
  deps: { store: Store; clock: () => Date; logger: Logger },
): AutoDisableSweeper | undefined {
  if (config.role === 'api') return undefined;
  const sweeper = new AutoDisableSweeper(deps);
  sweeper.start();
  return sweeper;
}
