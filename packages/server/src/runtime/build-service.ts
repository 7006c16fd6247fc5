// The composition root: the whole service (store engine, SQLite thread, read cache, delivery engine, API) built from
// one Config. `hookd serve`, the tests and the client's OpenAPI generator all build it here, so what they run is
// what production runs: a difference such as "SQLite busy is a 500 in the tests but a 503 in serve" cannot arise.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from '../api/app.js';
import { ConfigError } from '../config/load-config.js';
import type { Config } from '../config/settings.js';
import { DeliveryEngine, type EngineOptions } from '../delivery/engine.js';
import type { SecretCipher } from '../domain/secret-encryption.js';
import { WebhookSecrets } from '../domain/webhook-secrets.js';
import { ensureDefaultWorkspace, type BootstrapResult } from '../services/bootstrap.js';
import type { Clock, MonotonicClock, ServiceDeps } from '../services/deps.js';
import { DataValidatorCache } from '../services/json-schema-cache.js';
import { missingEncryptionKeys } from '../services/stored-key-check.js';
import type { Store } from '../store/store.js';
import { lockDatabaseFile } from './database-lock.js';
import { migrateStore, openStore } from './open-store.js';
import { secretCipher, UNENCRYPTED_WARNING } from './secret-cipher.js';
import { createMetrics, type Metrics } from './metrics.js';
import { bothCounters, startTracingIfSet } from './tracing.js';
import type { AlertSenderOptions } from '../alerts/alert-sender.js';
import { startBackgroundWork, type BackgroundWork } from './background-work.js';
import { HOOKD_VERSION } from './version.js';

/** What a Config does not say: where logs go, and the clocks and limits a test moves or narrows. */
export interface ServiceOptions {
  logger: Logger;
  /** Dates of events, attempts and retries (default: the system clock). */
  clock?: Clock;
  /** Paces request limits and times answers (default: performance.now()), so tests move it instead of racing it. */
  monotonicClock?: MonotonicClock;
  /** The worker's settings beyond the config's (per-webhook slot limits), for tests of those rules. */
  worker?: EngineOptions['worker'];
  /** PostgreSQL connections in the pool (default 10): tests keep many databases open at once. */
  postgresConnections?: number;
  /** Where the dashboard's built files are (default: packages/dashboard/dist), for tests of a missing build. */
  dashboardDir?: string;
  /** The alert sender's retry schedule, slots and polling (default: DEFAULT_ALERT_SENDER_OPTIONS), for tests of retries. */
  alerts?: Partial<AlertSenderOptions>;
}

export interface Service {
  config: Config;
  /** The store as every part uses it: the engine under the encryption of secrets and the read cache. */
  store: Store;
  delivery: DeliveryEngine;
  /** The API, built but not listening; undefined for the role "worker". */
  app: FastifyInstance | undefined;
  /** The compiled event-type schemas the API publishes with. */
  dataValidators: DataValidatorCache;
  /** This process's /metrics; undefined with `--metrics off`, and for a worker without --metrics-port. */
  metrics: Metrics | undefined;
  /** First start's default workspace and admin key (API roles), then the worker (if this process runs one). */
  start(): Promise<BootstrapResult | undefined>;
  /** Stops taking requests and claims, finishes or hands back in-flight attempts (up to graceMs), closes the store. */
  stop(graceMs: number): Promise<void>;
}

/**
 * Stops the start (a ConfigError: one line, exit 2) when a stored value is encrypted under a key not given: otherwise
 * every publish and read of its workspace would fail, and its deliveries could never be signed.
 */
async function refuseMissingEncryptionKeys(store: Store, cipher: SecretCipher): Promise<void> {
  const missing = await missingEncryptionKeys(store, cipher);
  if (missing.size === 0) return;
  const each = [...missing].map(([keyId, count]) => `${count} with key id ${keyId}`).join(', ');
  throw new ConfigError(
    `HOOKD_ENCRYPTION_KEY: stored webhook secrets, header values or alert secrets are encrypted with a key not given (${each}); give it as HOOKD_ENCRYPTION_KEY or in HOOKD_ENCRYPTION_OLD_KEYS`,
  );
}

/** The store opened, locked for this process's worker when the engine serves one process, and migrated. */
async function openMigratedStore(
  config: Config,
  options: ServiceOptions,
  secrets: WebhookSecrets,
): Promise<{ store: Store; releaseLock: () => void }> {
  const { logger } = options;
  const store = await openStore(config.database, {
    onBackgroundError: (error) =>
      logger.warn({ err: error }, 'a database connection or background VACUUM failed; hookd carries on'),
    secrets,
    ...(options.postgresConnections ? { postgresConnections: options.postgresConnections } : {}),
  });
  let releaseLock = () => {};
  try {
    // Before anything else touches the queue: only one process may deliver from a single-process store.
    if (store.capabilities.singleProcess && config.role !== 'api') releaseLock = lockDatabaseFile(config.database);
    const { applied } = await migrateStore(store, config.database);
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
    await refuseMissingEncryptionKeys(store, secrets.cipher);
  } catch (error) {
    await store.close();
    releaseLock();
    throw error;
  }
  return { store, releaseLock };
}

