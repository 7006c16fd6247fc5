// A real `hookd serve` (SQLite in a temp dir, loopback receivers allowed) and a way to run `hookd …` commands against
// it as a user's shell would: a process of its own, pointed at the server through the environment, stdin optional.
import { join } from 'node:path';
import { expect } from 'vitest';
import { Hookd, runHookd, type Ran } from './hookd-process.js';
import { tempDir as newTempDir } from './temp-dir.js';

export type CliRun = Ran;

export interface CliRunOptions {
  /** Written to the command's stdin, which is then closed (otherwise stdin is empty). */
  stdin?: string;
  /** The whole environment given (besides PATH and the like): by default the server's URL and key. */
  env?: Record<string, string>;
  /** The working folder (for @file arguments): by default a fresh temp folder. */
  cwd?: string;
}

export interface CliServer {
  url: string;
  apiKey: string;
  /** A fresh folder removed at close. */
  tempDir(): string;
  run(args: string[], options?: CliRunOptions): Promise<CliRun>;
  /** Runs with --json, expects exit 0 and answers stdout parsed. */
  runJson(args: string[], options?: CliRunOptions): Promise<any>;
  close(): Promise<void>;
}

export async function startCliServer(apiKey = 'cli-test-key-0123456789abcdef'): Promise<CliServer> {
  const tempDir = () => newTempDir('hookd-cli-');
  const cwd = tempDir();
  const serveArgs = ['serve', '--port', '0', '--database', join(cwd, 'h.db'), '--bootstrap-key', apiKey];
  const server = new Hookd([...serveArgs, '--allow-network', '127.0.0.0/8'], { cwd });
  const url = (await server.waitForLog('hookd listening')).url as string;
  const run = (args: string[], options: CliRunOptions = {}) =>
    runHookd(args, {
      ...options,
      cwd: options.cwd ?? tempDir(),
      env: options.env ?? { HOOKD_URL: url, HOOKD_API_KEY: apiKey },
    });
  return {
    url,
    apiKey,
    tempDir,
    run,
    async runJson(args, options) {
      const result = await run([...args, '--json'], options);
      expect(result.code, `hookd ${args.join(' ')}\n${result.stderr}`).toBe(0);
      return JSON.parse(result.stdout);
    },
    async close() {
      await server.kill();
    },
  };
}

/** The one line a failed command wrote to stderr. */
export function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line.length > 0);
  expect(lines, stderr).toHaveLength(1);
  return lines[0]!;
}
