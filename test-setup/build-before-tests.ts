// Vitest's global setup: brings dist/ up to date with the source before any test runs. The SQLite store's thread is
// started from dist/ (as in production); without this, editing store/sqlite/*.ts and running one test file would
// silently test the previous build. `tsc -b` is incremental: with nothing changed it only compares file stamps
// (about 2 s here), far cheaper than compiling the thread's source in every thread through tsx, which added about
// 0.5 s to each of the few hundred apps the tests start (measured: three API test files took 110 s instead of 57 s).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

export default function buildBeforeTests(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', 'packages/verify', 'packages/client', 'packages/server'], {
    stdio: 'inherit',
  });
}
