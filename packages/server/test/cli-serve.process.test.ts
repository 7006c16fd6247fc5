// `hookd serve` as a user runs it: real processes, real SQLite files, real HTTP on 127.0.0.1, real signals.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Hookd, jsonLines, killAllHookd, printedKey, serve, stopCleanly } from './support/hookd-process.js';
import { apiCall, httpCall } from './support/http-call.js';
import { tempDir } from './support/temp-dir.js';

afterEach(killAllHookd);

describe('hookd serve', { timeout: 60_000 }, () => {
  it('prints an admin key once on first start, serves it over HTTP, stops on SIGTERM and keeps everything across a restart', async () => {
    const cwd = tempDir('hookd-cli-');
    const database = join(cwd, 'h.db');

    const first = await serve(['--database', database], { cwd });
    const key = printedKey(first.child.stdout);
    expect(key, `stdout: ${first.child.stdout}`).toBeDefined();
    expect(first.child.stdout.split(key!).length - 1).toBe(1);
    for (const line of jsonLines(first.child.stdout)) expect(JSON.stringify(line)).not.toContain(key!);

    expect((await apiCall(first.url, 'GET', '/webhooks', null)).status).toBe(401);
    expect((await apiCall(first.url, 'GET', '/webhooks', 'hk_not-the-key-at-all-0000000000000')).status).toBe(401);
    const empty = await apiCall(first.url, 'GET', '/webhooks', key!);
    expect(empty).toEqual({ status: 200, body: { data: [], nextCursor: null } });

    const created = await apiCall(first.url, 'POST', '/webhooks', key!, {
      url: 'https://example.com/hooks',
      events: ['order.*'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ url: 'https://example.com/hooks', events: ['order.*'] });

    await stopCleanly(first.child);
    expect(existsSync(database)).toBe(true);

    const second = await serve(['--database', database], { cwd });
    expect(second.child.stdout).not.toMatch(/hk_/);
    const read = await apiCall(second.url, 'GET', `/webhooks/${created.body.id}`, key!);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: created.body.id, url: 'https://example.com/hooks', events: ['order.*'] });
    const list = await apiCall(second.url, 'GET', '/webhooks', key!);
    expect(list.body.data.map((webhook: { id: string }) => webhook.id)).toEqual([created.body.id]);
    await stopCleanly(second.child);
  });

  it('stops cleanly on SIGINT too', async () => {
    const cwd = tempDir('hookd-cli-');
    const served = await serve(['--database', join(cwd, 'h.db')], { cwd });
    served.child.signal('SIGINT');
    expect(await served.child.waitForExit()).toEqual({ code: 0, signal: null });
  });

  it('uses HOOKD_BOOTSTRAP_API_KEY as the admin key and prints none', async () => {
    const cwd = tempDir('hookd-cli-');
    const bootstrapKey = 'my-bootstrap-key-0123456789abcdef';
    const served = await serve(['--database', join(cwd, 'h.db')], {
      cwd,
      env: { HOOKD_BOOTSTRAP_API_KEY: bootstrapKey },
    });
    expect(served.child.stdout).not.toMatch(/hk_/);
    expect(served.child.stdout).not.toContain(bootstrapKey);
    expect(await apiCall(served.url, 'GET', '/webhooks', bootstrapKey)).toEqual({
      status: 200,
      body: { data: [], nextCursor: null },
    });
    // An admin key: it may manage workspaces.
    expect((await apiCall(served.url, 'GET', '/workspaces', bootstrapKey)).status).toBe(200);
    await stopCleanly(served.child);
  });

  it('answers 503 with Retry-After while another process holds the SQLite file past the busy timeout, then 202 again', async () => {
    const cwd = tempDir('hookd-cli-');
    const database = join(cwd, 'h.db');
    const key = 'my-bootstrap-key-0123456789abcdef';
    const served = await serve(['--database', database], { cwd, env: { HOOKD_BOOTSTRAP_API_KEY: key } });
    const publish = () =>
      httpCall(`${served.url}/api/v1/events`, { key, body: { id: 'evt-locked', type: 'order.created', data: {} } });
    expect((await apiCall(served.url, 'GET', '/webhooks', key)).status).toBe(200);
    // Another process (here, this test) takes the write lock and keeps it past hookd's 5 s busy timeout.
    const holder = new Database(database);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const refused = await publish();
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.body.error.code).toBe('HOOKD_ERR_UNAVAILABLE');
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect((await publish()).status).toBe(202);
    await stopCleanly(served.child);
  });

  it('takes its port and database from HOOKD_PORT and HOOKD_DATABASE_URL', async () => {
    const cwd = tempDir('hookd-cli-');
    const child = new Hookd(['serve'], { cwd, env: { HOOKD_PORT: '0', HOOKD_DATABASE_URL: join(cwd, 'env.db') } });
    const url = await child.listening();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toBe('http://127.0.0.1:0');
    expect(existsSync(join(cwd, 'env.db'))).toBe(true);
    expect(existsSync(join(cwd, 'data'))).toBe(false);
    await stopCleanly(child);
  });

  it('stores in ./data/hookd.db under the working directory when no database is given', async () => {
    const cwd = tempDir('hookd-cli-');
    const served = await serve([], { cwd });
    expect(existsSync(join(cwd, 'data', 'hookd.db'))).toBe(true);
    const key = printedKey(served.child.stdout);
    expect(key).toBeDefined();
    expect((await apiCall(served.url, 'GET', '/webhooks', key!)).status).toBe(200);
    await stopCleanly(served.child);
  });
});
