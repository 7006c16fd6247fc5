// A real `hookd serve` whose SQLite file sits on a disk that fills up and is freed again: a small tmpfs, mounted in a
// mount namespace of its own (so the machine's mounts are left alone), filled by a file the test writes.
import { unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { apiCaller, deliveredEventIds, expectFullDiskRefusedThenRecovered } from './support/full-disk-scenario.js';
import { Hookd, killAllHookd } from './support/hookd-process.js';
import { startHoldingReceiver, type HoldingReceiver } from './support/holding-receiver.js';
import { fillDisk, mountPrivateDisk } from './support/private-disk.js';
import { eventually } from './support/eventually.js';

const KEY = 'hk_full_disk_test_key_0123456789abcdef';
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await killAllHookd();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A holding receiver (see holding-receiver.ts), closed after the test. */
async function holdingReceiver(): Promise<HoldingReceiver> {
  const receiver = await startHoldingReceiver();
  cleanups.push(() => receiver.close());
  return receiver;
}

/** A private disk (see private-disk.ts) on which hookd runs, through `launcher`, with its database file. */
async function privateDisk(size: string) {
  const disk = await mountPrivateDisk(size);
  cleanups.push(async () => disk.release());
  return { ...disk, database: join(disk.mount, 'hookd.db') };
}

describe('hookd serve on a disk that fills up', { timeout: 120_000 }, () => {
  it('answers 503 with Retry-After and is not ready while the disk is full, then takes events again by itself, and delivers every one it accepted', async () => {
    const receiver = await holdingReceiver();
    const disk = await privateDisk('8m');
    await expectFullDiskRefusedThenRecovered({ hookd: serve(disk), key: KEY, receiver, disk, recordsFail: true });
  });

  it('starts again on a full disk after a kill left deliveries in flight, and sends them once space is freed', async () => {
    const receiver = await holdingReceiver();
    const disk = await privateDisk('8m');
    // Leases that outlast the restart: until they run out, no claim of the second process writes (and fails) either.
    const first = serve(disk, '10s');
    const firstCall = apiCaller((await first.waitForLog('hookd listening')).url as string, KEY);
    const webhook = (await (
      await firstCall('POST', '/api/v1/webhooks', { url: receiver.url, events: ['disk.*'] })
    ).json()) as { id: string };
    const accepted: string[] = [];
    for (let n = 0; n < 3; n++)
      accepted.push(
        (
          (await (await firstCall('POST', '/api/v1/events', { type: 'disk.filled', data: { n } })).json()) as {
            id: string;
          }
        ).id,
      );
    await eventually(() => expect(receiver.held()).toBe(3));
    await first.kill();
    fillDisk(disk.path('filler'));

    // Taking back the killed process's leases is a write the disk refuses: hookd starts all the same, not ready.
    const second = serve(disk, '10s');
    const url = (await second.waitForLog('hookd listening')).url as string;
    const call = apiCaller(url, KEY);
    await second.waitForLog(
      'could not take back the deliveries a previous process had in flight; each is due again when its lease runs out',
    );
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    expect((await call('POST', '/api/v1/events', { type: 'disk.filled', data: {} })).status).toBe(503);

    unlinkSync(disk.path('filler'));
    receiver.release();
    await eventually(async () => expect((await fetch(`${url}/readyz`)).status).toBe(200), 15_000);
    await eventually(
      async () => expect(await deliveredEventIds(call, webhook.id)).toEqual([...accepted].sort()),
      30_000,
    );
    expect(second.exit).toBeUndefined();
    expect(second.stderr).toBe('');
  });
});

/** `hookd serve` on the private disk, delivering to 127.0.0.1, with leases short enough to run out within a test. */
function serve(disk: Awaited<ReturnType<typeof privateDisk>>, lease = '2s'): Hookd {
  return new Hookd(
    ['serve', '--port', '0', '--database', disk.database, '--allow-network', '127.0.0.0/8', '--lease', lease],
    {
      cwd: tmpdir(),
      env: { HOOKD_BOOTSTRAP_API_KEY: KEY },
      launcher: disk.launcher,
    },
  );
}
