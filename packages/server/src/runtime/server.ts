// Starts hookd as `hookd serve` and `hookd worker` do (the service built by build-service.ts, listening) and stops it.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { ConfigError } from '../config/load-config.js';
import type { Config } from '../config/settings.js';
import type { Store } from '../store/store.js';
import { buildService, type Service } from './build-service.js';
import { listenOn } from './listen.js';
import { listenForMetrics, type MetricsListener } from './metrics-listener.js';
import { HOOKD_VERSION } from './version.js';

export interface RunningServer {
  /** The API's address; undefined for a worker-only process. */
  url: string | undefined;
  /** Where --metrics-port serves /metrics; undefined without it. */
  metricsUrl: string | undefined;
  app: FastifyInstance | undefined;
  store: Store;
  /** An admin key generated on this first start, already announced; undefined otherwise. */
  generatedAdminKey: string | undefined;
  /** Stops taking requests and claims, finishes or hands back in-flight attempts, closes the database. */
  stop(): Promise<void>;
}

/** How long shutdown waits for in-flight attempts before handing them back to the queue. */
const SHUTDOWN_GRACE_MS = 10_000;

/** /metrics on --metrics-port when it is set; a contradiction with --metrics off is said, not ignored. */
async function metricsListener(config: Config, service: Service): Promise<MetricsListener | undefined> {
  const { metricsPort } = config;
  if (metricsPort === undefined) return undefined;
  if (!service.metrics) throw new ConfigError('--metrics-port: /metrics is off (--metrics off); set one or the other');
  return listenForMetrics({ ...config, metricsPort }, service.metrics.endpoint);
}

export async function startServer(
  config: Config,
  logger: Logger,
  announce: (line: string) => void,
): Promise<RunningServer> {
  const service = await buildService(config, { logger });
  const { app } = service;
  let url: string | undefined;
  let metrics: MetricsListener | undefined;
  let generatedAdminKey: string | undefined;
  try {
    if (app) url = await listenOn(app, { host: config.host, port: config.port, flag: '--port' });
    metrics = await metricsListener(config, service);
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
    await Promise.all([metrics?.close(), service.stop(0)]);
    throw error;
  }
  const metricsUrl = metrics?.url;
  logger.info(
    { url, metricsUrl, version: HOOKD_VERSION, role: config.role },
    url ? 'hookd listening' : 'hookd worker started',
  );
  const stop = async () => {
    await Promise.all([metrics?.close(), service.stop(SHUTDOWN_GRACE_MS)]);
  };
  return { url, metricsUrl, app, store: service.store, generatedAdminKey, stop };
}
