// Every setting once: its flag, its environment variable, its default and what it means (this feeds --help).
import {
  boolean,
  bootstrapKey,
  cidrList,
  dnsServerList,
  duration,
  integer,
  nonEmpty,
  oneOf,
  publicUrl,
} from './setting-parsers.js';

export type { Config, LogLevel, Role } from './config.js';
import type { Config, Setting } from './config.js';
import { ALERT_SETTINGS } from './alert-settings.js';
import { OPERATION_SETTINGS } from './operation-settings.js';
import { TELEMETRY_SETTINGS } from './telemetry-settings.js';

export const SETTINGS = [
  {
    key: 'port',
    flag: 'port',
    env: 'HOOKD_PORT',
    kind: 'value',
    defaultValue: 8080,
    defaultText: '8080',
    parse: integer(0, 65535),
    description: 'TCP port of the API and dashboard (0 picks a free one)',
  },
  {
    key: 'host',
    flag: 'host',
    env: 'HOOKD_HOST',
    kind: 'value',
    defaultValue: '127.0.0.1',
    defaultText: '127.0.0.1',
    parse: nonEmpty,
    description: 'address to listen on (0.0.0.0 for every interface)',
  },
  {
    key: 'database',
    flag: 'database',
    env: 'HOOKD_DATABASE_URL',
    kind: 'value',
    defaultValue: './data/hookd.db',
    defaultText: './data/hookd.db',
    parse: nonEmpty,
    description: 'SQLite file path, or a postgres:// URL',
  },
  {
    key: 'bootstrapKey',
    flag: 'bootstrap-key',
    env: 'HOOKD_BOOTSTRAP_API_KEY',
    kind: 'value',
    defaultValue: undefined,
    defaultText: 'none: generated and printed once on first start',
    parse: bootstrapKey,
    sensitive: true,
    description: 'admin API key of the default workspace',
  },
  {
    key: 'allowNetworks',
    flag: 'allow-network',
    env: 'HOOKD_ALLOW_NETWORKS',
    kind: 'list',
    defaultValue: [],
    defaultText: 'none',
    parse: cidrList,
    description:
      'CIDR that deliveries may reach although private, loopback or link-local (repeatable; env: comma list)',
  },
  {
    key: 'allowHttp',
    flag: 'allow-http',
    env: 'HOOKD_ALLOW_HTTP',
    kind: 'boolean',
    defaultValue: false,
    defaultText: 'false',
    parse: boolean,
    description: 'allow plain http:// to any host, not only to allowed networks',
  },
  {
    key: 'dnsServers',
    flag: 'dns-server',
    env: 'HOOKD_DNS_SERVERS',
    kind: 'list',
    defaultValue: [],
    defaultText: 'those of /etc/resolv.conf',
    parse: dnsServerList,
    description:
      'DNS server that receivers\' names are looked up at, as 10.0.0.2, 10.0.0.2:5353 or [fd00::53]:53 (repeatable; env: comma list); /etc/hosts and "localhost" are answered first',
  },
  // 5 s: what getaddrinfo gives one try by default (resolv.conf "timeout:5"); a resolver that has not answered by then
  // rarely does, and the attempt is retried on the schedule anyway.
  {
    key: 'dnsTimeoutMs',
    flag: 'dns-timeout',
    env: 'HOOKD_DNS_TIMEOUT',
    kind: 'value',
    defaultValue: 5_000,
    defaultText: '5s',
    parse: duration(100, 60_000),
    description:
      "how long a DNS lookup of a receiver's name may take before the attempt fails (and is retried on the schedule)",
  },
  {
    key: 'concurrency',
    flag: 'concurrency',
    env: 'HOOKD_CONCURRENCY',
    kind: 'value',
    defaultValue: 256,
    defaultText: '256',
    parse: integer(1, 10_000),
    description: 'in-flight deliveries per process',
  },
  {
    key: 'leaseMs',
    flag: 'lease',
    env: 'HOOKD_LEASE',
    kind: 'value',
    defaultValue: 300_000,
    defaultText: '5m',
    parse: duration(1_000, 86_400_000),
    description:
      'how long a claimed delivery is held before another worker may take it (keep it well over the longest webhook timeout)',
  },
  {
    key: 'pollIntervalMs',
    flag: 'poll-interval',
    env: 'HOOKD_POLL_INTERVAL',
    kind: 'value',
    defaultValue: 1_000,
    defaultText: '1s',
    parse: duration(10, 3_600_000),
    description: 'longest a worker waits before looking for due deliveries (publishes wake it at once)',
  },
  {
    key: 'role',
    flag: 'role',
    env: 'HOOKD_ROLE',
    kind: 'value',
    defaultValue: 'all',
    defaultText: 'all',
    parse: oneOf(['all', 'api', 'worker'] as const),
    description: 'api, worker or all (--no-worker means api, --no-api means worker)',
  },
  // 1,000 a second: one key may take about a sixth of what one process accepts (the bench: about 6,000 events a
  // second on SQLite), so one tenant cannot starve the others; the bench itself passes 0 to measure the process.
  {
    key: 'apiRateLimit',
    flag: 'api-rate-limit',
    env: 'HOOKD_API_RATE_LIMIT',
    kind: 'value',
    defaultValue: 1_000,
    defaultText: '1000',
    parse: integer(0, 1_000_000),
    description:
      "API requests a second per API key, in bursts of up to a second's worth; more answer 429 with Retry-After (0: no limit)",
  },
  // Generated keys are 256 random bits, so guessing them is hopeless; this caps the lookups a stranger can make us do,
  // and the guesses at a chosen --bootstrap-key (16 characters at least).
  {
    key: 'authFailureLimit',
    flag: 'auth-failure-limit',
    env: 'HOOKD_AUTH_FAILURE_LIMIT',
    kind: 'value',
    defaultValue: 20,
    defaultText: '20',
    parse: integer(0, 1_000_000),
    description:
      'failed API authentications a minute per client address; past them every request from it answers 429 until one is allowed again (0: no limit)',
  },
  {
    key: 'trustProxy',
    flag: 'trust-proxy',
    env: 'HOOKD_TRUST_PROXY',
    kind: 'list',
    defaultValue: [],
    defaultText: "none: the connecting address is the client's",
    parse: cidrList,
    description:
      "CIDR of a proxy or load balancer in front of hookd whose X-Forwarded-For is believed, so limits apply to the client's address, not the proxy's (repeatable; env: comma list); list every proxy hop",
  },
  {
    key: 'schemaCacheSize',
    flag: 'schema-cache',
    env: 'HOOKD_SCHEMA_CACHE',
    kind: 'value',
    defaultValue: 1_000,
    defaultText: '1000',
    parse: integer(1, 100_000),
    description:
      'compiled event-type schemas kept in memory; the least recently used beyond this are compiled again when needed',
  },
  // Every publish matches the event against each of a workspace's webhooks, filters included (at most 4 KiB each):
  // with filters near that size, 1,000 webhooks cost a publish 160-240 ms and 3,000 took 500-610 ms, growing with the
  // count. Stripe allows 16 endpoints an account; 1,000 leaves room for a webhook per customer of a small product.
  {
    key: 'maxWebhooksPerWorkspace',
    flag: 'max-webhooks-per-workspace',
    env: 'HOOKD_MAX_WEBHOOKS_PER_WORKSPACE',
    kind: 'value',
    defaultValue: 1_000,
    defaultText: '1000',
    parse: integer(1, 1_000_000),
    description: 'webhooks a workspace may have; creating one more answers 409 naming this limit',
  },
  {
    key: 'dashboardSessionTtlMs',
    flag: 'dashboard-session-ttl',
    env: 'HOOKD_DASHBOARD_SESSION_TTL',
    kind: 'value',
    defaultValue: 12 * 3_600_000,
    defaultText: '12h',
    parse: duration(60_000, 30 * 86_400_000),
    description: 'how long a dashboard login lasts before the browser must log in again with an API key',
  },
  {
    key: 'publicUrl',
    flag: 'public-url',
    env: 'HOOKD_PUBLIC_URL',
    kind: 'value',
    defaultValue: undefined,
    defaultText: "each request's own origin",
    parse: publicUrl,
    description:
      'the URL people reach hookd at (https://hooks.example.com), for the links portal sessions and alerts hand out and the Origin the dashboard sends',
  },
  ...OPERATION_SETTINGS,
  ...TELEMETRY_SETTINGS,
  ...ALERT_SETTINGS,
] as const satisfies readonly Setting<keyof Config>[];
