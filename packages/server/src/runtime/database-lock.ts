// One delivering process per SQLite file: a second would take back the first one's leases at start-up and both
// would send the same deliveries. A lock file holding the owner's pid keeps the second one out.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { ConfigError } from '../config/load-config.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

function ownerOf(lockFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function removeStaleLock(lockFile: string, owner: number | undefined): void {
  try {
    unlinkSync(lockFile);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') return; // another process starting took it over first; the next openSync tells
    const leftBy = owner === undefined ? 'a process that is gone' : `pid ${owner}, which is gone`;
    throw new ConfigError(
      `--database: cannot remove the stale lock file ${lockFile} left by ${leftBy} (${code ?? (error as Error).message}); remove it by hand, or let hookd write in its folder`,
    );
  }
}

/** Takes the lock for `databaseFile` or throws a ConfigError naming the process that holds it; returns the release. */
export function lockDatabaseFile(databaseFile: string): () => void {
  const lockFile = `${databaseFile}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        if (ownerOf(lockFile) === process.pid) unlinkSync(lockFile);
      };
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST')
        throw new ConfigError(`--database: cannot create ${lockFile}: ${(error as Error).message}`);
      const owner = ownerOf(lockFile);
      if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
        throw new ConfigError(
          `--database: another hookd process (pid ${owner}) delivers from ${databaseFile}; SQLite serves one such process (use PostgreSQL to run several)`,
        );
      }
      // Left behind by a process that died without cleaning up: take it over.
      removeStaleLock(lockFile, owner);
    }
  }
  throw new ConfigError(`--database: could not take ${lockFile}`);
}
