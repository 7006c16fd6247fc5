// The `hookd` command on a postgres:// URL: migrate applies the PostgreSQL migrations once without showing the
// password, an unreachable server stops start-up with one line naming --database, and a worker stops cleanly.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Hookd, killAllHookd } from './support/hookd-process.js';
import { createTestDatabase, selectedEngines, type TestDatabase } from './support/test-database.js';

let database: TestDatabase | undefined;
let cwd: string;
afterEach(async () => {
  await killAllHookd();
  await database?.drop();
  database = undefined;
  rmSync(cwd, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  cwd = mkdtempSync(join(tmpdir(), 'hookd-pgcli-'));
  const child = new Hookd(args, { cwd });
  const { code } = await child.waitForExit();
  return { code, stdout: child.stdout, stderr: child.stderr };
}

describe.runIf(selectedEngines().includes('postgres'))('hookd on a postgres:// URL', () => {
  it('migrates once, never printing the password', async () => {
    database = await createTestDatabase();
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
    cwd = mkdtempSync(join(tmpdir(), 'hookd-pgcli-'));
    const worker = new Hookd(['worker', '--database', database.url], { cwd });
    await worker.waitForLog('hookd worker started');
    worker.signal('SIGTERM');
    expect(await worker.waitForExit()).toEqual({ code: 0, signal: null });
  });
});
