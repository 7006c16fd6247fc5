// Every setting once: its flag, its environment variable, its default and what it means (this feeds --help).
import { isIP } from 'node:net';
import { durationProblem, parseDuration } from '../domain/duration.js';
import { ENCRYPTION_KEY_BYTES } from '../domain/secret-encryption.js';

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
  /** Milliseconds finished deliveries and their events are kept; undefined: forever. */
  retentionMs: number | undefined;
}

/** A parser takes the raw text and returns the value, or throws an Error whose message says what is wrong. */
interface Setting<K extends keyof Config> {
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

function integer(min: number, max: number) {
  return (text: string): number => {
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max)
      throw new Error(`must be a whole number from ${min} to ${max}`);
    return Number(text);
  };
}

function boolean(text: string): boolean {
  if (['1', 'true', 'yes', 'on'].includes(text.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(text.toLowerCase())) return false;
  throw new Error('must be true or false');
}

function oneOf<T extends string>(values: readonly T[]) {
  return (text: string): T => {
    if (!(values as readonly string[]).includes(text)) throw new Error(`must be one of ${values.join(', ')}`);
    return text as T;
  };
}

/** "10.0.0.0/8", "::1/128", or a bare address (a single host). */
export function parseCidr(text: string): string {
  const [address = '', prefix, ...rest] = text.trim().split('/');
  const family = isIP(address);
  const maxPrefix = family === 4 ? 32 : 128;
  if (family === 0 || rest.length > 0) throw new Error(`"${text}" is not a CIDR such as 10.0.0.0/8 or fd00::/8`);
  if (prefix !== undefined && (!/^\d+$/.test(prefix) || Number(prefix) > maxPrefix)) {
    throw new Error(`"${text}" has a prefix length outside 0-${maxPrefix}`);
  }
  return `${address}/${prefix ?? maxPrefix}`;
}

function cidrList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map(parseCidr);
}

/** "10.0.0.2", "10.0.0.2:5353", "fd00::53" or "[fd00::53]:5353": a DNS server as c-ares's setServers takes it. */
export function parseDnsServer(text: string): string {
  const server = text.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(server);
  const withPort = /^([\d.]+):(\d+)$/.exec(server);
  const [address, port] = bracketed
    ? [bracketed[1]!, bracketed[2]]
    : withPort
      ? [withPort[1]!, withPort[2]]
      : [server, undefined];
  if (isIP(address) === 0 || (bracketed && isIP(address) !== 6))
    throw new Error(`"${text}" is not a DNS server address such as 10.0.0.2, 10.0.0.2:5353 or [fd00::53]:53`);
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535))
    throw new Error(`"${text}" has a port outside 1-65535`);
  return server;
}

function dnsServerList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map(parseDnsServer);
}

/** A duration such as "30s" within [minMs, maxMs], as milliseconds. */
function duration(minMs: number, maxMs: number) {
  return (text: string): number => {
    const problem = durationProblem(text, minMs, maxMs);
    if (problem) throw new Error(problem);
    return parseDuration(text)!;
  };
}

function bootstrapKey(text: string): string {
  if (text.length < 16 || /\s/.test(text)) throw new Error('must be at least 16 characters with no spaces');
  return text;
}

/** 32 random bytes in base64 (`openssl rand -base64 32`); Buffer.from alone would take any text and drop what it cannot read. */
function encryptionKey(text: string): Buffer {
  const trimmed = text.trim();
  const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (bytes.length !== ENCRYPTION_KEY_BYTES)
    throw new Error(`must be ${ENCRYPTION_KEY_BYTES} random bytes in base64, e.g. from \`openssl rand -base64 32\``);
  return bytes;
}

function encryptionKeyList(text: string): Buffer[] {
  return text
    .split(',')
    .filter((part) => part.trim().length > 0)
    .map(encryptionKey);
}

/** A duration, or "0"/"off" for none (kept forever). */
function retention(text: string): number | undefined {
  if (text === '0' || text.toLowerCase() === 'off') return undefined;
  return duration(3_600_000, 3_650 * 86_400_000)(text);
}

function nonEmpty(text: string): string {
  if (text.trim() === '') throw new Error('must not be empty');
  return text;
}

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
    key: 'retentionMs',
    flag: 'retention',
    env: 'HOOKD_RETENTION',
    kind: 'value',
    defaultValue: 30 * 86_400_000,
    defaultText: '30d',
    parse: retention,
    description:
      'how long finished deliveries (succeeded, failed or cancelled), their attempts and their events are kept; older ones are deleted in the background (0 or off: kept forever)',
  },
  {
    key: 'logLevel',
    flag: 'log-level',
    env: 'HOOKD_LOG_LEVEL',
    kind: 'value',
    defaultValue: 'info',
    defaultText: 'info',
    parse: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
    description: 'least severe log level written',
  },
  {
    key: 'encryptionKey',
    flag: 'encryption-key',
    env: 'HOOKD_ENCRYPTION_KEY',
    kind: 'value',
    defaultValue: undefined,
    defaultText: 'none: secrets stored unencrypted',
    parse: encryptionKey,
    sensitive: true,
    description:
      'encrypts webhook secrets and header values in the database (AES-256-GCM): 32 random bytes in base64, e.g. from `openssl rand -base64 32`',
  },
  {
    key: 'encryptionOldKeys',
    flag: 'encryption-old-key',
    env: 'HOOKD_ENCRYPTION_OLD_KEYS',
    kind: 'list',
    defaultValue: [],
    defaultText: 'none',
    parse: encryptionKeyList,
    sensitive: true,
    description:
      'earlier encryption keys that still decrypt, until `hookd encryption rotate` has re-encrypted everything with the current one (repeatable; env: comma list)',
  },
] as const satisfies readonly Setting<keyof Config>[];
