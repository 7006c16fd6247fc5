// A real `hookd serve` on a PostgreSQL whose disk fills up and is freed again: a cluster of the test's own whose data
// directory (pg_wal included) is a small tmpfs, mounted in a mount namespace of its own, filled by a file the test
// writes. What the user sees must be what SQLite's test (full-disk.process.test.ts) shows.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectFullDiskRefusedThenRecovered } from './support/full-disk-scenario.js';
import { Hookd, killAllHookd } from './support/hookd-process.js';
import { startHoldingReceiver } from './support/holding-receiver.js';
import { mountPrivateDisk } from './support/private-disk.js';
import { postgresUser, startPrivatePostgres } from './support/private-postgres.js';
import { selectedEngines } from './support/test-database.js';

const KEY = 'hk_full_disk_pg_test_key_0123456789abcdef';
/** Cleanups of the running test, run last to first: the cluster stops before its disk goes. */
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  await killAllHookd();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.runIf(selectedEngines().includes('postgres'))('hookd serve on a PostgreSQL whose disk fills up', () => {
  it('answers 503 with Retry-After and is not ready while the disk is full, then takes events again by itself, and delivers every one it accepted', async () => {
    const receiver = await startHoldingReceiver();
    cleanups.push(() => receiver.close());
    // A fresh cluster takes 39 MB (PostgreSQL 15, most of it the first 16 MB WAL segment).
    const { uid, gid } = postgresUser();
    const disk = await mountPrivateDisk('64m', `uid=${uid},gid=${gid},mode=0700`);
    cleanups.push(() => disk.release());
    const cluster = await startPrivatePostgres({ dataDir: join(disk.mount, 'data'), launcher: disk.launcher });
    cleanups.push(() => cluster.stop());
    const hookd = new Hookd(
      ['serve', '--port', '0', '--database', cluster.url, '--allow-network', '127.0.0.0/8', '--lease', '2s'],
      { cwd: tmpdir(), env: { HOOKD_BOOTSTRAP_API_KEY: KEY } },
    );

    await expectFullDiskRefusedThenRecovered({ hookd, key: KEY, receiver, disk, recordsFail: false });
    // The disk was full for PostgreSQL itself (not some other failure), and it refused the writes without going down.
    expect(cluster.log()).toMatch(/could not extend file .*: No space left on device/);
    expect(cluster.log()).not.toMatch(/PANIC|terminated by signal/);
  }, 120_000);
});
