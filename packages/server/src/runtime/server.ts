// Starts hookd (store, delivery engine, API, first-start bootstrap) and stops it cleanly.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from '../api/app.js';
import { ConfigError } from '../config/load-config.js';
import type { Config } from '../config/settings.js';
import { DeliveryEngine } from '../delivery/engine.js';
import type { SecretCipher } from '../domain/secret-encryption.js';
import { WebhookSecrets } from '../domain/webhook-secrets.js';
import { ensureDefaultWorkspace } from '../services/bootstrap.js';
import { missingEncryptionKeys } from '../services/stored-key-check.js';
import { DataValidatorCache } from '../services/json-schema-cache.js';
import type { Store } from '../store/store.js';
import type { RetentionPruner } from '../retention/pruner.js';
import { lockDatabaseFile } from './database-lock.js';
import { migrateStore, openStore } from './open-store.js';
import { secretCipher, UNENCRYPTED_WARNING } from './secret-cipher.js';
import { HOOKD_VERSION } from './version.js';
import { startPruner } from './start-pruner.js';

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

/**
 * Stops the start (a ConfigError: one line, exit 2) when a stored value is encrypted under a key not given: otherwise
 * every publish and read of its workspace would fail, and its deliveries could never be signed.
 */
async function refuseMissingEncryptionKeys(store: Store, cipher: SecretCipher): Promise<void> {
  const missing = await missingEncryptionKeys(store, cipher);
  if (missing.size === 0) return;
  const each = [...missing].map(([keyId, count]) => `${count} with key id ${keyId}`).join(', ');
  throw new ConfigError(
    `HOOKD_ENCRYPTION_KEY: stored webhook secrets or header values are encrypted with a key not given (${each}); give it as HOOKD_ENCRYPTION_KEY or in HOOKD_ENCRYPTION_OLD_KEYS`,
  );
}

export async function startServer(
  config: Config,
  logger: Logger,
  announce: (line: string) => void,
): Promise<RunningServer> {
  const cipher = secretCipher(config);
  if (!cipher.encrypts) logger.warn(UNENCRYPTED_WARNING);
  // One for the API's reads and the worker's sends: a webhook opened for one is opened for the other.
  const secrets = new WebhookSecrets(cipher);
  const store = await openStore(config.database, {
    onBackgroundError: (error) =>
      logger.warn({ err: error }, 'a database connection or background VACUUM failed; hookd carries on'),
    secrets,
  });
  // Before anything else touches the queue: only one process may deliver from a single-process store.
  let releaseLock: (() => void) | undefined;
  try {
    if (store.capabilities.singleProcess && config.role !== 'api') releaseLock = lockDatabaseFile(config.database);
  } catch (error) {
    await store.close();
    throw error;
  }
  const { applied } = await migrateStore(store, config.database)
    .then(async (migrated) => {
      await refuseMissingEncryptionKeys(store, cipher);
      return migrated;
    })
    .catch(async (error: unknown) => {
      await store.close();
      releaseLock?.();
      throw error;
    });
  if (applied.length > 0) logger.info({ applied }, 'database migrated');
  const clock = () => new Date();
  const monotonicClock = () => performance.now();
  const delivery = new DeliveryEngine(
    { store, clock, monotonicClock, logger, secrets },
    {
      allowNetworks: config.allowNetworks,
      allowHttp: config.allowHttp,
      concurrency: config.concurrency,
      dnsServers: config.dnsServers,
      dnsTimeoutMs: config.dnsTimeoutMs,
      userAgent: `hookd/${HOOKD_VERSION}`,
      runWorker: config.role !== 'api',
      worker: { leaseMs: config.leaseMs, pollMs: config.pollIntervalMs },
    },
  );
  const deps = {
    store,
    clock,
    delivery,
    secrets,
    dataValidators: new DataValidatorCache(config.schemaCacheSize),
    maxWebhooksPerWorkspace: config.maxWebhooksPerWorkspace,
  };
  let app: FastifyInstance | undefined;
  let url: string | undefined;
  let generatedAdminKey: string | undefined;
  let unwatchRevocations: (() => Promise<void>) | undefined;
  let pruner: RetentionPruner | undefined;
  try {
    if (config.role !== 'worker') {
      // A key revoked through another process is refused here as soon as its NOTIFY arrives (the store's read cache
      // drops its keys); were the notice lost, the cache's one-second life still bounds the delay.
      unwatchRevocations = await store.watchApiKeyRevocations(
        () => logger.debug('an API key was revoked; cached keys dropped'),
        (error) => logger.warn({ err: error }, 'watching for revoked API keys failed; retrying'),
      );
      app = await buildApp({
        ...deps,
        logger,
        version: HOOKD_VERSION,
        limits: {
          requestsPerSecondPerKey: config.apiRateLimit,
          failedAuthsPerMinutePerAddress: config.authFailureLimit,
        },
        trustProxy: config.trustProxy,
        monotonicClock,
      });
      url = await listen(app, config);
      // After listening, so a start that fails (port taken) never swallows the one printing of a new key.
      const bootstrap = await ensureDefaultWorkspace(deps, config.bootstrapKey);
      generatedAdminKey = bootstrap.generatedAdminKey;
      if (generatedAdminKey) {
        announce(
          `hookd: first start: created workspace "${bootstrap.workspace.name}" (${bootstrap.workspace.id}) with this admin API key, shown only now:`,
        );
        announce(`  ${generatedAdminKey}`);
      }
    }
    await delivery.start();
    pruner = startPruner(config, { store, clock, logger });
  } catch (error) {
    await unwatchRevocations?.();
    await app?.close();
    await delivery.stop(0);
    await store.close();
    releaseLock?.();
    throw error;
  }
  logger.info({ url, version: HOOKD_VERSION, role: config.role }, url ? 'hookd listening' : 'hookd worker started');
  return {
    url,
    app,
    store,
    generatedAdminKey,
    stop: async () => {
      // Both at once: the worker stops claiming while the API finishes its requests; the database closes last.
      await Promise.all([app?.close(), delivery.stop(SHUTDOWN_GRACE_MS), pruner?.stop()]);
      await unwatchRevocations?.();
      await store.close();
      releaseLock?.();
    },
  };
}
