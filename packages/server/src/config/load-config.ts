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

/** --help's lines are at most this wide: a terminal's usual 120 columns, with room to spare. */
const HELP_WIDTH = 116;

/** `text` cut at spaces into lines of at most `width` characters (a longer word gets a line of its own). */
function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line];
}

/** The settings table for --help: flags in one column as wide as the longest, descriptions wrapped beside them. */
export function describeSettings(): string {
  const entries = [
    ...SETTINGS.map((setting) => ({
      flag: setting.kind === 'boolean' ? `--${setting.flag}` : `--${setting.flag} <value>`,
      texts: [setting.description, `env ${setting.env}; default: ${setting.defaultText}`],
    })),
    { flag: '--no-worker', texts: ['serve the API only (same as --role api)'] },
    { flag: '--no-api', texts: ['run deliveries only (same as --role worker)'] },
  ];
  const column = Math.max(...entries.map((entry) => entry.flag.length));
  const indent = ' '.repeat(2 + column + 1);
  return entries
    .map(({ flag, texts }) => {
      const [first, ...more] = texts.flatMap((text) => wrapWords(text, HELP_WIDTH - indent.length));
      return [`  ${flag.padEnd(column)} ${first}`, ...more.map((line) => indent + line)].join('\n');
    })
    .join('\n');
}
