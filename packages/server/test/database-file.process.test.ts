// `hookd serve` given a SQLite file it cannot use (empty, corrupt, not SQLite, a newer hookd's, in a folder it cannot
// write, a stale lock it cannot remove): one line on stderr naming the file and the problem, exit code 2, no stack.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Hookd, killAllHookd, stderrLines, stopCleanly, type HookdOptions } from './support/hookd-process.js';
import { httpCall } from './support/http-call.js';
import { tempDir as makeTempDir } from './support/temp-dir.js';

const KEY = 'hk_database_file_test_key_0123456789ab';
/** The tests run as root, to whom every folder is writable; these run hookd as nobody instead. */
const NOBODY = { uid: 65534, gid: 65534 };

afterEach(killAllHookd);

const tempDir = () => makeTempDir('hookd-file-');

/** Starts `hookd serve` on `database` and expects it to refuse: exit 2, one line on stderr, no stack; returns the line. */
async function refusedStart(database: string, options: Partial<HookdOptions> = {}): Promise<string> {
  const child = new Hookd(['serve', '--port', '0', '--database', database], { cwd: tempDir(), ...options });
  // Fail fast (not at the timeout) if it starts serving instead of refusing.
  await child.exitOrListening();
  expect(child.exit?.code, `stdout: ${child.stdout}\nstderr: ${child.stderr}`).toBe(2);
  const lines = stderrLines(child.stderr);
  expect(lines, child.stderr).toHaveLength(1);
  expect(child.stderr).not.toMatch(/^\s+at /m);
  expect(lines[0]).toContain(database);
  return lines[0]!;
}

/** Runs `hookd serve` on `database` until it listens, publishes `events` events, and stops it cleanly. */
async function serveAndPublish(database: string, events: number, options: Partial<HookdOptions> = {}): Promise<void> {
  const child = new Hookd(['serve', '--port', '0', '--database', database], {
    cwd: tempDir(),
    env: { HOOKD_BOOTSTRAP_API_KEY: KEY },
    ...options,
  });
  const url = await child.listening();
  for (let n = 0; n < events; n++) {
    const response = await httpCall(`${url}/api/v1/events`, {
      key: KEY,
      body: { type: 'file.filled', data: { n, text: 'x'.repeat(200) } },
    });
    expect(response.status).toBe(202);
  }
  await stopCleanly(child);
}

/** A pid no process has now: one that just ended. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid;
}

describe('hookd serve refuses a database file it cannot use', { timeout: 60_000 }, () => {
  it('an empty (0-byte) file: refused, not made a new database, and left as it was', async () => {
    const database = join(tempDir(), 'hookd.db');
    writeFileSync(database, '');
    expect(await refusedStart(database)).toMatch(/empty \(0 bytes\)/);
    expect(statSync(database).size).toBe(0);
  });

  it('a file with corrupt pages', async () => {
    const database = join(tempDir(), 'hookd.db');
    await serveAndPublish(database, 300);
    // Overwrite a page of the event log, as a failing disk or a bad copy would: a leaf of the events table from the
    // middle of it (a page picked by its place in the file could be a free page, or one SQLite reads while opening,
    // and be reported otherwise, as it was once the schema grew).
    const pageSize = readFileSync(database).subarray(0, 100).readUInt16BE(16);
    const inspect = new Database(database, { readonly: true });
    const leaves = inspect
      .prepare("SELECT pageno FROM dbstat WHERE name = 'events' AND pagetype = 'leaf' ORDER BY pageno")
      .all() as { pageno: number }[];
    inspect.close();
    const page = leaves[Math.floor(leaves.length / 2)]!.pageno;
    const fd = openSync(database, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (page - 1) * pageSize);
    closeSync(fd);
    expect(await refusedStart(database)).toMatch(new RegExp(`corrupt \\(PRAGMA quick_check: .*page ${page}\\b`));
  });

  it('a file that is not SQLite at all', async () => {
    const database = join(tempDir(), 'hookd.db');
    writeFileSync(database, Buffer.alloc(64 * 1024, 'not a database, just bytes '));
    expect(await refusedStart(database)).toMatch(/not a SQLite database/);
  });

  it('a directory', async () => {
    const database = join(tempDir(), 'hookd.db');
    mkdirSync(database);
    expect(await refusedStart(database)).toMatch(/is a directory/);
  });

  it('a path through a file where its folder should be', async () => {
    const file = join(tempDir(), 'data');
    writeFileSync(file, 'a file, not a folder');
    expect(await refusedStart(join(file, 'hookd.db'))).toMatch(/folder .* cannot be made: a file is in the way/);
  });

  it('a database a newer hookd has migrated', async () => {
    const database = join(tempDir(), 'hookd.db');
    await serveAndPublish(database, 1);
    const db = new Database(database);
    db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run(
      '999_from_a_newer_hookd.sql',
      Date.now(),
    );
    db.close();
    expect(await refusedStart(database)).toMatch(/migrations this hookd does not know \(999_from_a_newer_hookd\.sql\)/);
  });

  it('a folder it may not write in', async () => {
    const folder = tempDir();
    chownSync(folder, NOBODY.uid, NOBODY.gid);
    chmodSync(folder, 0o555);
    expect(await refusedStart(join(folder, 'hookd.db'), { user: NOBODY })).toMatch(/folder .* is not writable/);
  });

  it('a stale lock file (and the rest of a killed process) in a folder made read-only since', async () => {
    const folder = tempDir();
    chownSync(folder, NOBODY.uid, NOBODY.gid);
    const database = join(folder, 'hookd.db');
    const killed = new Hookd(['serve', '--port', '0', '--database', database], { cwd: folder, user: NOBODY });
    await killed.listening();
    await killed.kill();
    chmodSync(folder, 0o555);
    expect(await refusedStart(database, { user: NOBODY })).toMatch(/not writable/);
  });

  it("a stale lock file it may not remove (another user's, in a shared folder)", async () => {
    // A folder like /tmp: anyone may write in it, but only a file's owner may remove it.
    const folder = tempDir();
    chmodSync(folder, 0o1777);
    const database = join(folder, 'hookd.db');
    await serveAndPublish(database, 1, { user: NOBODY });
    writeFileSync(`${database}.lock`, String(deadPid()));
    expect(await refusedStart(database, { user: NOBODY })).toMatch(
      /cannot remove the stale lock file .*hookd\.db\.lock/,
    );
  });
});
