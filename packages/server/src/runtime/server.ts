// Starts hookd: store, first-start bootstrap, API; and stops it cleanly.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from '../api/app.js';
import { ConfigError } from '../config/load-config.js';
import type { Config } from '../config/settings.js';
import { ensureDefaultWorkspace } from '../services/bootstrap.js';
import type { ServiceDeps } from '../services/deps.js';
import type { Store } from '../store/store.js';
import { openStore } from './open-store.js';
import { HOOKD_VERSION } from './version.js';

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  store: Store;
  /** An admin key generated on this first start, already printed; undefined otherwise. */
  generatedAdminKey: string | undefined;
  stop(): Promise<void>;
}

export async function startServer(config: Config, logger: Logger, announce: (line: string) => void): Promise<RunningServer> {
  if (config.role === 'worker') {
    throw new ConfigError('--role: this version has no separate delivery worker yet; run with --role all or api');
  }
  const store = await openStore(config.database);
  const { applied } = await store.migrate();
  if (applied.length > 0) logger.info({ applied }, 'database migrated');
  const deps: ServiceDeps = { store, clock: () => new Date() };
  const { workspace, generatedAdminKey } = await ensureDefaultWorkspace(deps, config.bootstrapKey);
  if (generatedAdminKey) {
    announce(`hookd: first start: created workspace "${workspace.name}" (${workspace.id}) with this admin API key, shown only now:`);
    announce(`  ${generatedAdminKey}`);
  }
  const app = await buildApp({ ...deps, logger, version: HOOKD_VERSION });
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close();
    await store.close();
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new ConfigError(`--port: ${config.host}:${config.port} is already in use`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new ConfigError(`--host: cannot listen on "${config.host}"`);
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  logger.info({ url, version: HOOKD_VERSION, role: config.role }, 'hookd listening');
  return {
    url,
    app,
    store,
    generatedAdminKey,
    stop: async () => {
      await app.close();
      await store.close();
    },
  };
}
