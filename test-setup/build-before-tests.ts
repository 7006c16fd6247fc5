// Vitest's global setup: brings dist/ up to date with the source before any test runs. The SQLite store's thread is
// started from dist/ (as in production); without this, editing store/sqlite/*.ts and running one test file would
// silently test the previous build. `tsc -b` is incremental: with nothing changed it only compares file stamps
// (about 2 s here), far cheaper than compiling the thread's source in every thread through tsx, which added about
// 0.5 s to each of the few hundred apps the tests start (measured: three API test files took 110 s instead of 57 s).
//
// The browser tests serve packages/dashboard/dist, so the dashboard's bundle is rebuilt too when any of its sources
// is newer than the last build; with nothing changed that is a walk of a few dozen file stamps.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'vite';

const DASHBOARD = 'packages/dashboard';
// What the bundle is built from. Its unit tests (*.test.ts) are left out: the bundle never includes them.
const DASHBOARD_INPUTS = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'];

/** The newest modification time under `path` (a directory's own time counts: it changes when a file is removed). */
function newestChange(path: string): number {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return /\.test\.tsx?$/.test(path) ? 0 : stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestChange(join(path, name))), stat.mtimeMs);
}

/** When dist/index.html was written (Vite writes it once the bundle it names is out), or 0 with no build there. */
function lastDashboardBuild(): number {
  try {
    return statSync(join(DASHBOARD, 'dist', 'index.html')).mtimeMs;
  } catch {
    return 0;
  }
}

export default async function buildBeforeTests(): Promise<void> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', 'packages/verify', 'packages/client', 'packages/server'], {
    stdio: 'inherit',
  });
  const changed = Math.max(...DASHBOARD_INPUTS.map((input) => newestChange(join(DASHBOARD, input))));
  // Vite alone (about 1 s), with the dashboard's vite.config.ts: its type check belongs to `npm run build`.
  if (changed > lastDashboardBuild()) await build({ root: DASHBOARD, logLevel: 'warn' });
}
