// The `hookd` command as a user runs it: real processes, real SQLite files, real HTTP on 127.0.0.1, real signals.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Hookd, jsonLines, KEY_LINE, killAllHookd } from './support/hookd-process.js';
import { eventually } from './support/programmable-receiver.js';

const dirs: string[] = [];
const servers: Server[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hookd-cli-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  await killAllHookd();
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((done) => server.close(() => done()))));
});

afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs a command to its end. */
async function run(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = new Hookd(args, options);
  const { code } = await child.waitForExit();
  return { code, stdout: child.stdout, stderr: child.stderr };
}

interface Served {
  child: Hookd;
  url: string;
}

/** Starts `hookd serve` with `args` and waits until it logs that it listens. */
async function serve(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<Served> {
  const child = new Hookd(['serve', '--port', '0', ...args], options);
  const listening = await child.waitForLog('hookd listening');
  expect(typeof listening.url).toBe('string');
  const url = listening.url as string;
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  return { child, url };
}

/** Sends SIGTERM and expects a clean exit. */
async function stop(child: Hookd): Promise<void> {
  child.signal('SIGTERM');
  const exit = await child.waitForExit();
  expect(exit, `stderr: ${child.stderr}`).toEqual({ code: 0, signal: null });
}

/** The fields of API answers these tests read (a webhook, a workspace, or a list of them). */
interface ApiBody {
  id: string;
  data: { id: string }[];
  [field: string]: unknown;
}

async function api(
  served: Served,
  method: string,
  path: string,
  key: string | null,
  body?: unknown,
): Promise<{ status: number; body: ApiBody }> {
  const headers: Record<string, string> = key === null ? {} : { authorization: `Bearer ${key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${served.url}/api/v1${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text.length > 0 ? text : '{}') as ApiBody };
}

function printedKey(stdout: string): string | undefined {
  return KEY_LINE.exec(stdout)?.[1];
}

function stderrLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.length > 0);
}

describe('hookd serve', { timeout: 60_000 }, () => {
  it('prints an admin key once on first start, serves it over HTTP, stops on SIGTERM and keeps everything across a restart', async () => {
    const cwd = tempDir();
    const database = join(cwd, 'h.db');

    const first = await serve(['--database', database], { cwd });
    const key = printedKey(first.child.stdout);
    expect(key, `stdout: ${first.child.stdout}`).toBeDefined();
    expect(first.child.stdout.split(key!).length - 1).toBe(1);
    for (const line of jsonLines(first.child.stdout)) expect(JSON.stringify(line)).not.toContain(key!);

    expect((await api(first, 'GET', '/webhooks', null)).status).toBe(401);
    expect((await api(first, 'GET', '/webhooks', 'hk_not-the-key-at-all-0000000000000')).status).toBe(401);
    const empty = await api(first, 'GET', '/webhooks', key!);
    expect(empty).toEqual({ status: 200, body: { data: [], nextCursor: null } });

    const created = await api(first, 'POST', '/webhooks', key!, {
      url: 'https://example.com/hooks',
      events: ['order.*'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ url: 'https://example.com/hooks', events: ['order.*'] });

    await stop(first.child);
    expect(existsSync(database)).toBe(true);

    const second = await serve(['--database', database], { cwd });
    expect(second.child.stdout).not.toMatch(/hk_/);
    const read = await api(second, 'GET', `/webhooks/${created.body.id}`, key!);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: created.body.id, url: 'https://example.com/hooks', events: ['order.*'] });
    const list = await api(second, 'GET', '/webhooks', key!);
    expect(list.body.data.map((webhook: { id: string }) => webhook.id)).toEqual([created.body.id]);
    await stop(second.child);
  });

  it('stops cleanly on SIGINT too', async () => {
    const cwd = tempDir();
    const served = await serve(['--database', join(cwd, 'h.db')], { cwd });
    served.child.signal('SIGINT');
    expect(await served.child.waitForExit()).toEqual({ code: 0, signal: null });
  });

  it('uses HOOKD_BOOTSTRAP_API_KEY as the admin key and prints none', async () => {
    const cwd = tempDir();
    const bootstrapKey = 'my-bootstrap-key-0123456789abcdef';
    const served = await serve(['--database', join(cwd, 'h.db')], {
      cwd,
      env: { HOOKD_BOOTSTRAP_API_KEY: bootstrapKey },
    });
    expect(served.child.stdout).not.toMatch(/hk_/);
    expect(served.child.stdout).not.toContain(bootstrapKey);
    expect(await api(served, 'GET', '/webhooks', bootstrapKey)).toEqual({
      status: 200,
      body: { data: [], nextCursor: null },
    });
    // An admin key: it may manage workspaces.
    expect((await api(served, 'GET', '/workspaces', bootstrapKey)).status).toBe(200);
    await stop(served.child);
  });

  it('answers 503 with Retry-After while another process holds the SQLite file past the busy timeout, then 202 again', async () => {
    const cwd = tempDir();
    const database = join(cwd, 'h.db');
    const key = 'my-bootstrap-key-0123456789abcdef';
    const served = await serve(['--database', database], { cwd, env: { HOOKD_BOOTSTRAP_API_KEY: key } });
    const publish = () =>
      fetch(`${served.url}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'evt-locked', type: 'order.created', data: {} }),
      });
    expect((await api(served, 'GET', '/webhooks', key)).status).toBe(200);
    // Another process (here, this test) takes the write lock and keeps it past hookd's 5 s busy timeout.
    const holder = new Database(database);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const refused = await publish();
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('HOOKD_ERR_UNAVAILABLE');
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect((await publish()).status).toBe(202);
    await stop(served.child);
  });

  it('takes its port and database from HOOKD_PORT and HOOKD_DATABASE_URL', async () => {
    const cwd = tempDir();
    const child = new Hookd(['serve'], { cwd, env: { HOOKD_PORT: '0', HOOKD_DATABASE_URL: join(cwd, 'env.db') } });
    const listening = await child.waitForLog('hookd listening');
    expect(listening.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(listening.url).not.toBe('http://127.0.0.1:0');
    expect(existsSync(join(cwd, 'env.db'))).toBe(true);
    expect(existsSync(join(cwd, 'data'))).toBe(false);
    await stop(child);
  });

  it('stores in ./data/hookd.db under the working directory when no database is given', async () => {
    const cwd = tempDir();
    const served = await serve([], { cwd });
    expect(existsSync(join(cwd, 'data', 'hookd.db'))).toBe(true);
    const key = printedKey(served.child.stdout);
    expect(key).toBeDefined();
    expect((await api(served, 'GET', '/webhooks', key!)).status).toBe(200);
    await stop(served.child);
  });
});

