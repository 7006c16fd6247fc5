// Starts the retention pruner beside the worker, as --retention says.
import type { Logger } from 'pino';
import type { Config } from '../config/settings.js';
import { BATCH_PAUSE_MS, BATCH_SIZE, BUSY_SHARE, RetentionPruner, ROUND_EVERY_MS } from '../retention/pruner.js';
import type { Store } from '../store/store.js';

/** With --retention off it still deletes expired browser sessions, and nothing else. */
export function startPruner(
  config: Pick<Config, 'retentionMs'>,
  deps: { store: Store; clock: () => Date; logger: Logger },
): RetentionPruner {
  const pruner = new RetentionPruner(deps, {
    retentionMs: config.retentionMs,
    batchSize: BATCH_SIZE,
    pauseMs: BATCH_PAUSE_MS,
    busyShare: BUSY_SHARE,
    roundEveryMs: ROUND_EVERY_MS,
  });
  pruner.start();
  return pruner;
}
