// The typed configuration hookd runs with, built once at start-up from flags, environment and defaults (settings.ts).

export type Role = 'all' | 'api' | 'worker';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  database: string;
  bootstrapKey: string | undefined;
  allowNetworks: string[];
  allowHttp: boolean;
  /** DNS servers for receivers' names; empty: those of /etc/resolv.conf. */
  dnsServers: string[];
  /** Milliseconds a DNS lookup may take before the attempt fails. */
  dnsTimeoutMs: number;
  concurrency: number;
  /** Milliseconds a claim holds a delivery. */
  leaseMs: number;
  /** Milliseconds the worker sleeps at most without looking for due work. */
  pollIntervalMs: number;
  role: Role;
  logLevel: LogLevel;
  /** API requests a second per API key; 0: no limit. */
  apiRateLimit: number;
  /** Failed API authentications a minute per client address; 0: no limit. */
  authFailureLimit: number;
  /** CIDRs of the proxies whose X-Forwarded-For names the client's address; empty: the connecting address is the client's. */
  trustProxy: string[];
  /** Encrypts webhook secrets and header values at rest; none: they are stored as they are. */
  encryptionKey: Buffer | undefined;
  /** Earlier encryption keys: they still decrypt what they encrypted, until `hookd encryption rotate` has run. */
  encryptionOldKeys: Buffer[];
  /** How many compiled event-type schemas are kept in memory. */
  schemaCacheSize: number;
  maxWebhooksPerWorkspace: number;
  /** How long a dashboard login lasts. */
  dashboardSessionTtlMs: number;
  /** The origin people reach hookd at, for the links portal sessions hand out; undefined: each request's own. */
  publicUrl: string | undefined;
  /** Serve /metrics (Prometheus) beside the API. */
  metrics: boolean;
  /** When set, /metrics answers only a scrape that sends it as a bearer token. */
  metricsToken: string | undefined;
  /** When set, /metrics is also served on this port (of `host`): a worker-only process serves it nowhere else. */
  metricsPort: number | undefined;
  /** Milliseconds finished deliveries and their events are kept; undefined: forever. */
  retentionMs: number | undefined;
  /** OTLP/HTTP collector (spans to `<otelEndpoint>/v1/traces`); undefined: traces off, the SDK never loaded. */
  otelEndpoint: string | undefined;
  /** The traces' service.name. */
  otelServiceName: string;
  /** The share of events whose spans are sent, 0 to 1 (decided from the event's trace id). */
  otelSampleRatio: number;
  /** The SMTP server alert emails go through (credentials in it: never logged); undefined: alert emails off. */
  smtpUrl: string | undefined;
  /** The From address of alert emails. */
  smtpFrom: string;
}

/** A parser takes the raw text and returns the value, or throws an Error whose message says what is wrong. */
export interface Setting<K extends keyof Config> {
  key: K;
  flag: string;
  env: string;
  description: string;
  /** Shown in --help; undefined for settings with no default. */
  defaultText: string;
  defaultValue: Config[K];
  /** How the flag is given on the command line. */
  kind: 'value' | 'boolean' | 'list';
  parse: (text: string) => Config[K];
  /** A credential: a bad value is named, never echoed. */
  sensitive?: boolean;
}