type Wiring = Pick<ServiceDeps, 'store' | 'clock' | 'secrets' | 'counters'> & { monotonicClock: MonotonicClock };

function deliveryEngine(config: Config, options: ServiceOptions, wiring: Wiring): DeliveryEngine {
  return new DeliveryEngine(
    { ...wiring, logger: options.logger },
    {
      allowNetworks: config.allowNetworks,
      allowHttp: config.allowHttp,
      concurrency: config.concurrency,
      dnsServers: config.dnsServers,
      dnsTimeoutMs: config.dnsTimeoutMs,
      userAgent: `hookd/${HOOKD_VERSION}`,
      runWorker: config.role !== 'api',
      worker: { leaseMs: config.leaseMs, pollMs: config.pollIntervalMs, ...options.worker },
    },
  );
}

/** The API, and the watch that drops cached keys when another process revokes one (stop it with the app). */
async function api(
  config: Config,
  options: ServiceOptions,
  deps: ServiceDeps & { monotonicClock: MonotonicClock; metrics: Metrics | undefined },
): Promise<{ app: FastifyInstance; unwatchRevocations: () => Promise<void> }> {
  const { logger } = options;
  // A key revoked through another process is refused here as soon as its NOTIFY arrives (the store's read cache
  // drops its keys); were the notice lost, the cache's one-second life still bounds the delay.
  const unwatchRevocations = await deps.store.watchApiKeyRevocations(
    () => logger.debug('an API key was revoked; cached keys dropped'),
    (error) => logger.warn({ err: error }, 'watching for revoked API keys failed; retrying'),
  );
  try {
    const limits = {
      requestsPerSecondPerKey: config.apiRateLimit,
      failedAuthsPerMinutePerAddress: config.authFailureLimit,
    };
    const dashboard = {
      sessionTtlMs: config.dashboardSessionTtlMs,
      publicUrl: config.publicUrl,
      ...(options.dashboardDir !== undefined ? { dir: options.dashboardDir } : {}),
    };
    const app = await buildApp({
      ...deps,
      logger,
      version: HOOKD_VERSION,
      limits,
      trustProxy: config.trustProxy,
      dashboard,
      metrics: deps.metrics && { endpoint: deps.metrics.endpoint, token: config.metricsToken },
    });
    return { app, unwatchRevocations };
  } catch (error) {
    await unwatchRevocations();
    throw error;
  }
}

export async function buildService(config: Config, options: ServiceOptions): Promise<Service> {
  const cipher = secretCipher(config);
  if (!cipher.encrypts) options.logger.warn(UNENCRYPTED_WARNING);
  // One for the API's reads and the worker's sends: a webhook opened for one is opened for the other.
  const secrets = new WebhookSecrets(cipher);
  const { store, releaseLock } = await openMigratedStore(config, options, secrets);
  const clock = options.clock ?? (() => new Date());
  // Counted only where /metrics can be read: a worker-only process serves it only on --metrics-port.
  const scraped = config.role !== 'worker' || config.metricsPort !== undefined;
  const metrics = config.metrics && scraped ? createMetrics({ store, clock, logger: options.logger }) : undefined;
  // Spans are made from the same notes as /metrics' counts, so traces add no call of their own to the hot path.
  const tracing = await startTracingIfSet(config, { logger: options.logger, version: HOOKD_VERSION });
  const wiring = {
    store,
    secrets,
    clock,
    monotonicClock: options.monotonicClock ?? (() => performance.now()),
    counters: bothCounters(metrics?.counters, tracing?.counters),
  };
  const delivery = deliveryEngine(config, options, wiring);
  const deps = {
    ...wiring,
    delivery,
    dataValidators: new DataValidatorCache(config.schemaCacheSize),
    maxWebhooksPerWorkspace: config.maxWebhooksPerWorkspace,
  };
  let built: Awaited<ReturnType<typeof api>> | undefined;
  try {
    if (config.role !== 'worker') built = await api(config, options, { ...deps, metrics });
  } catch (error) {
    await delivery.stop(0);
    await tracing?.shutdown();
    await store.close();
    releaseLock();
    throw error;
  }
  const app = built?.app;
  let background: BackgroundWork | undefined;
  return {
    config,
    store,
    delivery,
    app,
    dataValidators: deps.dataValidators,
    metrics,
    start: async () => {
      const bootstrap = app ? await ensureDefaultWorkspace(deps, config.bootstrapKey) : undefined;
      await delivery.start();
      const backgroundDeps = { store, clock, logger: options.logger, cipher, alertCounters: metrics?.alerts };
      background = startBackgroundWork(config, backgroundDeps, options.alerts);
      return bootstrap;
    },
    stop: async (graceMs) => {
      // Both at once: the worker stops claiming while the API finishes its requests; the database closes last.
      await Promise.all([app?.close(), delivery.stop(graceMs), background?.stop(graceMs)]);
      // After the last attempt is recorded: its span goes out with the final batch.
      await tracing?.shutdown();
      await built?.unwatchRevocations();
      await store.close();
      releaseLock();
    },
  };
}
