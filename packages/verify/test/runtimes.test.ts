// @hookd/verify is for Bun and Deno receivers too: the built package, run by each, gives the same answers as on Node.
// Bun and Deno weigh 195 MB, so they are not dev dependencies: `npm run install:runtimes` adds them (.ci/run does).
// Where they are absent, CI (CI or HOOKD_REQUIRE_RUNTIMES set) fails; a developer's run reports the test as skipped,
// its name saying why and how to install, plus a warning on stderr: never a silent pass.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const CHECK = fileURLToPath(new URL('./support/runtime-check.mjs', import.meta.url));
const BIN = fileURLToPath(new URL('../../../node_modules/.bin/', import.meta.url));
// Deno keeps a cache: in a temp dir, and with no update check (this machine reaches no server but the registry).
const denoDir = mkdtempSync(join(tmpdir(), 'hookd-deno-'));
afterAll(() => rmSync(denoDir, { recursive: true, force: true }));

const RUNTIMES = {
  bun: [join(BIN, 'bun'), ['run', CHECK]],
  deno: [join(BIN, 'deno'), ['run', '--allow-read', '--no-prompt', '--no-config', CHECK]],
} as const;

const required = Boolean(process.env.CI || process.env.HOOKD_REQUIRE_RUNTIMES);
const INSTALL = 'npm run install:runtimes';

describe.each(Object.keys(RUNTIMES) as (keyof typeof RUNTIMES)[])('@hookd/verify on %s', (runtime) => {
  const installed = existsSync(RUNTIMES[runtime][0]);
  if (!installed && required) {
    it(`${runtime} is installed (CI runs @hookd/verify on it)`, () => {
      expect.fail(`${runtime} is not in node_modules/.bin: \`${INSTALL}\` installs Bun and Deno (.ci/run does)`);
    });
    return;
  }
  if (!installed) {
    console.warn(
      `\n*** @hookd/verify was NOT tested on ${runtime}: it is not installed. \`${INSTALL}\` adds it. ***\n`,
    );
    it.skip(`NOT RUN: ${runtime} is not installed (\`${INSTALL}\` adds Bun and Deno; CI requires them)`, () => {});
    return;
  }
  it('verifies the vector and every scheme, and refuses a wrong signature, a stale or tampered message and a replay', () => {
    const [command, args] = RUNTIMES[runtime];
    const output = execFileSync(command, [...args], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
    });
    const found = JSON.parse(output.trim().split('\n').at(-1)!);
    const event = { id: 'evt_1', type: 'design.exported', data: { name: 'héllo ✓' } };
    expect(found).toEqual({
      vector: { test: 2432232314 },
      wrongSignature: 'bad_signature',
      stale: 'timestamp_out_of_tolerance',
      missing: 'missing_header',
      replayed: 'replayed',
      schemes: {
        standard: { signed: event, tampered: 'bad_signature' },
        'timestamp-nonce': { signed: event, tampered: 'bad_signature' },
        body: { signed: event, tampered: 'bad_signature' },
      },
    });
  });
});
