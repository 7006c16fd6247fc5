// The `hookd` command refusing what it cannot do: --help, bad flags and variables, a port or a database file in use.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { helpBlock, PRODUCT_SETTINGS } from './support/help-text.js';
import { Hookd, killAllHookd, runHookd, serve, stderrLines, stopCleanly } from './support/hookd-process.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { tempDir } from './support/temp-dir.js';

const servers: Receiver[] = [];
afterEach(async () => {
  await killAllHookd();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('hookd --help', { timeout: 30_000 }, () => {
  it.each([[['--help']], [['serve', '--help']], [['help']]])(
    '%j lists every flag with its env var and default, and exits 0',
    async (args) => {
      const cwd = tempDir('hookd-cli-');
      const { code, stdout, stderr } = await runHookd(args, { cwd });
      expect(code).toBe(0);
      expect(stderr).toBe('');
      for (const [flag, env, defaultText] of PRODUCT_SETTINGS) {
        const text = helpBlock(stdout, flag);
        expect(text, flag).toContain(env);
        expect(text, flag).toMatch(/default/i);
        expect(text, flag).toContain(defaultText);
      }
      expect(stdout).toContain('--no-worker');
      expect(stdout).toContain('--no-api');
      for (const command of ['serve', 'migrate', 'keys create', 'listen']) expect(stdout).toContain(command);
      // Asking for help starts nothing and creates nothing.
      expect(existsSync(join(cwd, 'data'))).toBe(false);
    },
  );
});

describe('bad configuration', { timeout: 30_000 }, () => {
  it.each([
    ['--port abc', ['serve', '--port', 'abc'], {}, '--port'],
    ['HOOKD_PORT=99999', ['serve'], { HOOKD_PORT: '99999' }, 'HOOKD_PORT'],
    ['--allow-network nonsense', ['serve', '--port', '0', '--allow-network', 'nonsense'], {}, '--allow-network'],
    [
      'HOOKD_ALLOW_NETWORKS=nonsense',
      ['serve', '--port', '0'],
      { HOOKD_ALLOW_NETWORKS: 'nonsense' },
      'HOOKD_ALLOW_NETWORKS',
    ],
    ['--role nope', ['serve', '--port', '0', '--role', 'nope'], {}, '--role'],
    ['--no-worker --no-api', ['serve', '--port', '0', '--no-worker', '--no-api'], {}, '--no-api'],
    ['an unknown flag', ['serve', '--port', '0', '--bogus-flag'], {}, '--bogus-flag'],
    ['an unknown command', ['frobnicate'], {}, 'frobnicate'],
    ['a stray argument to serve', ['serve', '--port', '0', 'stray-argument'], {}, 'stray-argument'],
  ] as const)('%s: exits 2 with one line on stderr naming it', async (_label, args, env, name) => {
    const cwd = tempDir('hookd-cli-');
    const child = new Hookd([...args, '--database', join(cwd, 'h.db')], { cwd, env });
    // Fail fast (not at the timeout) if it starts serving instead of refusing.
    await child.exitOrListening();
    expect(child.exit?.code, `stdout: ${child.stdout}\nstderr: ${child.stderr}`).toBe(2);
    const lines = stderrLines(child.stderr);
    expect(lines, child.stderr).toHaveLength(1);
    expect(lines[0]).toContain(name);
    expect(child.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it.each([
    ['--bootstrap-key', ['--bootstrap-key', 'hps_0123456789abcdefghij'], {}],
    ['HOOKD_BOOTSTRAP_API_KEY', [], { HOOKD_BOOTSTRAP_API_KEY: 'hps_0123456789abcdefghij' }],
  ] as const)(
    'a bootstrap key starting hps_ (a portal token to the API) exits 2 naming %s and the prefix',
    async (name, args, env) => {
      const cwd = tempDir('hookd-cli-');
      const child = new Hookd(['serve', '--port', '0', ...args, '--database', join(cwd, 'h.db')], { cwd, env });
      await child.exitOrListening();
      expect(child.exit?.code, `stdout: ${child.stdout}\nstderr: ${child.stderr}`).toBe(2);
      const lines = stderrLines(child.stderr);
      expect(lines, child.stderr).toHaveLength(1);
      expect(lines[0]).toContain(name);
      expect(lines[0]).toContain('"hps_"');
      expect(existsSync(join(cwd, 'h.db'))).toBe(false);
    },
  );

  it('a port already in use exits 2 naming --port', async () => {
    const blocker = await startReceiver();
    servers.push(blocker);
    const address = { port: blocker.port };
    const cwd = tempDir('hookd-cli-');
    const child = new Hookd(['serve', '--port', String(address.port), '--database', join(cwd, 'h.db')], { cwd });
    const { code } = await child.waitForExit();
    expect(code, `stdout: ${child.stdout}\nstderr: ${child.stderr}`).toBe(2);
    const lines = stderrLines(child.stderr);
    expect(lines, child.stderr).toHaveLength(1);
    expect(lines[0]).toContain('--port');
    expect(lines[0]).toContain(String(address.port));
  });

  it("a second delivering process on the same SQLite file exits 2 naming --database and the first one's pid", async () => {
    const cwd = tempDir('hookd-cli-');
    const database = join(cwd, 'h.db');
    const first = await serve(['--database', database], { cwd });
    const second = new Hookd(['serve', '--port', '0', '--database', database], { cwd });
    const { code } = await second.waitForExit();
    expect(code, second.stderr).toBe(2);
    const lines = stderrLines(second.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('--database');
    expect(lines[0]).toMatch(/pid \d+/);
    // An API-only process may share the file: it delivers nothing itself.
    const apiOnly = await serve(['--database', database, '--no-worker'], { cwd });
    await stopCleanly(apiOnly.child);
    await stopCleanly(first.child);
  });
});
