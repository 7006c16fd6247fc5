// A real hookd app on a real database, driven through Fastify's inject (no port needed): a SQLite file in a temp dir,
// or, in the vitest project "postgres", a PostgreSQL database made for it (see test-database.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../../src/api/app.js';
import type { ApiLimits } from '../../src/api/request-limits.js';
import { DeliveryEngine, type EngineOptions } from '../../src/delivery/engine.js';
import { ensureDefaultWorkspace } from '../../src/services/bootstrap.js';
import { DataValidatorCache } from '../../src/services/json-schema-cache.js';
import type { Clock, MonotonicClock } from '../../src/services/deps.js';
import type { Store } from '../../src/store/store.js';
import { createMetrics } from '../../src/runtime/metrics.js';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { withEncryptedSecrets } from '../../src/store/encrypted-secrets.js';
import { SecretCipher } from '../../src/domain/secret-encryption.js';
import { WebhookSecrets } from '../../src/domain/webhook-secrets.js';
import { createTestDatabase, testEngine } from './test-database.js';

export interface CallOptions {
  /** API key to send; defaults to the admin key of the default workspace. null sends none. */
  key?: string | null;
  body?: unknown;
  /** Raw payload, sent as-is (for malformed JSON and size tests). */
  payload?: string;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  body: any;
  headers: Record<string, unknown>;
}

export interface TestApp {
  app: FastifyInstance;
  /** The app's compiled event-type schemas. */
  dataValidators: DataValidatorCache;
  store: Store;
  delivery: DeliveryEngine;
  /** The SQLite file or the postgres:// URL: give it to startTestApp({ database }) to start again on the same data. */
  database: string;
  adminKey: string;
  workspaceId: string;
  call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT', url: string, options?: CallOptions): Promise<CallResult>;
  /**
   * Closes the app and the store but keeps the database (for restart tests). In-flight attempts get `graceMs`
   * (default 5 s) to finish before they are cut off and handed back.
   */
  stop(graceMs?: number): Promise<void>;
  /** stop() (if not done yet) and remove the database this app made. */
  close(): Promise<void>;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'hookd-test-'));
}

export interface TestAppOptions {
  /** An existing database (another app's `database`) instead of a new one; it is not removed on close. */
  database?: string;
  clock?: Clock;
  bootstrapKey?: string;
  /** Run the delivery worker (default: true). */
  worker?: boolean;
  /** Delivery engine settings; tests reach receivers on 127.0.0.1, so loopback is allowed by default. */
  engine?: Partial<EngineOptions>;
  /**
   * The API's request limits; default none: many tests publish thousands of events, or send dozens of bad keys, as
   * fast as they can. The limits have tests of their own (rate-limits.api.test.ts).
   */
  limits?: Partial<ApiLimits>;
  /**
   * The monotonic clock (default performance.now()) that paces the request limits and times the worker's answers, so
   * tests move it instead of waiting or racing it.
   */
  monotonicClock?: MonotonicClock;
  /** Secrets at rest encrypted as `hookd serve` does with HOOKD_ENCRYPTION_KEY (default: the engine as it is). */
  cipher?: SecretCipher;
  /** CIDRs of proxies whose X-Forwarded-For is believed (`--trust-proxy`; default none). */
  trustProxy?: string[];
  /** How many compiled event-type schemas the app keeps (`--schema-cache`; default 1,000). */
  schemaCacheSize?: number;
  /** Webhooks a workspace may have (default 1,000, as `hookd serve`). */
  maxWebhooksPerWorkspace?: number;
  /** Serve /metrics and count into it, as `hookd serve` does (default off); `token` as HOOKD_METRICS_TOKEN. */
  metrics?: { token?: string };
}