describe('hookd --help', { timeout: 30_000 }, () => {
  const table = [
    ['--port', 'HOOKD_PORT', '8080'],
    ['--host', 'HOOKD_HOST', '127.0.0.1'],
    ['--database', 'HOOKD_DATABASE_URL', './data/hookd.db'],
    ['--bootstrap-key', 'HOOKD_BOOTSTRAP_API_KEY', 'none'],
    ['--allow-network', 'HOOKD_ALLOW_NETWORKS', 'none'],
    ['--allow-http', 'HOOKD_ALLOW_HTTP', 'false'],
    ['--concurrency', 'HOOKD_CONCURRENCY', ''],
    ['--role', 'HOOKD_ROLE', 'all'],
  ] as const;

  /** The help lines about `flag`: its own line up to the next flag's. */
  function block(text: string, flag: string): string {
    const lines = text.split('\n');
    const start = lines.findIndex((line) => new RegExp(`^\\s*${flag}(\\s|$)`).test(line));
    expect(start, `${flag} is listed in:\n${text}`).toBeGreaterThanOrEqual(0);
    const rest = lines.slice(start + 1);
    const end = rest.findIndex((line) => /^\s*--/.test(line));
    return [lines[start], ...(end === -1 ? rest : rest.slice(0, end))].join('\n');
  }

  it.each([[['--help']], [['serve', '--help']], [['help']]])(
    '%j lists every flag with its env var and default, and exits 0',
    async (args) => {
      const cwd = tempDir();
      const { code, stdout, stderr } = await run(args, { cwd });
      expect(code).toBe(0);
      expect(stderr).toBe('');
      for (const [flag, env, defaultText] of table) {
        const text = block(stdout, flag);
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
    const cwd = tempDir();
    const child = new Hookd([...args, '--database', join(cwd, 'h.db')], { cwd, env });
    // Fail fast (not at the timeout) if it starts serving instead of refusing.
    await child.waitFor(
      'exit or listening',
      () => child.exit ?? jsonLines(child.stdout).find((line) => line.msg === 'hookd listening'),
    );
    expect(child.exit?.code, `stdout: ${child.stdout}\nstderr: ${child.stderr}`).toBe(2);
    const lines = stderrLines(child.stderr);
    expect(lines, child.stderr).toHaveLength(1);
    expect(lines[0]).toContain(name);
    expect(child.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('a port already in use exits 2 naming --port', async () => {
    const blocker = createServer();
    servers.push(blocker);
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', () => done()));
    const address = blocker.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const cwd = tempDir();
    const child = new Hookd(['serve', '--port', String(address.port), '--database', join(cwd, 'h.db')], { cwd });
    const { code } = await child.waitForExit();
    expect(code, `stdout: ${child.stdout}\nstderr: ${child.stderr}`).toBe(2);
    const lines = stderrLines(child.stderr);
    expect(lines, child.stderr).toHaveLength(1);
    expect(lines[0]).toContain('--port');
    expect(lines[0]).toContain(String(address.port));
  });

  it("a second delivering process on the same SQLite file exits 2 naming --database and the first one's pid", async () => {
    const cwd = tempDir();
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
    await stop(apiOnly.child);
    await stop(first.child);
  });
});

describe('hookd migrate and hookd keys create', { timeout: 60_000 }, () => {
  it('migrate brings a new file up to date, and again is a no-op that says so', async () => {
    const cwd = tempDir();
    const database = join(cwd, 'h.db');
    const first = await run(['migrate', '--database', database], { cwd });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/up to date/);
    expect(existsSync(database)).toBe(true);
    const again = await run(['migrate', '--database', database], { cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/up to date/);
    expect(again.stdout).not.toMatch(/applied/);
  });

  it('migrate then serve: the first start still prints the admin key', async () => {
    const cwd = tempDir();
    const database = join(cwd, 'h.db');
    expect((await run(['migrate', '--database', database], { cwd })).code).toBe(0);
    const served = await serve(['--database', database], { cwd });
    const key = printedKey(served.child.stdout);
    expect(key).toBeDefined();
    expect((await api(served, 'GET', '/webhooks', key!)).status).toBe(200);
    await stop(served.child);
  });

  it('keys create prints a key on stdout that authenticates against a served instance', async () => {
    const cwd = tempDir();
    const database = join(cwd, 'h.db');
    const bootstrapKey = 'cli-test-bootstrap-key-0123456789';
    const served = await serve(['--database', database, '--bootstrap-key', bootstrapKey], { cwd });
    const webhook = await api(served, 'POST', '/webhooks', bootstrapKey, { url: 'https://example.com/default' });
    expect(webhook.status).toBe(201);

    const created = await run(['keys', 'create', '--database', database], { cwd });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout.trim()).toMatch(/^hk_[A-Za-z0-9_-]{20,}$/);
    const key = created.stdout.trim();

    // It belongs to the default workspace and sees its webhook, but is not an admin key.
    const list = await api(served, 'GET', '/webhooks', key);
    expect(list.status).toBe(200);
    expect(list.body.data.map((w: { id: string }) => w.id)).toEqual([webhook.body.id]);
    expect((await api(served, 'GET', '/workspaces', key)).status).toBe(403);

    const another = await run(['keys', 'create', '--database', database], { cwd });
    expect(another.code).toBe(0);
    expect(another.stdout.trim()).not.toBe(key);
    await stop(served.child);
  });

  it('keys create --admin --workspace NAME issues an admin key of that workspace', async () => {
    const cwd = tempDir();
    const database = join(cwd, 'h.db');
    const bootstrapKey = 'cli-test-bootstrap-key-0123456789';
    const served = await serve(['--database', database, '--bootstrap-key', bootstrapKey], { cwd });
    expect((await api(served, 'POST', '/webhooks', bootstrapKey, { url: 'https://example.com/default' })).status).toBe(
      201,
    );
    const acme = await api(served, 'POST', '/workspaces', bootstrapKey, { name: 'acme' });
    expect(acme.status).toBe(201);

    const byName = await run(['keys', 'create', '--admin', '--workspace', 'acme', '--database', database], { cwd });
    expect(byName.code, byName.stderr).toBe(0);
    const key = byName.stdout.trim();
    expect(key).toMatch(/^hk_[A-Za-z0-9_-]{20,}$/);
    // acme's own webhooks (none), not the default workspace's; and admin rights.
    expect(await api(served, 'GET', '/webhooks', key)).toEqual({ status: 200, body: { data: [], nextCursor: null } });
    expect((await api(served, 'GET', '/workspaces', key)).status).toBe(200);
    const made = await api(served, 'POST', '/webhooks', key, { url: 'https://example.com/acme' });
    expect(made.status).toBe(201);

    const byId = await run(['keys', 'create', '--workspace', acme.body.id, '--database', database], { cwd });
    expect(byId.code, byId.stderr).toBe(0);
    const member = byId.stdout.trim();
    const list = await api(served, 'GET', '/webhooks', member);
    expect(list.body.data.map((w: { id: string }) => w.id)).toEqual([made.body.id]);
    expect((await api(served, 'GET', '/workspaces', member)).status).toBe(403);
    await stop(served.child);
  });

  it('keys create on a new file, then serve: the user still ends up holding an admin key', async () => {
    const cwd = tempDir();
    const database = join(cwd, 'h.db');
    const created = await run(['keys', 'create', '--database', database], { cwd });
    expect(created.code, created.stderr).toBe(0);
    const served = await serve(['--database', database], { cwd });
    const shown = [...`${created.stdout}\n${served.child.stdout}`.matchAll(/hk_[A-Za-z0-9_-]{20,}/g)].map(
      (match) => match[0],
    );
    expect(shown.length).toBeGreaterThan(0);
    const statuses = await Promise.all(shown.map(async (key) => (await api(served, 'GET', '/workspaces', key)).status));
    expect(statuses, `keys shown: ${shown.join(', ')}`).toContain(200);
    await stop(served.child);
  });

  it('keys create --workspace nope exits 2 naming --workspace and prints no key', async () => {
    const cwd = tempDir();
    const database = join(cwd, 'h.db');
    expect((await run(['migrate', '--database', database], { cwd })).code).toBe(0);
    const result = await run(['keys', 'create', '--workspace', 'nope', '--database', database], { cwd });
    expect(result.code).toBe(2);
    expect(result.stdout).not.toMatch(/hk_/);
    const lines = stderrLines(result.stderr);
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toContain('--workspace');
    expect(lines[0]).toContain('nope');
  });

  it("keys list shows a workspace's keys but never a key; keys revoke refuses one from then on", async () => {
    const cwd = tempDir();
    const database = join(cwd, 'h.db');
    const bootstrapKey = 'cli-test-bootstrap-key-0123456789';
    const served = await serve(['--database', database, '--bootstrap-key', bootstrapKey], { cwd });
    const created = await run(['keys', 'create', '--name', 'ci-runner', '--database', database], { cwd });
    expect(created.code, created.stderr).toBe(0);
    const key = created.stdout.trim();
    const keyId = /key_[0-9A-Z]{26}/.exec(created.stderr)![0];
    expect((await api(served, 'GET', '/webhooks', key)).status).toBe(200);

    const listed = await run(['keys', 'list', '--database', database], { cwd });
    expect(listed.code, listed.stderr).toBe(0);
    const [header, ...rows] = listed.stdout.trim().split('\n');
    expect(header).toMatch(/^ID\s+NAME\s+ADMIN\s+CREATED\s+LAST USED$/);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(new RegExp(`^${keyId}\\s+ci-runner\\s+\\S+Z\\s+`));
    expect(rows[1]).toMatch(/\sbootstrap\s+admin\s/);
    expect(listed.stdout).not.toContain(key);
    expect(listed.stdout).not.toContain(bootstrapKey);
    expect(listed.stdout).not.toMatch(/hk_/);

    const revoked = await run(['keys', 'revoke', keyId, '--database', database], { cwd });
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stderr).toContain(`revoked key ${keyId}`);
    // The server reads keys through a cache whose entries live a second: another process's revocation shows within it.
    await eventually(async () => expect((await api(served, 'GET', '/webhooks', key)).status).toBe(401));
    expect((await api(served, 'GET', '/webhooks', bootstrapKey)).status).toBe(200);
    expect((await run(['keys', 'list', '--database', database], { cwd })).stdout).not.toContain(keyId);

    const again = await run(['keys', 'revoke', keyId, '--database', database], { cwd });
    expect(again.code).toBe(1);
    expect(stderrLines(again.stderr)).toEqual([expect.stringContaining(keyId)]);
    const usage = await run(['keys', 'revoke', '--database', database], { cwd });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('keys revoke <key id>');
    await stop(served.child);
  });

  it('serve refuses to start with a bootstrap key that was revoked, rather than bring it back', async () => {
    const cwd = tempDir();
    const database = join(cwd, 'h.db');
    const bootstrapKey = 'cli-test-bootstrap-key-0123456789';
    const served = await serve(['--database', database, '--bootstrap-key', bootstrapKey], { cwd });
    await stop(served.child);
    const keyId = /key_[0-9A-Z]{26}/.exec((await run(['keys', 'list', '--database', database], { cwd })).stdout)![0];
    expect((await run(['keys', 'revoke', keyId, '--database', database], { cwd })).code).toBe(0);

    const again = await run(['serve', '--port', '0', '--database', database, '--bootstrap-key', bootstrapKey], { cwd });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('bootstrap key');
    expect(again.stderr).toContain('revoked');
    expect(again.stdout + again.stderr).not.toContain(bootstrapKey);
  });

  it('keys without "create" exits 2 with a usage line', async () => {
    const cwd = tempDir();
    const result = await run(['keys', '--database', join(cwd, 'h.db')], { cwd });
    expect(result.code).toBe(2);
    expect(stderrLines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toContain('keys create');
  });
});
