// Real `hookd` processes for tests: spawn with a clean environment, wait for output or exit, signal, clean up.
import { spawn, type ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = resolve(fileURLToPath(new URL('../../bin/hookd.js', import.meta.url)));
export const WAIT_MS = 15_000;
export const KEY_LINE = /^\s*(hk_[A-Za-z0-9_-]{20,})\s*$/m;

/** The parent's environment without any HOOKD_* variable, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('HOOKD_')) env[name] = value;
  return { ...env, ...extra };
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface HookdOptions {
  cwd: string;
  env?: Record<string, string>;
  /** A command that runs hookd (given `node bin/hookd.js ARGS` to end with): unshare, for a mount namespace of its own. */
  launcher?: string[];
  /** The user and group to run as: the tests run as root, to whom every folder is writable. */
  user?: { uid: number; gid: number };
  /** Written to hookd's stdin, which is then closed (otherwise stdin is empty). */
  stdin?: string;
}

/** One running `hookd` process with everything it has written so far. */
export class Hookd {
  stdout = '';
  stderr = '';
  exit: Exit | undefined;
  readonly exited: Promise<Exit>;
  private readonly proc: ChildProcess;
  private readonly listeners = new Set<() => void>();

  constructor(args: string[], options: HookdOptions) {
    const [command, ...launcherArgs] = [...(options.launcher ?? []), process.execPath, BIN, ...args] as [
      string,
      ...string[],
    ];
    this.proc = spawn(command, launcherArgs, {
      cwd: options.cwd,
      env: cleanEnv(options.env),
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
    });
    if (options.stdin !== undefined) this.proc.stdin!.end(options.stdin);
    this.proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      this.notify();
    });
    this.proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.notify();
    });
    this.exited = new Promise((resolvePromise) => {
      this.proc.on('close', (code, signal) => {
        this.exit = { code, signal };
        this.notify();
        resolvePromise(this.exit);
      });
    });
    running.add(this);
    void this.exited.then(() => running.delete(this));
  }

  get pid(): number {
    return this.proc.pid!;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private describe(): string {
    return `exit ${JSON.stringify(this.exit)}\n--- stdout ---\n${this.stdout}\n--- stderr ---\n${this.stderr}`;
  }

  /** Resolves with the first value `probe` returns from the output; rejects if the process ends first or time runs out. */
  waitFor<T>(what: string, probe: () => T | null | undefined, timeoutMs = WAIT_MS): Promise<T> {
    return new Promise((resolvePromise, reject) => {
      const check = () => {
        // null is "not yet" too: a probe may well answer a RegExp's exec(), which is null until the text is there.
        const found = probe();
        if (found !== undefined && found !== null) return done(() => resolvePromise(found));
        if (this.exit) return done(() => reject(new Error(`hookd ended before ${what}:\n${this.describe()}`)));
      };
      const timer = setTimeout(
        () => done(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}:\n${this.describe()}`))),
        timeoutMs,
      );
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        settle();
      };
      this.listeners.add(check);
      check();
    });
  }

  /** The first JSON log line on stdout whose msg is `msg`. */
  waitForLog(msg: string): Promise<Record<string, unknown>> {
    return this.waitFor(`log "${msg}"`, () => jsonLines(this.stdout).find((line) => line.msg === msg));
  }

  /** The ready line of `hookd serve` (its JSON log "hookd listening"): the URL it serves the API on. */
  async listening(): Promise<string> {
    return (await this.waitForLog('hookd listening')).url as string;
  }

  /** The ready line of `hookd listen` ("receiving on URL"): the URL it receives deliveries on. */
  receiving(): Promise<string> {
    return this.waitFor('the receiving line', () => /receiving on (http:\/\/127\.0\.0\.1:\d+)/.exec(this.stdout)?.[1]);
  }

  /** Waits until it has exited or logged its ready line, whichever comes first (a start that should be refused). */
  async exitOrListening(): Promise<void> {
    await this.waitFor(
      'exit or listening',
      () => this.exit ?? jsonLines(this.stdout).find((line) => line.msg === 'hookd listening'),
    );
  }

  /** SIGTERM, then the exit it leads to. */
  stop(): Promise<Exit> {
    this.signal('SIGTERM');
    return this.waitForExit();
  }

  /** Waits for the process to end on its own. */
  waitForExit(timeoutMs = WAIT_MS): Promise<Exit> {
    return this.waitFor('exit', () => this.exit, timeoutMs);
  }

  signal(signal: NodeJS.Signals): void {
    this.proc.kill(signal);
  }

  /** Ends the process for good (test cleanup). */
  async kill(): Promise<void> {
    if (this.exit) return;
    this.proc.kill('SIGKILL');
    await this.exited;
  }
}

const running = new Set<Hookd>();

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a one-shot command (`hookd migrate`, `hookd keys create`, …) to its end. */
export async function runHookd(args: string[], options: HookdOptions): Promise<Ran> {
  const child = new Hookd(args, options);
  const { code } = await child.waitForExit();
  return { code, stdout: child.stdout, stderr: child.stderr };
}

/** Kills every process these helpers started that is still running (call in afterEach). */
export async function killAllHookd(): Promise<void> {
  await Promise.all([...running].map((child) => child.kill()));
}

export function jsonLines(text: string): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a partial line still being written
    }
  }
  return lines;
}

export interface Served {
  child: Hookd;
  url: string;
}

/** Starts `hookd serve --port 0 ARGS` and waits for its ready line: the process and the URL it serves on. */
export async function serve(args: string[], options: HookdOptions): Promise<Served> {
  const child = new Hookd(['serve', '--port', '0', ...args], options);
  const url = await child.listening();
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  return { child, url };
}

/** Sends SIGTERM and expects a clean exit. */
export async function stopCleanly(child: Hookd): Promise<void> {
  const exit = await child.stop();
  expect(exit, `stderr: ${child.stderr}`).toEqual({ code: 0, signal: null });
}

/** The admin key a first start printed on its own line, if any. */
export function printedKey(stdout: string): string | undefined {
  return KEY_LINE.exec(stdout)?.[1];
}

export function stderrLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.length > 0);
}
