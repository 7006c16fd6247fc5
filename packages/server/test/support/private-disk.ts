// A disk that a test can fill and free: a small tmpfs, mounted in a mount namespace of its own (so the machine's
// mounts are left alone), held by a sleeping process; and the writes that fill it.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { eventually } from './eventually.js';

export interface PrivateDisk {
  /** The folder the tmpfs is mounted on, as seen from inside the namespace (an empty folder from outside). */
  mount: string;
  /** A command prefix that runs a program inside the namespace, where the tmpfs is seen (for Hookd's `launcher`). */
  launcher: string[];
  /** A file on the tmpfs, as seen from outside its namespace. */
  path(name: string): string;
  /** Ends the namespace (the tmpfs goes with its last process) and removes the folder. */
  release(): void;
}

/**
 * A tmpfs of `size` (`8m`) mounted over a new, empty folder in a new mount namespace; `options` are more tmpfs mount
 * options (`uid=…,gid=…` to give it to another user).
 */
export async function mountPrivateDisk(size: string, options = ''): Promise<PrivateDisk> {
  const mount = mkdtempSync(join(tmpdir(), 'hookd-private-disk-'));
  const mountOptions = [`size=${size}`, ...(options ? [options] : [])].join(',');
  const holder = spawn(
    'unshare',
    ['-m', 'sh', '-c', `mount -t tmpfs -o ${mountOptions} tmpfs "$0" && exec sleep 3600`, mount],
    { stdio: 'ignore' },
  );
  const release = () => {
    holder.kill('SIGKILL');
    rmSync(mount, { recursive: true, force: true });
  };
  try {
    await eventually(() => expect(readFileSync(`/proc/${holder.pid}/mounts`, 'utf8')).toContain(` ${mount} tmpfs `));
  } catch (error) {
    release();
    throw error;
  }
  return {
    mount,
    launcher: ['nsenter', '-t', String(holder.pid), '-m', '--'],
    path: (name) => `/proc/${holder.pid}/root${mount}/${name}`,
    release,
  };
}

/** Writes `file` until the disk refuses another byte. */
export function fillDisk(file: string): void {
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
