// Starting and talking to the bench's processes: hookd itself (as a user runs it), the receiver, the load generator.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshDatabase, type FreshDatabase } from './databases.js';
import type { BenchOptions } from './options.js';
import type { LoadCommand, LoadResult, ReceiverCommand, ReceiverLatencies, ReceiverStats } from './protocol.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const HOOKD_BIN = fileURLToPath(new URL('../packages/server/bin/hookd.js', import.meta.url));
export const BENCH_KEY = 'bench-admin-key-0123456789abcdef';

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** A TypeScript module of bench/ in its own Node process, with an IPC channel. */
function forkModule(file: string): ChildProcess {
  const child = fork(join(HERE, file), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** Sends `message` and resolves with the child's next message. */
function ask<T>(child: ChildProcess, message: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`child exited (${code}) before answering`));
    child.once('message', (answer) => {
      child.off('exit', onExit);
      resolve(answer as T);
    });
    child.once('exit', onExit);
    if (message !== undefined) child.send(message as object);
  });
}

export class Receiver {
  private constructor(
    private readonly child: ChildProcess,
    readonly origin: string,
  ) {}

  static async start(): Promise<Receiver> {
    const child = forkModule('receiver.ts');
    const { port } = await ask<{ port: number }>(child, undefined);
    return new Receiver(child, `http://127.0.0.1:${port}`);
  }

  async command(command: Exclude<ReceiverCommand, { type: 'stats' | 'latencies' }>): Promise<void> {
    await ask(this.child, command);
  }

  stats(): Promise<ReceiverStats> {
    return ask(this.child, { type: 'stats' });
  }

  /** publish→receipt in ms of every delivery received under `group` since the last reset. */
  async latencies(group: string): Promise<number[]> {
    return (await ask<ReceiverLatencies>(this.child, { type: 'latencies', group })).latencies;
  }

  /** Polls until `count` receipts arrived under `group` (or the deadline passes), then answers the stats. */
  async waitFor(
    group: string,
    count: number,
    timeoutMs: number,
    onProgress?: (received: number) => void,
  ): Promise<ReceiverStats> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const stats = await this.stats();
      const received = stats.counts[group] ?? 0;
      onProgress?.(received);
      if (received >= count) return stats;
      if (Date.now() > deadline)
        throw new Error(`only ${received} of ${count} deliveries arrived at ${group} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  stop(): void {
    this.child.kill();
  }
}

export class LoadGenerator {
  private constructor(private readonly child: ChildProcess) {}

  static async start(): Promise<LoadGenerator> {
    const child = forkModule('load.ts');
    await ask(child, undefined);
    return new LoadGenerator(child);
  }

  run(command: LoadCommand): Promise<LoadResult> {
    return ask(this.child, command);
  }

  stop(): void {
    this.child.kill();
  }
}

/** Starts `hookd <args>` on `database` as a user would; resolves once its stdout matches `ready`. */
async function spawnHookd(
  args: string[],
  database: string,
  ready: RegExp,
): Promise<{ child: ChildProcess; match: string }> {
  const child = spawn(
    process.execPath,
    [
      ...HookdProcess.nodeArgs,
      HOOKD_BIN,
      ...args,
      ...HookdProcess.options.hookdArgs,
      '--database',
      database,
      '--allow-network',
      '127.0.0.0/8',
    ],
    {
      // No per-key request limit: the bench measures what one process accepts, with one key (over 5,000 events a
      // second, past the default 1,000). An environment variable, so --hookd-args="--api-rate-limit N" still wins.
      env: { ...process.env, HOOKD_BOOTSTRAP_API_KEY: BENCH_KEY, HOOKD_LOG_LEVEL: 'info', HOOKD_API_RATE_LIMIT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.add(child);
  child.on('exit', () => children.delete(child));
  const match = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const found = ready.exec(output);
      if (found) resolve(found[1] ?? found[0]);
    });
    child.once('exit', (code) =>
      reject(new Error(`hookd ${args[0]} exited (${code}) before it was ready:\n${output}`)),
    );
  });
  child.stdout.resume();
  return { child, match };
}

/** A `hookd worker` (deliveries only) on a database an API process serves. */
export class HookdWorker {
  private constructor(private readonly child: ChildProcess) {}

  static async start(database: string): Promise<HookdWorker> {
    const { child } = await spawnHookd(['worker'], database, /"msg":"hookd worker started"/);
    return new HookdWorker(child);
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** A real `hookd serve` on a fresh database of the bench's store (see databases.ts). */
export class HookdProcess {
  /** Node.js flags for every hookd started (e.g. --cpu-prof). */
  static nodeArgs: string[] = [];
  /** The bench's options that shape every hookd started: which store, and any --hookd-args. */
  static options: Pick<BenchOptions, 'store' | 'postgresUrl' | 'hookdArgs'> = {
    store: 'sqlite',
    postgresUrl: '',
    hookdArgs: [],
  };

  private constructor(
    private readonly child: ChildProcess,
    /** The database it serves; another HookdProcess may start on it after this one stops with keepDatabase. */
    readonly fresh: FreshDatabase,
    readonly base: string,
  ) {}

  /** The database it serves, for worker processes to join. */
  get database(): string {
    return this.fresh.database;
  }

  static async start(extraArgs: string[] = [], existing?: FreshDatabase): Promise<HookdProcess> {
    const fresh = existing ?? (await freshDatabase(HookdProcess.options));
    const { child, match } = await spawnHookd(
      ['serve', '--port', '0', ...extraArgs],
      fresh.database,
      /"url":"(http:\/\/[^"]+)","version"/,
    );
    return new HookdProcess(child, fresh, match);
  }

  async api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.base}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${BENCH_KEY}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  /**
   * CPU time the process has used so far (user + system, all its threads), in ms. Unlike a rate, it hardly moves when
   * other processes compete for the cores: the steadier measure of what a delivery costs on this shared machine.
   */
  cpuMs(): number {
    // Fields 14 and 15 of /proc/PID/stat, in clock ticks of 10 ms (USER_HZ is 100 on Linux); the command name
    // before them may hold spaces, so count from the ')' that closes it.
    const fields = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  }

  /** The most memory the process has held so far (VmHWM), in MB. */
  peakRssMb(): number {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  }

  async stop(options: { keepDatabase?: boolean } = {}): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
    if (!options.keepDatabase) await this.fresh.remove();
  }
}
