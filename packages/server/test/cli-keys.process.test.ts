// `hookd migrate` and `hookd keys` as a user runs them, against a served instance: real processes and SQLite files.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.js';
import { killAllHookd, printedKey, runHookd, serve, stderrLines, stopCleanly } from './support/hookd-process.js';
import { apiCall } from './support/http-call.js';
import { tempDir } from './support/temp-dir.js';

afterEach(killAllHookd);

describe('hookd migrate and hookd keys create', { timeout: 60_000 }, () => {
  it('migrate brings a new file up to date, and again is a no-op that says so', async () => {
    const cwd = tempDir('hookd-cli-');
    const database = join(cwd, 'h.db');
    const first = await runHookd(['migrate', '--database', database], { cwd });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/up to date/);
    expect(existsSync(database)).toBe(true);
    const again = await runHookd(['migrate', '--database', database], { cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/up to date/);
    expect(again.stdout).not.toMatch(/applied/);
  });

  it('migrate then serve: the first start still prints the admin key', async () => {
    const cwd = tempDir('hookd-cli-');
    const database = join(cwd, 'h.db');
    expect((await runHookd(['migrate', '--database', database], { cwd })).code).toBe(0);
    const served = await serve(['--database', database], { cwd });
    const key = printedKey(served.child.stdout);
    expect(key).toBeDefined();
    expect((await apiCall(served.url, 'GET', '/webhooks', key!)).status).toBe(200);
    await stopCleanly(served.child);
  });

  it('keys create prints a key on stdout that authenticates against a served instance', async () => {
    const cwd = tempDir('hookd-cli-');
    const database = join(cwd, 'h.db');
    const bootstrapKey = 'cli-test-bootstrap-key-0123456789';
    const served = await serve(['--database', database, '--bootstrap-key', bootstrapKey], { cwd });
    const webhook = await apiCall(served.url, 'POST', '/webhooks', bootstrapKey, {
      url: 'https://example.com/default',
    });
    expect(webhook.status).toBe(201);

    const created = await runHookd(['keys', 'create', '--database', database], { cwd });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout.trim()).toMatch(/^hk_[A-Za-z0-9_-]{20,}$/);
    const key = created.stdout.trim();

    // It belongs to the default workspace and sees its webhook, but is not an admin key.
    const list = await apiCall(served.url, 'GET', '/webhooks', key);
    expect(list.status).toBe(200);
    expect(list.body.data.map((w: { id: string }) => w.id)).toEqual([webhook.body.id]);
    expect((await apiCall(served.url, 'GET', '/workspaces', key)).status).toBe(403);

    const another = await runHookd(['keys', 'create', '--database', database], { cwd });
    expect(another.code).toBe(0);
    expect(another.stdout.trim()).not.toBe(key);
    await stopCleanly(served.child);
  });

  it('keys create --admin --workspace NAME issues an admin key of that workspace', async () => {
    const cwd = tempDir('hookd-cli-');
    const database = join(cwd, 'h.db');
    const bootstrapKey = 'cli-test-bootstrap-key-0123456789';
    const served = await serve(['--database', database, '--bootstrap-key', bootstrapKey], { cwd });
    expect(
      (await apiCall(served.url, 'POST', '/webhooks', bootstrapKey, { url: 'https://example.com/default' })).status,
    ).toBe(201);
    const acme = await apiCall(served.url, 'POST', '/workspaces', bootstrapKey, { name: 'acme' });
    expect(acme.status).toBe(201);

    const byName = await runHookd(['keys', 'create', '--admin', '--workspace', 'acme', '--database', database], {
      cwd,
    });
    expect(byName.code, byName.stderr).toBe(0);
    const key = byName.stdout.trim();
    expect(key).toMatch(/^hk_[A-Za-z0-9_-]{20,}$/);
    // acme's own webhooks (none), not the default workspace's; and admin rights.
    expect(await apiCall(served.url, 'GET', '/webhooks', key)).toEqual({
      status: 200,
      body: { data: [], nextCursor: null },
    });
    expect((await apiCall(served.url, 'GET', '/workspaces', key)).status).toBe(200);
    const made = await apiCall(served.url, 'POST', '/webhooks', key, { url: 'https://example.com/acme' });
    expect(made.status).toBe(201);

    const byId = await runHookd(['keys', 'create', '--workspace', acme.body.id, '--database', database], { cwd });
    expect(byId.code, byId.stderr).toBe(0);
    const member = byId.stdout.trim();
    const list = await apiCall(served.url, 'GET', '/webhooks', member);
    expect(list.body.data.map((w: { id: string }) => w.id)).toEqual([made.body.id]);
    expect((await apiCall(served.url, 'GET', '/workspaces', member)).status).toBe(403);
    await stopCleanly(served.child);
  });

  it('keys create on a new file, then serve: the user still ends up holding an admin key', async () => {
    const cwd = tempDir('hookd-cli-');
    const database = join(cwd, 'h.db');
    const created = await runHookd(['keys', 'create', '--database', database], { cwd });
    expect(created.code, created.stderr).toBe(0);
    const served = await serve(['--database', database], { cwd });
    const shown = [...`${created.stdout}\n${served.child.stdout}`.matchAll(/hk_[A-Za-z0-9_-]{20,}/g)].map(
      (match) => match[0],
    );
    expect(shown.length).toBeGreaterThan(0);
    const statuses = await Promise.all(
      shown.map(async (key) => (await apiCall(served.url, 'GET', '/workspaces', key)).status),
    );
    expect(statuses, `keys shown: ${shown.join(', ')}`).toContain(200);
    await stopCleanly(served.child);
  });

  it('keys create --workspace nope exits 2 naming --workspace and prints no key', async () => {
    const cwd = tempDir('hookd-cli-');
    const database = join(cwd, 'h.db');
    expect((await runHookd(['migrate', '--database', database], { cwd })).code).toBe(0);
    const result = await runHookd(['keys', 'create', '--workspace', 'nope', '--database', database], { cwd });
    expect(result.code).toBe(2);
    expect(result.stdout).not.toMatch(/hk_/);
    const lines = stderrLines(result.stderr);
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toContain('--workspace');
    expect(lines[0]).toContain('nope');
  });

  it("keys list shows a workspace's keys but never a key; keys revoke refuses one from then on", async () => {
    const cwd = tempDir('hookd-cli-');
    const database = join(cwd, 'h.db');
    const bootstrapKey = 'cli-test-bootstrap-key-0123456789';
    const served = await serve(['--database', database, '--bootstrap-key', bootstrapKey], { cwd });
    const created = await runHookd(['keys', 'create', '--name', 'ci-runner', '--database', database], { cwd });
    expect(created.code, created.stderr).toBe(0);
    const key = created.stdout.trim();
    const keyId = /key_[0-9A-Z]{26}/.exec(created.stderr)![0];
    expect((await apiCall(served.url, 'GET', '/webhooks', key)).status).toBe(200);

    const listed = await runHookd(['keys', 'list', '--database', database], { cwd });
    expect(listed.code, listed.stderr).toBe(0);
    const [header, ...rows] = listed.stdout.trim().split('\n');
    expect(header).toMatch(/^ID\s+NAME\s+ADMIN\s+CREATED\s+LAST USED$/);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(new RegExp(`^${keyId}\\s+ci-runner\\s+\\S+Z\\s+`));
    expect(rows[1]).toMatch(/\sbootstrap\s+admin\s/);
    expect(listed.stdout).not.toContain(key);
    expect(listed.stdout).not.toContain(bootstrapKey);
    expect(listed.stdout).not.toMatch(/hk_/);

    const revoked = await runHookd(['keys', 'revoke', keyId, '--database', database], { cwd });
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stderr).toContain(`revoked key ${keyId}`);
    // The server reads keys through a cache whose entries live a second: another process's revocation shows within it.
    await eventually(async () => expect((await apiCall(served.url, 'GET', '/webhooks', key)).status).toBe(401));
    expect((await apiCall(served.url, 'GET', '/webhooks', bootstrapKey)).status).toBe(200);
    expect((await runHookd(['keys', 'list', '--database', database], { cwd })).stdout).not.toContain(keyId);

    const again = await runHookd(['keys', 'revoke', keyId, '--database', database], { cwd });
    expect(again.code).toBe(1);
    expect(stderrLines(again.stderr)).toEqual([expect.stringContaining(keyId)]);
    const usage = await runHookd(['keys', 'revoke', '--database', database], { cwd });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('keys revoke <key id>');
    await stopCleanly(served.child);
  });

  it('serve refuses to start with a bootstrap key that was revoked, rather than bring it back', async () => {
    const cwd = tempDir('hookd-cli-');
    const database = join(cwd, 'h.db');
    const bootstrapKey = 'cli-test-bootstrap-key-0123456789';
    const served = await serve(['--database', database, '--bootstrap-key', bootstrapKey], { cwd });
    await stopCleanly(served.child);
    const keyId = /key_[0-9A-Z]{26}/.exec(
      (await runHookd(['keys', 'list', '--database', database], { cwd })).stdout,
    )![0];
    expect((await runHookd(['keys', 'revoke', keyId, '--database', database], { cwd })).code).toBe(0);

    const again = await runHookd(['serve', '--port', '0', '--database', database, '--bootstrap-key', bootstrapKey], {
      cwd,
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('bootstrap key');
    expect(again.stderr).toContain('revoked');
    expect(again.stdout + again.stderr).not.toContain(bootstrapKey);
  });

  it('keys without "create" exits 2 with a usage line', async () => {
    const cwd = tempDir('hookd-cli-');
    const result = await runHookd(['keys', '--database', join(cwd, 'h.db')], { cwd });
    expect(result.code).toBe(2);
    expect(stderrLines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toContain('keys create');
  });
});
