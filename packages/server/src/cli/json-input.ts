// JSON given to a flag: inline (`--data '{"a":1}'`), from a file (`--data @event.json`) or from stdin (`--data -`),
// for payloads bigger than a command line may be or that another program writes.
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../config/load-config.js';

/** Far past any body the API takes (256 KiB for an event): a bigger input is a mistake, not worth holding in memory. */
const MAX_INPUT_BYTES = 16 * 1024 * 1024;
let stdinReadBy: string | undefined;

async function readStdin(flag: string, stdin: NodeJS.ReadableStream): Promise<string> {
  // stdin can be read once: a second flag asking for it would get nothing and fail far from the cause.
  if (stdinReadBy !== undefined) throw new ConfigError(`--${flag}: stdin is already read by --${stdinReadBy}`);
  stdinReadBy = flag;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    size += buffer.length;
    if (size > MAX_INPUT_BYTES) throw new ConfigError(`--${flag}: stdin is over ${MAX_INPUT_BYTES / 1024 / 1024} MiB`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJsonFile(flag: string, path: string): Promise<string> {
  if (path === '') throw new ConfigError(`--${flag}: give a file after @, as in --${flag} @event.json`);
  try {
    const text = await readFile(path);
    if (text.length > MAX_INPUT_BYTES)
      throw new ConfigError(`--${flag}: ${path} is over ${MAX_INPUT_BYTES / 1024 / 1024} MiB`);
    return text.toString('utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`--${flag}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/**
 * The JSON value of a flag: `@path` reads the file, `-` reads stdin to its end, anything else is the JSON itself
 * (no JSON text starts with @ or is a lone -). Bad JSON or an unreadable file is a usage error naming the flag.
 */
export async function jsonFlag(
  flag: string,
  text: string,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<unknown> {
  const source = text === '-' ? 'stdin' : text.startsWith('@') ? text.slice(1) : undefined;
  const json =
    text === '-' ? await readStdin(flag, stdin) : text.startsWith('@') ? await readJsonFile(flag, text.slice(1)) : text;
  try {
    return JSON.parse(json) as unknown;
  } catch (error) {
    const where = source === undefined ? '' : ` in ${source}`;
    throw new ConfigError(`--${flag}: not valid JSON${where} (${(error as Error).message})`);
  }
}

/** A JSON flag that must be an object (a request body to merge flags into), or a usage error naming it. */
export async function jsonObjectFlag(flag: string, text: string | undefined): Promise<Record<string, unknown>> {
  if (text === undefined) return {};
  const value = await jsonFlag(flag, text);
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ConfigError(`--${flag}: must be a JSON object, as in --${flag} '{"description": "shop"}'`);
  return value as Record<string, unknown>;
}
