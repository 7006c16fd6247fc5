// A PostgreSQL cluster of a test's own (initdb into a temp dir, pg_ctl on a free port), for tests that restart the
// server under running hookd processes without disturbing anything else on the machine.
import { execFileSync } from 'node:child_process';
import { chownSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { closedPort } from './receiver.js';
import { tempDir } from './temp-dir.js';

export interface PrivatePostgres {
  url: string;
  /** The server's log (its stderr): what it said of the errors it met. */
  log(): string;
  /** pg_ctl restart (fast): every connection is cut, the server comes back on the same port. */
  restart(): void;
  /** pg_ctl stop (fast), keeping the data: connections are cut and new ones refused until start(). */
  down(): void;
  start(): void;
  stop(): void;
}

function postgresBin(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql');
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

export interface PrivatePostgresOptions {
  /**
   * Where the cluster's files go (a folder initdb makes; its parent must be writable by the postgres user). Default: in
   * a temp folder of its own, with the log.
   */
  dataDir?: string;
  /** A command prefix its tools run under: nsenter, to run the server in a mount namespace of its own. */
  launcher?: string[];
}

/** The postgres user's uid and gid: PostgreSQL refuses to run as root. */
export function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** As root, PostgreSQL's tools run as the postgres user, in a directory it owns. */
function run(launcher: string[], command: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const [file, ...rest] = [...launcher, ...(asRoot ? ['runuser', '-u', 'postgres', '--'] : []), command, ...args] as [
    string,
    ...string[],
  ];
  execFileSync(file, rest, { stdio: 'pipe', timeout: 60_000 });
}

export async function startPrivatePostgres(options: PrivatePostgresOptions = {}): Promise<PrivatePostgres> {
  const bin = postgresBin();
  const dir = tempDir('hookd-pg-');
  if (process.getuid?.() === 0) {
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
  }
  const data = options.dataDir ?? join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const port = await closedPort();
  const launcher = options.launcher ?? [];
  const pgCtl = (...args: string[]) => run(launcher, `${bin}/pg_ctl`, ['-D', data, '-l', logFile, '-w', ...args]);
  run(launcher, `${bin}/initdb`, ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  // fsync off: this cluster lives for one test; a crash of the machine may lose it.
  const start = () => pgCtl('-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start');
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    log: () => readFileSync(logFile, 'utf8'),
    restart: () => pgCtl('-m', 'fast', 'restart'),
    down: () => pgCtl('-m', 'fast', 'stop'),
    start,
    stop: () => {
      try {
        pgCtl('-m', 'immediate', 'stop');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
