// A PostgreSQL cluster of a test's own (initdb into a temp dir, pg_ctl on a free port), for tests that restart the
// server under running hookd processes without disturbing anything else on the machine.
import { execFileSync } from 'node:child_process';
import { chownSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { closedPort } from './receiver.js';
import { tempDir } from './temp-dir.js';

export interface PrivatePostgres {
  url: string;
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

/** PostgreSQL refuses to run as root: as root, its tools run as the postgres user, in a directory it owns. */
function run(command: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  execFileSync(asRoot ? 'runuser' : command, asRoot ? ['-u', 'postgres', '--', command, ...args] : args, {
    stdio: 'pipe',
    timeout: 60_000,
  });
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBin();
  const dir = tempDir('hookd-pg-');
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await closedPort();
  const pgCtl = (...args: string[]) => run(`${bin}/pg_ctl`, ['-D', data, '-l', join(dir, 'server.log'), '-w', ...args]);
  run(`${bin}/initdb`, ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  // fsync off: this cluster lives for one test; a crash of the machine may lose it.
  const start = () => pgCtl('-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start');
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
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
