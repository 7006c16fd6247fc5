// `hookd serve` and `hookd worker`: run until SIGTERM or SIGINT, then finish or hand back in-flight work and close the database.
import type { Config } from '../config/settings.js';
import { limitHeapGrowth } from '../runtime/heap-growth.js';
import { createLogger } from '../runtime/logger.js';
import { startServer } from '../runtime/server.js';

export async function serveCommand(config: Config): Promise<void> {
  limitHeapGrowth();
  const logger = createLogger(config.logLevel);
  const started = startServer(config, logger, (line) => process.stdout.write(line + '\n'));
  let stopping = false;
  // Listening from the start, so a signal that comes while the start is under way (or just after it said it listens)
  // still stops cleanly: it is acted on as soon as there is a server to stop.
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    started
      .then(async (server) => {
        logger.info({ signal }, 'shutting down');
        await server.stop();
      })
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  await started;
}
