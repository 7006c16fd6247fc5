// A real `hookd serve` whose SQLite file sits on a disk that fills up and is freed again: a small tmpfs, mounted in a
// mount namespace of its own (so the machine's mounts are left alone), filled by a file the test writes.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.js';
import { Hookd, jsonLines, killAllHookd } from './support/hookd-process.js';
import { httpCall } from './support/http-call.js';
import { startReceiver } from './support/receiver.js';
import { tempDir } from './support/temp-dir.js';

const KEY = 'hk_full_disk_test_key_0123456789abcdef';
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await killAllHookd();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A receiver that answers 200 to every delivery, but holds its answers until `release()` (and after it, at once). */
async function startHoldingReceiver() {
  let holding = true;
  const waiting: (() => void)[] = [];
  const receiver = await startReceiver(async () => {
    if (holding) await new Promise<void>((resolve) => waiting.push(resolve));
    return { status: 200, body: 'ok' };
  });
  const release = () => {
    holding = false;
    for (const answer of waiting.splice(0)) answer();
  };
  cleanups.push(async () => {
    release();
    await receiver.close();
  });
  return {
    url: receiver.url,
    /** The event id of every delivery received, repeats included. */
    eventIds: () => receiver.requests.map((request) => (request.json as { id: string }).id),
    held: () => waiting.length,
    release,
  };
}

/**
 * A tmpfs of `size` mounted over an empty folder in a new mount namespace, held by a sleeping process: hookd runs in
 * it through `launcher` (and runs again there after a kill), and the test reaches its files through `path`.
 */
async function privateDisk(size: string) {
  const mount = tempDir('hookd-full-disk-');
  const holder = spawn(
    'unshare',
    ['-m', 'sh', '-c', `mount -t tmpfs -o size=${size} tmpfs "$0" && exec sleep 3600`, mount],
    { stdio: 'ignore' },
  );
  cleanups.push(async () => {
    holder.kill('SIGKILL');
  });
  await eventually(() => expect(readFileSync(`/proc/${holder.pid}/mounts`, 'utf8')).toContain(` ${mount} tmpfs `));
  return {
    database: join(mount, 'hookd.db'),
    launcher: ['nsenter', '-t', String(holder.pid), '-m', '--'],
    /** A file on the tmpfs, as seen from outside its namespace. */
    path: (name: string) => `/proc/${holder.pid}/root${mount}/${name}`,
  };
}

