// The settings of running hookd for long: retention, logs, encryption at rest and /metrics (part of SETTINGS).
import type { Config, Setting } from './config.js';
import {
  boolean,
  bootstrapKey,
  encryptionKey,
  encryptionKeyList,
  integer,
  oneOf,
  retention,
} from './setting-parsers.js';

export const OPERATION_SETTINGS = [
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
  {
    key: 'metrics',
    flag: 'metrics',
    env: 'HOOKD_METRICS',
    kind: 'value',
    defaultValue: true,
    defaultText: 'on',
    parse: boolean,
    description: "serve /metrics (Prometheus) on the API's host and port: on or off",
  },
  {
    key: 'metricsToken',
    flag: 'metrics-token',
    env: 'HOOKD_METRICS_TOKEN',
    kind: 'value',
    defaultValue: undefined,
    defaultText: 'none: /metrics open to whoever reaches the port',
    parse: bootstrapKey,
    sensitive: true,
    description: 'bearer token a scrape of /metrics must send (Prometheus: authorization.credentials_file)',
  },
  {
    key: 'metricsPort',
    flag: 'metrics-port',
    env: 'HOOKD_METRICS_PORT',
    kind: 'value',
    defaultValue: undefined,
    defaultText: 'none: /metrics only on the API port, so `hookd worker` serves none',
    parse: integer(0, 65535),
    description:
      'also serve /metrics on this TCP port of --host, alone: how a `hookd worker` is scraped (0 picks a free one)',
  },
] as const satisfies readonly Setting<keyof Config>[];
