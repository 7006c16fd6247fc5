// Listing and revoking API keys through HTTP: lists never give a key away, a revoked key is refused on the next
// request, only admin keys manage keys, and the last admin key stays.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.js';
import { expectError, startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
let now: Date;
let workspaceB: string;
let keyB: { id: string; key: string };
beforeEach(async () => {
  now = new Date('2026-05-06T19:00:00.000Z');
  t = await startTestApp({ clock: () => now });
  const created = await t.call('POST', '/api/v1/workspaces', { body: { name: 'tenant-b' } });
  expect(created.status).toBe(201);
  workspaceB = created.body.id;
  keyB = await issue(workspaceB, { name: 'b-app' });
});
afterEach(async () => t.close());

/** Issues a key a second after the last, so lists by id (newest first) have one order. */
async function issue(
  workspaceId: string,
  body: { name?: string; admin?: boolean },
): Promise<{ id: string; key: string }> {
  now = new Date(now.getTime() + 1000);
  const issued = await t.call('POST', `/api/v1/workspaces/${workspaceId}/keys`, { body });
  expect(issued.status, JSON.stringify(issued.body)).toBe(201);
  return issued.body;
}

const listKeys = (workspaceId: string, key?: string) =>
  t.call('GET', `/api/v1/workspaces/${workspaceId}/keys`, key === undefined ? {} : { key });

describe('GET /api/v1/workspaces/:id/keys', () => {
  it("lists the workspace's keys newest first with id, name, admin, created and last used, never the key or its hash", async () => {
    const second = await issue(workspaceB, { name: 'b-admin', admin: true });
    const listed = await listKeys(workspaceB);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((key: { id: string }) => key.id)).toEqual([second.id, keyB.id]);
    expect(listed.body.data[1]).toEqual({
      id: keyB.id,
      workspaceId: workspaceB,
      name: 'b-app',
      admin: false,
      createdAt: '2026-05-06T19:00:01.000Z',
      lastUsedAt: null,
    });
    for (const shown of listed.body.data)
      expect(Object.keys(shown).sort()).toEqual(['admin', 'createdAt', 'id', 'lastUsedAt', 'name', 'workspaceId']);
    const text = JSON.stringify(listed.body);
    expect(text).not.toContain(keyB.key);
    expect(text).not.toContain(second.key);
    expect(text).not.toContain('hash');
  });

  it('shows when a key was last used, written again only once it is a minute old', async () => {
    now = new Date('2026-05-06T19:05:00.000Z');
    expect((await t.call('GET', '/api/v1/webhooks', { key: keyB.key })).status).toBe(200);
    const lastUsed = async () => (await listKeys(workspaceB)).body.data[0].lastUsedAt;
    await eventually(async () => expect(await lastUsed()).toBe('2026-05-06T19:05:00.000Z'));

    now = new Date('2026-05-06T19:05:59.000Z');
    expect((await t.call('GET', '/api/v1/webhooks', { key: keyB.key })).status).toBe(200);
    now = new Date('2026-05-06T19:06:00.000Z');
    expect((await t.call('GET', '/api/v1/webhooks', { key: keyB.key })).status).toBe(200);
    await eventually(async () => expect(await lastUsed()).toBe('2026-05-06T19:06:00.000Z'));
  });

  it('pages with a cursor', async () => {
    const more = [await issue(workspaceB, { name: 'two' }), await issue(workspaceB, { name: 'three' })];
    const first = await t.call('GET', `/api/v1/workspaces/${workspaceB}/keys?limit=2`);
    expect(first.body.data.map((key: { id: string }) => key.id)).toEqual([more[1]!.id, more[0]!.id]);
    const second = await t.call('GET', `/api/v1/workspaces/${workspaceB}/keys?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({ data: [expect.objectContaining({ id: keyB.id })], nextCursor: null });
  });

  it('answers 404 for a workspace that does not exist', async () => {
    expect(expectError(await listKeys('ws_01J0000000000000000000000X'), 404).code).toBe(
      'HOOKD_ERR_WORKSPACE_NOT_FOUND',
    );
  });
});

describe('DELETE /api/v1/workspaces/:id/keys/:keyId', () => {
  it('revokes a key: the very next request with it is 401, and lists leave it out', async () => {
    expect((await t.call('GET', '/api/v1/webhooks', { key: keyB.key })).status).toBe(200);
    const revoked = await t.call('DELETE', `/api/v1/workspaces/${workspaceB}/keys/${keyB.id}`);
    expect(revoked.status).toBe(204);
    expect(revoked.body).toBeUndefined();

    const refused = expectError(await t.call('GET', '/api/v1/webhooks', { key: keyB.key }), 401);
    expect(refused.code).toBe('HOOKD_ERR_UNAUTHORIZED');
    expect((await listKeys(workspaceB)).body.data).toEqual([]);
    expect(expectError(await t.call('DELETE', `/api/v1/workspaces/${workspaceB}/keys/${keyB.id}`), 404).code).toBe(
      'HOOKD_ERR_NOT_FOUND',
    );
  });

  it('answers 404 for a key of another workspace, and leaves that key working', async () => {
    const result = await t.call('DELETE', `/api/v1/workspaces/${t.workspaceId}/keys/${keyB.id}`);
    expect(expectError(result, 404).code).toBe('HOOKD_ERR_NOT_FOUND');
    expect((await t.call('GET', '/api/v1/webhooks', { key: keyB.key })).status).toBe(200);
  });

  it('refuses to revoke the only admin key left (409), and revokes it once another admin key exists', async () => {
    const adminKeyId = (await listKeys(t.workspaceId)).body.data.find((key: { admin: boolean }) => key.admin).id;
    const refused = expectError(await t.call('DELETE', `/api/v1/workspaces/${t.workspaceId}/keys/${adminKeyId}`), 409);
    expect(refused.code).toBe('HOOKD_ERR_CONFLICT');
    expect(refused.message).toContain('only admin key');
    expect((await t.call('GET', '/api/v1/workspaces')).status).toBe(200);

    const otherAdmin = await issue(workspaceB, { admin: true });
    expect(
      (await t.call('DELETE', `/api/v1/workspaces/${t.workspaceId}/keys/${adminKeyId}`, { key: otherAdmin.key }))
        .status,
    ).toBe(204);
    expect(expectError(await t.call('GET', '/api/v1/workspaces'), 401).code).toBe('HOOKD_ERR_UNAUTHORIZED');
  });

  it('refuses bad ids with 400 naming the parameter', async () => {
    const error = expectError(await t.call('DELETE', `/api/v1/workspaces/${workspaceB}/keys/${'k'.repeat(65)}`), 400);
    expect(error.message).toContain('keyId');
  });
});

describe('a workspace key', () => {
  it('can neither list nor revoke keys, of its own workspace or another: 403 and no data', async () => {
    const adminKeyId = (await listKeys(t.workspaceId)).body.data[0].id;
    const attempts = [
      await listKeys(workspaceB, keyB.key),
      await listKeys(t.workspaceId, keyB.key),
      await t.call('DELETE', `/api/v1/workspaces/${t.workspaceId}/keys/${adminKeyId}`, { key: keyB.key }),
      await t.call('DELETE', `/api/v1/workspaces/${workspaceB}/keys/${keyB.id}`, { key: keyB.key }),
    ];
    for (const result of attempts) {
      expect(expectError(result, 403).code).toBe('HOOKD_ERR_FORBIDDEN');
      expect(Object.keys(result.body)).toEqual(['error']);
    }
    expect((await t.call('GET', '/api/v1/workspaces')).status).toBe(200);
    expect((await t.call('GET', '/api/v1/webhooks', { key: keyB.key })).status).toBe(200);
  });
});