/** A new, migrated database of this run's engine (or the one given), and how to remove it. */
async function openTestStore(
  existing: string | undefined,
): Promise<{ store: Store; database: string; remove: () => Promise<void> }> {
  if (testEngine() === 'postgres') {
    const made = existing ? undefined : await createTestDatabase();
    const url = existing ?? made!.url;
    const store = openPostgresStore({ url, maxConnections: 4 });
    await store.migrate();
    return { store, database: url, remove: async () => made?.drop() };
  }
  const dir = existing ? undefined : tempDir();
  const file = existing ?? join(dir!, 'hookd.db');
  const store = openSqliteStore(file);
  await store.migrate();
  return {
    store,
    database: file,
    remove: async () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const opened = await openTestStore(options.database);
  const { database, remove } = opened;
  const secrets = new WebhookSecrets(options.cipher ?? new SecretCipher(undefined));
  const store = options.cipher ? withEncryptedSecrets(opened.store, secrets) : opened.store;
  const clock = options.clock ?? (() => new Date());
  const monotonicClock = options.monotonicClock ?? (() => performance.now());
  const logger = pino({ level: 'silent' });
  const metrics = options.metrics ? createMetrics({ store, clock, logger }) : undefined;
  const delivery = new DeliveryEngine(
    { store, clock, monotonicClock, logger, secrets, ...(metrics ? { counters: metrics.counters } : {}) },
    {
      allowNetworks: ['127.0.0.0/8', '::1/128'],
      allowHttp: false,
      concurrency: 64,
      dnsServers: [],
      dnsTimeoutMs: 5_000,
      userAgent: 'hookd/test',
      runWorker: options.worker ?? true,
      ...options.engine,
    },
  );
  const deps = {
    store,
    clock,
    delivery,
    secrets,
    dataValidators: new DataValidatorCache(options.schemaCacheSize ?? 1_000),
    maxWebhooksPerWorkspace: options.maxWebhooksPerWorkspace ?? 1_000,
    counters: metrics?.counters,
  };
  const bootstrapKey = options.bootstrapKey ?? 'test-admin-key-0123456789';
  const { workspace } = await ensureDefaultWorkspace(deps, bootstrapKey);
  const limits: ApiLimits = { requestsPerSecondPerKey: 0, failedAuthsPerMinutePerAddress: 0, ...options.limits };
  const app = await buildApp({
    ...deps,
    logger,
    version: 'test',
    limits,
    trustProxy: options.trustProxy ?? [],
    monotonicClock,
    metrics: metrics && { endpoint: metrics.endpoint, token: options.metrics?.token },
  });
  await app.ready();
  await delivery.start();

  const call: TestApp['call'] = async (method, url, callOptions = {}) => {
    const key = callOptions.key === undefined ? bootstrapKey : callOptions.key;
    const headers: Record<string, string> = {
      ...(key !== null ? { authorization: `Bearer ${key}` } : {}),
      ...callOptions.headers,
    };
    let payload: string | undefined = callOptions.payload;
    if (callOptions.body !== undefined) payload = JSON.stringify(callOptions.body);
    if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      headers['content-type'] = 'application/json';
    const response = await app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
    let body: unknown = undefined;
    if (response.body.length > 0) {
      try {
        body = JSON.parse(response.body);
      } catch {
        body = response.body;
      }
    }
    return { status: response.statusCode, body, headers: response.headers };
  };

  let stopped: Promise<void> | undefined;
  const stop = (graceMs = 5_000) =>
    (stopped ??= (async () => {
      await app.close();
      await delivery.stop(graceMs);
      await store.close();
    })());
  return {
    app,
    dataValidators: deps.dataValidators,
    store,
    delivery,
    database,
    adminKey: bootstrapKey,
    workspaceId: workspace.id,
    call,
    stop,
    close: async () => {
      await stop();

      await remove();
    },
  };
}

/** Asserts the API's error shape and returns it, so a test can check code, message and named field. */
export function expectError(
  result: CallResult,
  status: number,
): { code: string; message: string; details?: { field: string; message: string }[] } {
  if (result.status !== status)
    throw new Error(`expected ${status}, got ${result.status}: ${JSON.stringify(result.body)}`);
  const error = (result.body as { error?: unknown }).error as {
    code: string;
    message: string;
    details?: { field: string; message: string }[];
  };
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string')
    throw new Error(`not an error body: ${JSON.stringify(result.body)}`);
  return error;
}

/**
 * Apps a test starts, several maybe on one database (`database: first.database`), closed together: the first made
 * the database, so the others, which opened it again, close first.
 */
export function appsOfTest(): { start: (options?: TestAppOptions) => Promise<TestApp>; closeAll: () => Promise<void> } {
  const started: TestApp[] = [];
  return {
    start: async (options) => {
      const app = await startTestApp(options);
      started.push(app);
      return app;
    },
    closeAll: async () => {
      for (const app of started.splice(0).reverse()) await app.close();
    },
  };
}
