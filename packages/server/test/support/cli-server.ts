// A real `hookd serve` (SQLite in a temp dir, loopback receivers allowed) and a way to run `hookd …` commands against
// it as a user's shell would: a process of its own, pointed at the server through the environment, stdin optional.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { cleanEnv, Hookd, WAIT_MS } from './hookd-process.js';

const BIN = resolve(fileURLToPath(new URL('../../bin/hookd.js', import.meta.url)));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

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

/** Runs `node bin/hookd.js ARGS` to its end; a command still running after WAIT_MS is killed and fails the test. */
export function runHookd(
  args: string[],
  options: Required<Pick<CliRunOptions, 'cwd'>> & CliRunOptions,
): Promise<CliRun> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: cleanEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(options.stdin ?? '');
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hookd ${args.join(' ')} still running after ${WAIT_MS} ms\n${stdout}\n${stderr}`));
    }, WAIT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

export async function startCliServer(apiKey = 'cli-test-key-0123456789abcdef'): Promise<CliServer> {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookd-cli-'));
    dirs.push(dir);
    return dir;
  };
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
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The one line a failed command wrote to stderr. */
export function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line.length > 0);
  expect(lines, stderr).toHaveLength(1);
  return lines[0]!;
}
