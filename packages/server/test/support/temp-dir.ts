// The one way tests make a temporary folder: under the OS temp dir, removed after the test file's last test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

// Registered when a test file first imports this module (vitest evaluates it afresh for each file), so no test file
// has to remember the cleanup.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder `<tmp>/<prefix>XXXXXX`; the prefix names the test in a listing of /tmp. */
export function tempDir(prefix = 'hookd-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
