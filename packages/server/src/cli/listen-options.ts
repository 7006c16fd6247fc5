// The flags of `hookd listen`, parsed and checked; a bad one is a ConfigError (one line, exit code 2).
import { DEFAULT_HEADER_PREFIX, type VerifyScheme } from '@hookd/verify';
import { ConfigError } from '../config/load-config.js';
import { parseFlags } from '../config/parse-flags.js';

export interface ListenOptions {
  port: number;
  host: string;
  /** Without a secret, deliveries are printed unverified. */
  secret: string | undefined;
  scheme: VerifyScheme;
  headerPrefix: string;
  /** Answer every delivery with this status instead of 200 / 401. */
  status: number | undefined;
}

export const DEFAULT_LISTEN_PORT = 3000;
const SCHEMES: readonly VerifyScheme[] = ['standard', 'timestamp-nonce', 'body'];

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max)
    throw new ConfigError(`--${flag}: must be a whole number from ${min} to ${max} (got "${text}")`);
  return Number(text);
}

/**
 * The options, or "help" when --help was asked for. The secret comes from --secret, then HOOKD_LISTEN_SECRET: the
 * variable keeps it out of the process list, where anyone on the machine reads a command line.
 */
export function parseListenArgs(argv: string[], env: NodeJS.ProcessEnv = {}): ListenOptions | 'help' {
  const { values, positionals } = parseFlags(argv, {
    help: { type: 'boolean', short: 'h' },
    port: { type: 'string' },
    host: { type: 'string' },
    secret: { type: 'string' },
    scheme: { type: 'string' },
    'header-prefix': { type: 'string' },
    status: { type: 'string' },
  });
  if (values.help) return 'help';
  if (positionals.length > 0) throw new ConfigError(`unexpected argument "${positionals[0]}"; run hookd --help`);
  const scheme = values.scheme ?? 'standard';
  if (!(SCHEMES as readonly string[]).includes(scheme))
    throw new ConfigError(`--scheme: must be one of ${SCHEMES.join(', ')} (got "${scheme}")`);
  const headerPrefix = values['header-prefix'] ?? DEFAULT_HEADER_PREFIX;
  if (!/^[A-Za-z0-9-]{1,64}$/.test(headerPrefix))
    throw new ConfigError(
      `--header-prefix: must be 1 to 64 letters, digits or dashes, e.g. X-Webhook- (got "${headerPrefix}")`,
    );
  if (values.secret !== undefined && values.secret.trim() === '') throw new ConfigError('--secret: must not be empty');
  const envSecret = env.HOOKD_LISTEN_SECRET;
  if (values.secret === undefined && envSecret !== undefined && envSecret.trim() === '')
    throw new ConfigError('HOOKD_LISTEN_SECRET: must not be empty (unset it to print deliveries unverified)');
  if (values.host !== undefined && values.host.trim() === '') throw new ConfigError('--host: must not be empty');
  return {
    port: values.port === undefined ? DEFAULT_LISTEN_PORT : wholeNumber('port', values.port, 0, 65535),
    host: values.host ?? '127.0.0.1',
    secret: values.secret ?? envSecret,
    scheme: scheme as VerifyScheme,
    headerPrefix,
    status: values.status === undefined ? undefined : wholeNumber('status', values.status, 200, 599),
  };
}
