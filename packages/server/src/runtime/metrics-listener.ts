// /metrics on a port of its own (--metrics-port), nothing else there: the one HTTP a `hookd worker` serves, so that
// every process's counters can be scraped, with the same token check (HOOKD_METRICS_TOKEN) as on the API's port.
import Fastify, { type FastifyInstance } from 'fastify';
import { metricsRoutes, type MetricsEndpoint } from '../api/routes/metrics.js';
import type { Config } from '../config/settings.js';
import { listenOn } from './listen.js';

export interface MetricsListener {
  url: string;
  close(): Promise<void>;
}

export async function listenForMetrics(
  config: Config & { metricsPort: number },
  endpoint: MetricsEndpoint,
): Promise<MetricsListener> {
  const app: FastifyInstance = Fastify({ logger: false });
  metricsRoutes(app, { endpoint, token: config.metricsToken });
  try {
    const url = await listenOn(app, { host: config.host, port: config.metricsPort, flag: '--metrics-port' });
    return { url, close: () => app.close() };
  } catch (error) {
    await app.close();
    throw error;
  }
}
