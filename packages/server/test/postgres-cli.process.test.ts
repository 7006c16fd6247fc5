// The `hookd` command on a postgres:// URL: migrate applies the PostgreSQL migrations once without showing the
// password, an unreachable server stops start-up with one line naming --database, and a worker stops cleanly.
import { afterEach, describe, expect, it } from 'vitest';
import { Hookd, killAllHookd, runHookd, stopCleanly, type Ran } from './support/hookd-process.js';
import { tempDir } from './support/temp-dir.js';
import { createTestDatabase, selectedEngines, type TestDatabase } from './support/test-database.js';

let database: TestDatabase | undefined;
afterEach(async () => {
  await killAllHookd();
  await database?.drop();
  database = undefined;
});

const run = (args: string[]): Promise<Ran> => runHookd(args, { cwd: tempDir('hookd-pgcli-') });

describe.runIf(selectedEngines().includes('postgres'))('hookd on a postgres:// URL', () => {
  it('migrates once, never printing the password', async () => {
    database = await createTestDatabase({ empty: true });
    const url = new URL(database.url);
    url.password = 'hunter2-secret';
    const first = await run(['migrate', '--database', url.toString()]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('applied 001_initial.sql');
    expect(first.stdout).toContain('***');
    expect(first.stdout + first.stderr).not.toContain('hunter2-secret');
    const second = await run(['migrate', '--database', url.toString()]);
    expect(second.stdout).not.toContain('applied');
  });

  it('refuses to start when PostgreSQL cannot be reached, naming --database', async () => {
    const result = await run([
      'serve',
      '--port',
      '0',
      '--database',
      'postgres://postgres:hunter2-secret@127.0.0.1:1/hookd',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--database: cannot reach PostgreSQL at postgres://postgres:***@127.0.0.1:1/hookd');
    expect(result.stderr).not.toContain('hunter2-secret');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('runs a worker that stops cleanly on SIGTERM', async () => {
    database = await createTestDatabase();
    const worker = new Hookd(['worker', '--database', database.url], { cwd: tempDir('hookd-pgcli-') });
    await worker.waitForLog('hookd worker started');
    await stopCleanly(worker);
  });
});
