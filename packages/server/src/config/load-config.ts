// Builds the one Config object from flags, then environment, then defaults (flag wins), naming any bad setting.
import { ConfigError } from './config-error.js';
import { parseFlags, type FlagOptions as Options } from './parse-flags.js';
import { SETTINGS, type Config, type Role } from './settings.js';

export { ConfigError } from './config-error.js';

function flagOptions(extra: Options): Options {
  const options: Options = { ...extra, 'no-worker': { type: 'boolean' }, 'no-api': { type: 'boolean' } };
  for (const setting of SETTINGS) {
    options[setting.flag] =
      setting.kind === 'boolean' ? { type: 'boolean' } : { type: 'string', multiple: setting.kind === 'list' };
  }
  return options;
}

export interface ParsedCommandLine {
  config: Config;
  positionals: string[];
  /** Values of the command's own extra flags (e.g. --help). */
  extras: Record<string, string | boolean | undefined>;
}

/**
 * Parses `argv` (after the command name) against every setting plus the command's `extraOptions`.
 * `forcedRole` is set by commands that fix the role (`hookd worker`).
 */
export function loadConfig(
  argv: string[],
  env: NodeJS.ProcessEnv,
  extraOptions: Options = {},
  forcedRole?: Role,
): ParsedCommandLine {
  const parsed = parseFlags(argv, flagOptions(extraOptions));
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const config = {} as Record<string, unknown>;
  for (const setting of SETTINGS) {
    const fromFlag = values[setting.flag];
    const fromEnv = env[setting.env];
    const tryParse = (text: string, source: string) => {
      try {
        return setting.parse(text);
      } catch (error) {
        const got = 'sensitive' in setting && setting.sensitive ? '' : ` (got "${text}")`;
        throw new ConfigError(`${source}: ${(error as Error).message}${got}`);
      }
    };
    if (fromFlag !== undefined) {
      config[setting.key] = Array.isArray(fromFlag)
        ? fromFlag.flatMap((text) => tryParse(text, `--${setting.flag}`) as string[])
        : typeof fromFlag === 'boolean'
          ? fromFlag
          : tryParse(fromFlag, `--${setting.flag}`);
    } else if (fromEnv !== undefined && fromEnv !== '') {
      config[setting.key] = tryParse(fromEnv, setting.env);
    } else {
      config[setting.key] = setting.defaultValue;
    }
  }
  if (values['no-worker'] && values['no-api'])
    throw new ConfigError('--no-worker and --no-api together leave nothing to run');
  if (values['no-worker']) config.role = 'api';
  if (values['no-api']) config.role = 'worker';
  if (forcedRole) config.role = forcedRole;
  const extras: ParsedCommandLine['extras'] = {};
  for (const name of Object.keys(extraOptions ?? {})) extras[name] = values[name] as string | boolean | undefined;
  return { config: config as unknown as Config, positionals: parsed.positionals, extras };
}

/** The settings table for --help. */
export function describeSettings(): string {
  const rows = SETTINGS.map((setting) => {
    const flag = setting.kind === 'boolean' ? `--${setting.flag}` : `--${setting.flag} <value>`;
    return `  ${flag.padEnd(26)} ${setting.description}\n  ${''.padEnd(26)} env ${setting.env}; default: ${setting.defaultText}`;
  });
  rows.push(`  ${'--no-worker'.padEnd(26)} serve the API only (same as --role api)`);
  rows.push(`  ${'--no-api'.padEnd(26)} run deliveries only (same as --role worker)`);
  return rows.join('\n');
}