/** Writes `file` until the disk refuses another byte. */
function fill(file: string): void {
  const fd = openSync(file, 'w');
  try {
    for (const chunk of [1024 * 1024, 4096, 1]) {
      const bytes = Buffer.alloc(chunk, 0x5a);
      for (;;) {
        try {
          if (writeSync(fd, bytes) < chunk) break;
        } catch (error) {
          if ((error as { code?: string }).code === 'ENOSPC') break;
          throw error;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

describe('hookd serve on a disk that fills up', { timeout: 120_000 }, () => {
  it('answers 503 with Retry-After and is not ready while the disk is full, then takes events again by itself, and delivers every one it accepted', async () => {
    const receiver = await startHoldingReceiver();
    const disk = await privateDisk('8m');
    const filler = disk.path('filler');
    const child = serve(disk);
    const url = await child.listening();
    const call = caller(url);
    const webhook = (await call('POST', '/api/v1/webhooks', { url: receiver.url, events: ['disk.*'] })).body as {
      id: string;
    };

    const accepted: string[] = [];
    let published = 0;
    const publish = async () => {
      const response = await call('POST', '/api/v1/events', { type: 'disk.filled', data: { n: published++ } });
      const body = response.body as { id?: string; error?: { code: string } };
      if (response.status === 202) accepted.push(body.id!);
      return { response, body };
    };

    // Deliveries in flight when the disk fills: their endpoint answers only once it is full, so their records fail.
    for (let i = 0; i < 5; i++) expect((await publish()).response.status).toBe(202);
    await eventually(() => expect(receiver.held()).toBe(5));
    fill(filler);
    // SQLite may go on writing into room its WAL file already has, so the first publishes after the disk filled could
    // still be stored: publish until the disk refuses one.
    let refused: Awaited<ReturnType<typeof publish>> | undefined;
    while (!refused && published < 5_000) {
      const answer = await publish();
      if (answer.response.status !== 202) refused = answer;
    }
    expect(refused?.response.status, 'a publish on the full disk').toBe(503);
    expect(refused!.response.headers.get('retry-after')).toBe('1');
    expect(refused!.body.error).toMatchObject({ code: 'HOOKD_ERR_UNAVAILABLE', message: expect.any(String) });
    const ready = await httpCall(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'unavailable' });
    receiver.release();
    await child.waitForLog('recording the attempt failed; the delivery is due again when its lease runs out');
    // Still full: still refused, and still not ready.
    expect((await publish()).response.status).toBe(503);
    expect((await httpCall(`${url}/readyz`)).status).toBe(503);

    unlinkSync(filler);
    // Ready again with no publish to show it: /readyz tries a write of its own.
    await eventually(async () => expect((await httpCall(`${url}/readyz`)).status).toBe(200), 15_000);
    for (let i = 0; i < 5; i++) expect((await publish()).response.status).toBe(202);

    // Every event answered 202 was stored: it can be read back, and its delivery ends delivered (those whose first
    // record was lost were sent again once their lease ran out).
    for (const id of accepted) expect((await call('GET', `/api/v1/events/${id}`)).status).toBe(200);
    await eventually(async () => {
      const log = (await call('GET', `/api/v1/webhooks/${webhook.id}/deliveries?limit=100`)).body as {
        data: { eventId: string; status: string }[];
      };
      expect(
        log.data
          .filter((delivery) => delivery.status === 'success')
          .map((delivery) => delivery.eventId)
          .sort(),
      ).toEqual([...accepted].sort());
    }, 30_000);
    expect(accepted.filter((id) => !receiver.eventIds().includes(id))).toEqual([]);
    expect(child.exit).toBeUndefined();
    expect(child.stderr).toBe('');
    expect(jsonLines(child.stdout).filter((line) => line.level === 60)).toEqual([]);
  });

  it('starts again on a full disk after a kill left deliveries in flight, and sends them once space is freed', async () => {
    const receiver = await startHoldingReceiver();
    const disk = await privateDisk('8m');
    // Leases that outlast the restart: until they run out, no claim of the second process writes (and fails) either.
    const first = serve(disk, '10s');
    const firstCall = caller(await first.listening());
    const webhook = (await firstCall('POST', '/api/v1/webhooks', { url: receiver.url, events: ['disk.*'] })).body as {
      id: string;
    };
    const accepted: string[] = [];
    for (let n = 0; n < 3; n++)
      accepted.push(
        (
          (await firstCall('POST', '/api/v1/events', { type: 'disk.filled', data: { n } })).body as {
            id: string;
          }
        ).id,
      );
    await eventually(() => expect(receiver.held()).toBe(3));
    await first.kill();
    fill(disk.path('filler'));

    // Taking back the killed process's leases is a write the disk refuses: hookd starts all the same, not ready.
    const second = serve(disk, '10s');
    const url = await second.listening();
    const call = caller(url);
    await second.waitForLog(
      'could not take back the deliveries a previous process had in flight; each is due again when its lease runs out',
    );
    expect((await httpCall(`${url}/readyz`)).status).toBe(503);
    expect((await call('POST', '/api/v1/events', { type: 'disk.filled', data: {} })).status).toBe(503);

    unlinkSync(disk.path('filler'));
    receiver.release();
    await eventually(async () => expect((await httpCall(`${url}/readyz`)).status).toBe(200), 15_000);
    await eventually(async () => {
      const log = (await call('GET', `/api/v1/webhooks/${webhook.id}/deliveries?limit=100`)).body as {
        data: { eventId: string; status: string }[];
      };
      expect(
        log.data
          .filter((delivery) => delivery.status === 'success')
          .map((delivery) => delivery.eventId)
          .sort(),
      ).toEqual([...accepted].sort());
    }, 30_000);
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

/** Calls the API at `url` with the admin key. */
function caller(url: string) {
  return (method: string, path: string, body?: unknown) =>
    httpCall(`${url}${path}`, { method, key: KEY, ...(body === undefined ? {} : { body }) });
}
