// A real hookd app on a real database, driven through Fastify's inject (no port needed): a SQLite file in a temp dir,
// or, in the vitest project "postgres", a PostgreSQL database made for it (see test-database.ts).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load-config.js';
import type { DashboardSettings } from '../../src/api/dashboard/dashboard-settings.js';
import type { ApiLimits } from '../../src/api/request-limits.js';
import type { Config } from '../../src/config/settings.js';
import type { DeliveryEngine } from '../../src/delivery/engine.js';
import { buildService, type ServiceOptions } from '../../src/runtime/build-service.js';
import type { DataValidatorCache } from '../../src/services/json-schema-cache.js';
import type { Clock, MonotonicClock } from '../../src/services/deps.js';
import type { Store } from '../../src/store/store.js';
import { tempDir } from './temp-dir.js';
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

export interface TestAppOptions {
  /** An existing database (another app's `database`) instead of a new one; it is not removed on close. */
  database?: string;
  clock?: Clock;
  bootstrapKey?: string;
  /** Run the delivery worker (default: true); false is `--no-worker`. */
  worker?: boolean;
  /**
   * Delivery settings as `hookd serve` takes them; tests reach receivers on 127.0.0.1, so loopback is allowed by
   * default. `worker` narrows the worker's own limits (per-webhook slots), which have no setting.
   */
  engine?: Partial<Pick<Config, 'allowNetworks' | 'allowHttp' | 'concurrency' | 'dnsServers' | 'dnsTimeoutMs'>> &
    Pick<ServiceOptions, 'worker'>;
  /**
   * The API's request limits (`--api-rate-limit`, `--auth-failure-limit`); default none: many tests publish thousands
   * of events, or send dozens of bad keys, as fast as they can. The limits have tests of their own.
   */
  limits?: Partial<ApiLimits>;
  /**
   * The monotonic clock (default performance.now()) that paces the request limits and times the worker's answers, so
   * tests move it instead of waiting or racing it.
   */
  monotonicClock?: MonotonicClock;
  /** Secrets at rest encrypted with this key, as HOOKD_ENCRYPTION_KEY (default: none, stored as they are). */
  encryptionKey?: Buffer;
  /** CIDRs of proxies whose X-Forwarded-For is believed (`--trust-proxy`; default none). */
  trustProxy?: string[];
  /** How many compiled event-type schemas the app keeps (`--schema-cache`; default 1,000). */
  schemaCacheSize?: number;
  /** Webhooks a workspace may have (default 1,000, as `hookd serve`). */
  maxWebhooksPerWorkspace?: number;
  /** The dashboard's build directory (default packages/dashboard/dist), session lifetime and public URL. */
  dashboard?: Partial<DashboardSettings>;
  /** Serve /metrics and count into it, as `hookd serve` does (default off); `token` as HOOKD_METRICS_TOKEN. */
  metrics?: { token?: string };
  /** Send traces to this OTLP/HTTP endpoint, as HOOKD_OTEL_ENDPOINT (default: none, traces off). */
  otelEndpoint?: string;
  /** The share of events traced, as HOOKD_OTEL_SAMPLE_RATIO (default 1). */
  otelSampleRatio?: number;
  /** Alert emails through this SMTP server (HOOKD_SMTP_URL, HOOKD_SMTP_FROM), and the alert sender's own schedule. */
  alerts?: { smtpUrl?: string; smtpFrom?: string; sender?: ServiceOptions['alerts'] };
  /** Where the service logs (default: nowhere), for tests of what is logged. */
  logger?: ServiceOptions['logger'];
}

/** A new database of this run's engine, or the one given, and how to remove it (a given one is kept). */
async function testDatabase(existing: string | undefined): Promise<{ database: string; remove: () => Promise<void> }> {
  if (existing) return { database: existing, remove: async () => {} };
  if (testEngine() === 'postgres') {
    const made = await createTestDatabase();
    return { database: made.url, remove: () => made.drop() };
  }
  const dir = tempDir();
  return { database: join(dir, 'hookd.db'), remove: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** The settings `hookd serve` would be started with for these options: its defaults, changed as a user would. */
function testConfig(database: string, options: TestAppOptions): Config {
  const { worker: _workerLimits, ...engine } = options.engine ?? {};
  const defaults = loadConfig([], {}).config;
  return {
    ...defaults,
    database,
    role: options.worker === false ? 'api' : 'all',
    bootstrapKey: options.bootstrapKey ?? 'test-admin-key-0123456789',
    allowNetworks: ['127.0.0.0/8', '::1/128'],
    concurrency: 64,
    ...engine,
    apiRateLimit: options.limits?.requestsPerSecondPerKey ?? 0,
    authFailureLimit: options.limits?.failedAuthsPerMinutePerAddress ?? 0,
    encryptionKey: options.encryptionKey,
    trustProxy: options.trustProxy ?? defaults.trustProxy,
    schemaCacheSize: options.schemaCacheSize ?? defaults.schemaCacheSize,
    maxWebhooksPerWorkspace: options.maxWebhooksPerWorkspace ?? defaults.maxWebhooksPerWorkspace,
    dashboardSessionTtlMs: options.dashboard?.sessionTtlMs ?? defaults.dashboardSessionTtlMs,
    publicUrl: options.dashboard?.publicUrl ?? defaults.publicUrl,
    metrics: options.metrics !== undefined,
    metricsToken: options.metrics?.token,
    otelEndpoint: options.otelEndpoint,
    otelSampleRatio: options.otelSampleRatio ?? defaults.otelSampleRatio,
    smtpUrl: options.alerts?.smtpUrl,
    smtpFrom: options.alerts?.smtpFrom ?? defaults.smtpFrom,
  };
}

/** A hookd built as `hookd serve` builds it (build-service.ts), driven through inject instead of a port. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const { database, remove } = await testDatabase(options.database);
  const config = testConfig(database, options);
  const service = await buildService(config, {
    logger: options.logger ?? pino({ level: 'silent' }),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.monotonicClock ? { monotonicClock: options.monotonicClock } : {}),
    ...(options.engine?.worker ? { worker: options.engine.worker } : {}),
    postgresConnections: 4,
    ...(options.alerts?.sender ? { alerts: options.alerts.sender } : {}),
    ...(options.dashboard?.dir !== undefined ? { dashboardDir: options.dashboard.dir } : {}),
  }).catch(async (error: unknown) => {
    await remove();
    throw error;
  });
  const app = service.app!;
  await app.ready();
  const bootstrap = (await service.start())!;
  const bootstrapKey = config.bootstrapKey!;

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
  const stop = (graceMs = 5_000) => (stopped ??= service.stop(graceMs));
  return {
    app,
    dataValidators: service.dataValidators,
    store: service.store,
    delivery: service.delivery,
    database,
    adminKey: bootstrapKey,
    workspaceId: bootstrap.workspace.id,
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
