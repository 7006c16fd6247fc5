// node:util parseArgs, strict, with its errors turned into one-line usage errors; a mistyped flag gets "did you mean".
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from './closest-word.js';
import { ConfigError } from './config-error.js';

export type FlagOptions = NonNullable<ParseArgsConfig['options']>;

/** The long names of `options`, as typed: a one-letter flag is too short to guess what was meant. */
function flagNames(options: FlagOptions): string[] {
  return Object.keys(options).map((name) => `--${name}`);
}

type ParsedFlags<O extends FlagOptions> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
>;

/** Parses `args` against `options` with positionals allowed; an unknown or malformed flag is a ConfigError. */
export function parseFlags<O extends FlagOptions>(args: string[], options: O): ParsedFlags<O> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const unknown = /^Unknown option '([^']+)'/.exec(message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown !== undefined) {
      // `--evnets=a` and `--evnets a` both name the flag `--evnets`.
      const flag = unknown.split('=')[0]!;
      throw new ConfigError(`unknown flag ${flag}${didYouMean(flag, flagNames(options))}`);
    }
    throw new ConfigError(message.split('\n')[0]);
  }
}
