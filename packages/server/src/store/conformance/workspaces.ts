// The Store contract on the schema, workspaces and API keys: registered for each engine by runStoreConformance (store-conformance.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../domain/ids.js';
import { UniqueViolation, type Store } from '../store.js';
import { at, T0, workspace } from './fixtures.js';
import { eventually } from '../../../test/support/eventually.js';
import type { StoreUnderTest } from './store-under-test.js';

export function workspaceConformance(t: StoreUnderTest): void {
  let store: Store;
  beforeEach(() => {
    ({ store } = t);
  });

  describe('schema and connection', () => {
    it('applies no migration twice and answers ping', async () => {
      expect((await store.migrate()).applied).toEqual([]);
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });

  describe('workspaces and API keys', () => {
    it('reads back what it stored, pages newest first, and refuses a second workspace of the same name', async () => {
      const spaces = [0, 1, 2].map((i) => ({ ...workspace(`space-${i}`), id: newId('ws', T0.getTime() + i) }));
      for (const space of spaces) await store.insertWorkspace(space);
      expect(await store.getWorkspace(spaces[1]!.id)).toEqual(spaces[1]);
      expect(await store.findWorkspaceByName('space-2')).toEqual(spaces[2]);
      expect(await store.getWorkspace(newId('ws'))).toBeUndefined();

      const first = await store.listWorkspaces({ limit: 2 });
      expect(first.data.map((space) => space.id)).toEqual([spaces[2]!.id, spaces[1]!.id]);
      const second = await store.listWorkspaces({ limit: 2, cursor: first.nextCursor! });
      expect(second).toEqual({ data: [spaces[0]], nextCursor: null });

      const error = await store.insertWorkspace({ ...workspace('space-0') }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UniqueViolation);
      const renamed = { ...spaces[0]!, name: 'renamed', alertEmail: 'ops@example.com', updatedAt: at(5) };
      await store.updateWorkspace(renamed);
      expect(await store.getWorkspace(renamed.id)).toEqual(renamed);
      await expect(store.updateWorkspace({ ...spaces[1]!, name: 'renamed' })).rejects.toBeInstanceOf(UniqueViolation);
    });

    it('finds keys by lookup, knows whether an admin key exists, and refuses a repeated hash', async () => {
      const space = workspace();
      await store.insertWorkspace(space);
      expect(await store.hasAdminKey()).toBe(false);
      const key = {
        id: newId('key'),
        workspaceId: space.id,
        name: 'ci',
        admin: false,
        lookup: 'abcd1234',
        hash: 'h1',
        createdAt: T0,
        lastUsedAt: null,
      };
      await store.insertApiKey(key);
      expect(await store.hasAdminKey()).toBe(false);
      await store.insertApiKey({ ...key, id: newId('key'), admin: true, hash: 'h2' });
      expect(await store.hasAdminKey()).toBe(true);
      expect((await store.findApiKeysByLookup('abcd1234')).map((found) => found.hash).sort()).toEqual(['h1', 'h2']);
      expect(
        await store.findApiKeysByLookup('abcd1234').then((keys) => keys.find((found) => found.id === key.id)),
      ).toEqual(key);
      expect(await store.findApiKeysByLookup('nothing0')).toEqual([]);
      await expect(store.insertApiKey({ ...key, id: newId('key') })).rejects.toBeInstanceOf(UniqueViolation);
    });

    it("lists a workspace's keys newest first by page, and records when one was last used", async () => {
      const [space, other] = [workspace('a'), workspace('b')];
      await store.insertWorkspace(space);
      await store.insertWorkspace(other);
      const keys = [0, 1, 2].map((i) => ({
        id: newId('key', T0.getTime() + i),
        workspaceId: space.id,
        name: `k${i}`,
        admin: i === 0,
        lookup: `look${i}`,
        hash: `hash${i}`,
        createdAt: at(i),
        lastUsedAt: null,
      }));
      for (const key of keys) await store.insertApiKey(key);
      await store.insertApiKey({ ...keys[0]!, id: newId('key'), workspaceId: other.id, hash: 'other' });

      const first = await store.listApiKeys(space.id, { limit: 2 });
      expect(first.data).toEqual([keys[2], keys[1]]);
      const second = await store.listApiKeys(space.id, { limit: 2, cursor: first.nextCursor! });
      expect(second).toEqual({ data: [keys[0]], nextCursor: null });

      await store.recordApiKeyUse(keys[1]!.id, at(60_000));
      const [used] = await store.findApiKeysByLookup('look1');
      expect(used!.lastUsedAt).toEqual(at(60_000));
      expect((await store.listApiKeys(space.id, { limit: 10 })).data[1]!.lastUsedAt).toEqual(at(60_000));
    });

    it('revokes a key for good: no lookup finds it, lists leave it out, and a second revocation finds nothing', async () => {
      const [space, other] = [workspace('a'), workspace('b')];
      await store.insertWorkspace(space);
      await store.insertWorkspace(other);
      const key = {
        id: newId('key'),
        workspaceId: space.id,
        name: 'ci',
        admin: false,
        lookup: 'look',
        hash: 'h1',
        createdAt: T0,
        lastUsedAt: null,
      };
      const kept = { ...key, id: newId('key'), hash: 'h2' };
      await store.insertApiKey(key);
      await store.insertApiKey(kept);

      expect(await store.revokeApiKey({ id: key.id, workspaceId: other.id, now: at(1), keepAnAdmin: true })).toBe(
        'not-found',
      );
      expect(await store.revokeApiKey({ id: key.id, workspaceId: space.id, now: at(1), keepAnAdmin: true })).toBe(
        'revoked',
      );
      expect((await store.findApiKeysByLookup('look')).map((found) => found.id)).toEqual([kept.id]);
      expect((await store.listApiKeys(space.id, { limit: 10 })).data.map((found) => found.id)).toEqual([kept.id]);
      expect(await store.revokeApiKey({ id: key.id, workspaceId: space.id, now: at(2), keepAnAdmin: true })).toBe(
        'not-found',
      );
      // Without a workspace (the CLI): whichever holds it.
      expect(await store.revokeApiKey({ id: kept.id, workspaceId: undefined, now: at(2), keepAnAdmin: false })).toBe(
        'revoked',
      );
      expect(await store.findApiKeysByLookup('look')).toEqual([]);
      // A revoked key's hash stays taken: the same key cannot be issued again.
      await expect(store.insertApiKey({ ...key, id: newId('key') })).rejects.toBeInstanceOf(UniqueViolation);
    });

    it('keeps the last admin key when asked to, even against revocations of two admin keys at once', async () => {
      const space = workspace();
      await store.insertWorkspace(space);
      const admins = [0, 1].map((i) => ({
        id: newId('key'),
        workspaceId: space.id,
        name: `admin${i}`,
        admin: true,
        lookup: `adm${i}`,
        hash: `adm${i}`,
        createdAt: T0,
        lastUsedAt: null,
      }));
      for (const admin of admins) await store.insertApiKey(admin);

      const outcomes = await Promise.all(
        admins.map((admin) =>
          store.revokeApiKey({ id: admin.id, workspaceId: space.id, now: at(1), keepAnAdmin: true }),
        ),
      );
      expect([...outcomes].sort()).toEqual(['last-admin', 'revoked']);
      expect(await store.hasAdminKey()).toBe(true);
      const left = admins[outcomes.indexOf('last-admin')]!;
      expect(await store.revokeApiKey({ id: left.id, workspaceId: space.id, now: at(2), keepAnAdmin: true })).toBe(
        'last-admin',
      );
      expect(await store.revokeApiKey({ id: left.id, workspaceId: space.id, now: at(2), keepAnAdmin: false })).toBe(
        'revoked',
      );
      expect(await store.hasAdminKey()).toBe(false);
    });

    it('tells watchers in other processes of a revocation, or has nothing to watch in a single-process store', async () => {
      const heard: number[] = [];
      const problems: Error[] = [];
      const unsubscribe = await store.watchApiKeyRevocations(
        () => heard.push(Date.now()),
        (error) => problems.push(error),
      );
      try {
        const space = workspace();
        await store.insertWorkspace(space);
        const key = {
          id: newId('key'),
          workspaceId: space.id,
          name: '',
          admin: false,
          lookup: 'look',
          hash: 'h',
          createdAt: T0,
          lastUsedAt: null,
        };
        await store.insertApiKey(key);
        expect(await store.revokeApiKey({ id: key.id, workspaceId: space.id, now: at(1), keepAnAdmin: true })).toBe(
          'revoked',
        );
        if (store.capabilities.singleProcess) expect(heard).toEqual([]);
        else await eventually(() => expect(heard.length).toBeGreaterThanOrEqual(1), 5_000);
        expect(problems).toEqual([]);
      } finally {
        await unsubscribe();
      }
    });
  });
}
