// The flags every command that talks to a running hookd shares (--url, --api-key, --json), parsed with the command's own.
import { createHookdClient, type HookdClient } from '@hookd/client';
import { closestWord } from '../config/closest-word.js';
import { ConfigError } from '../config/load-config.js';
import { parseFlags, type FlagOptions as OptionSpec } from '../config/parse-flags.js';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8080';

const SHARED_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  url: { type: 'string' },
  'api-key': { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies OptionSpec;

export interface ApiCommandLine {
  /** The typed client for --url with --api-key; the key goes nowhere else. */
  client: HookdClient;
  /** The server's base URL, for messages. */
  url: string;
  json: boolean;
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

function serverUrl(text: string, source: string): string {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new ConfigError(`${source}: must be an http(s) URL such as ${DEFAULT_SERVER_URL} (got "${text}")`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new ConfigError(`${source}: must be an http(s) URL such as ${DEFAULT_SERVER_URL} (got "${text}")`);
  return text.replace(/\/+$/, '');
}

/**
 * Parses `argv` against the shared flags plus `options`; "help" when --help was asked for.
 * The server URL comes from --url, then HOOKD_URL, then the default; the key from --api-key, then HOOKD_API_KEY.
 */
export function parseApiCommandLine(
  argv: string[],
  env: NodeJS.ProcessEnv,
  options: OptionSpec,
): ApiCommandLine | 'help' {
  const parsed = parseFlags(argv, { ...options, ...SHARED_OPTIONS });
  const values = parsed.values as ApiCommandLine['values'];
  if (values.help === true) return 'help';
  const url =
    typeof values.url === 'string'
      ? serverUrl(values.url, '--url')
      : env.HOOKD_URL
        ? serverUrl(env.HOOKD_URL, 'HOOKD_URL')
        : DEFAULT_SERVER_URL;
  const apiKey = typeof values['api-key'] === 'string' ? values['api-key'] : env.HOOKD_API_KEY;
  if (apiKey === undefined || apiKey.trim() === '')
    throw new ConfigError(
      'no API key: pass --api-key or set HOOKD_API_KEY (hookd serve prints one on first start; hookd keys create issues another)',
    );
  return {
    client: createHookdClient({ url, apiKey: apiKey.trim() }),
    url,
    json: values.json === true,
    values,
    positionals: parsed.positionals,
  };
}

export interface ApiSubcommand {
  options: OptionSpec;
  run: (line: ApiCommandLine) => Promise<void>;
}

/**
 * The usage error for `hookd <group> <name>` when `name` is none of `subcommands` (or missing): the nearest one when
 * there is one, `hookd webhooks lst` → `unknown command "webhooks lst" (did you mean "hookd webhooks list"?)`.
 */
export function unknownSubcommand(
  group: string,
  name: string | undefined,
  subcommands: Iterable<string>,
  usage: string,
): ConfigError {
  if (name === undefined) return new ConfigError(`usage: ${usage}; run hookd ${group} --help`);
  const near = closestWord(name, subcommands);
  const hint = near === undefined ? '' : ` (did you mean "hookd ${group} ${near}"?)`;
  return new ConfigError(`unknown command "${group} ${name}"${hint}; usage: ${usage}; run hookd ${group} --help`);
}

/**
 * Runs `hookd <group> <subcommand> …`: picks the subcommand named first in `argv`, parses its flags with the shared
 * ones, and prints `helpText` for --help; an unknown or missing subcommand is a usage error showing `usage`.
 */
export async function runApiSubcommand(
  group: string,
  usage: string,
  subcommands: Record<string, ApiSubcommand>,
  argv: string[],
  env: NodeJS.ProcessEnv,
  helpText: () => string,
): Promise<void> {
  const name = argv[0];
  const subcommand = name !== undefined && Object.hasOwn(subcommands, name) ? subcommands[name] : undefined;
  if (subcommand === undefined) {
    if (argv.includes('--help') || argv.includes('-h')) return void process.stdout.write(helpText());
    throw unknownSubcommand(group, name, Object.keys(subcommands), usage);
  }
  const line = parseApiCommandLine(argv, env, subcommand.options);
  if (line === 'help') return void process.stdout.write(helpText());
  return subcommand.run(line);
}

/** A comma list given once or repeated: `--events a,b --events c` → [a, b, c]. */
export function listFlag(value: string | boolean | string[] | undefined): string[] | undefined {
  if (value === undefined || typeof value === 'boolean') return undefined;
  return (Array.isArray(value) ? value : [value])
    .flatMap((part) => part.split(','))
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

export function wholeNumberFlag(flag: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max)
    throw new ConfigError(`--${flag}: must be a whole number from ${min} to ${max} (got "${text}")`);
  return Number(text);
}

/** The positionals a subcommand expects, exactly; more or fewer is a usage error showing `usage`. */
export function expectPositionals(positionals: string[], count: number, usage: string): string[] {
  if (positionals.length !== count)
    throw new ConfigError(
      positionals.length > count ? `unexpected argument "${positionals[count]}"; usage: ${usage}` : `usage: ${usage}`,
    );
  return positionals;
}

/** Writes the raw API JSON for scripts (--json). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
