// Starts hookd as `hookd serve` and `hookd worker` do (the service built by build-service.ts, listening) and stops it.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { ConfigError } from '../config/load-config.js';
import type { Config } from '../config/settings.js';
import type { Store } from '../store/store.js';
import { buildService } from './build-service.js';
import { HOOKD_VERSION } from './version.js';

export interface RunningServer {
  /** The API's address; undefined for a worker-only process. */
  url: string | undefined;
  app: FastifyInstance | undefined;
  store: Store;
  /** An admin key generated on this first start, already announced; undefined otherwise. */
  generatedAdminKey: string | undefined;
  /** Stops taking requests and claims, finishes or hands back in-flight attempts, closes the database. */
  stop(): Promise<void>;
}

/** How long shutdown waits for in-flight attempts before handing them back to the queue. */
const SHUTDOWN_GRACE_MS = 10_000;

async function listen(app: FastifyInstance, config: Config): Promise<string> {
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new ConfigError(`--port: ${config.host}:${config.port} is already in use`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
      throw new ConfigError(`--host: cannot listen on "${config.host}"`);
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
}

export async function startServer(
  config: Config,
  logger: Logger,
  announce: (line: string) => void,
): Promise<RunningServer> {
  const service = await buildService(config, { logger });
  const { app } = service;
  let url: string | undefined;
  let generatedAdminKey: string | undefined;
  try {
    if (app) url = await listen(app, config);
    // After listening, so a start that fails (port taken) never swallows the one printing of a new key.
    const bootstrap = await service.start();
    generatedAdminKey = bootstrap?.generatedAdminKey;
    if (bootstrap && generatedAdminKey) {
      announce(
        `hookd: first start: created workspace "${bootstrap.workspace.name}" (${bootstrap.workspace.id}) with this admin API key, shown only now:`,
      );
      announce(`  ${generatedAdminKey}`);
    }
  } catch (error) {
    await service.stop(0);
    throw error;
  }
  logger.info({ url, version: HOOKD_VERSION, role: config.role }, url ? 'hookd listening' : 'hookd worker started');
  return { url, app, store: service.store, generatedAdminKey, stop: () => service.stop(SHUTDOWN_GRACE_MS) };
}
