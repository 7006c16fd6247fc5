// The contract of the Store, as tests every engine must pass: `runStoreConformance('sqlite', open)` in a test file
// registers them for one engine. `openFreshStore` gives a migrated store on an empty database each time.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../domain/ids.js';
import type { Webhook } from '../../domain/webhook.js';
import { UniqueViolation, type Store, type StoredSecrets } from '../store.js';
import { describeQueueFigures } from './queue-figures.js';
import { at, attemptRecord, claim, event, publishTo, seed, T0, webhook, workspace } from './fixtures.js';

export interface FreshStore {
  store: Store;
  /** Closes the store and removes its database. */
  dispose(): Promise<void>;
  /** For a store that encrypts secrets: a webhook read as WebhookSecrets opens it (reads give the stored forms). */
  openSecrets?: (webhook: Webhook) => Webhook;
}

export function runStoreConformance(name: string, openFreshStore: () => Promise<FreshStore>): void {
  describe(`Store conformance: ${name}`, () => {
    let fresh: FreshStore;
    let store: Store;
    let opened: (webhook: Webhook) => Webhook;
    let openedWebhook: (workspaceId: string, id: string) => Promise<Webhook | undefined>;
    beforeEach(async () => {
      fresh = await openFreshStore();
      store = fresh.store;
      opened = fresh.openSecrets ?? ((webhook) => webhook);
      openedWebhook = async (workspaceId, id) => {
        const stored = await store.getWebhook(workspaceId, id);
        return stored && opened(stored);
      };
    });
    afterEach(async () => {
      await fresh.dispose();
    });

    describeQueueFigures(() => store);

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
          else await expect.poll(() => heard.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
          expect(problems).toEqual([]);
        } finally {
          await unsubscribe();
        }
      });
    });

    describe('webhooks', () => {
      it('counts the webhooks of one workspace, disabled ones included', async () => {
        const { workspaceId } = await seed(store, {}, { status: 'disabled' }, {});
        await seed(store, {});
        expect(await store.countWebhooks(workspaceId)).toBe(3);
        expect(await store.countWebhooks(newId('ws'))).toBe(0);
      });

      it('reads back every field exactly, pages by id newest first, and lists only webhooks not disabled for matching', async () => {
        const { workspaceId } = await seed(store);
        const full = webhook(workspaceId, {
          id: newId('wh', T0.getTime()),
          description: 'all fields',
          events: ['order.*', 'user.created'],
          active: false,
          headers: { 'X-Zeta': 'z', 'X-Alpha': 'a' },
          signature: { scheme: 'body', headerPrefix: 'X-Sig-' },
          retry: { schedule: ['1s', '2m'], retryOn4xx: false },
          timeout: '10s',
          rateLimit: 7,
          ordering: 'fifo',
          filter: { 'data.total': { $gt: 10 }, type: 'order.created' },
          previousSecret: 'whsec_old',
          previousSecretExpiresAt: at(86_400_000),
        });
        const disabled = webhook(workspaceId, { id: newId('wh', T0.getTime() + 1), status: 'disabled' });
        const third = webhook(workspaceId, {
          id: newId('wh', T0.getTime() + 2),
          secret: null,
          signature: { scheme: 'none', headerPrefix: 'X-Webhook-' },
        });
        for (const hook of [full, disabled, third]) await store.insertWebhook(hook);

        expect(await openedWebhook(workspaceId, full.id)).toEqual(full);
        expect(await store.getWebhook(newId('ws'), full.id)).toBeUndefined();
        // An id from a URL may hold any character, NUL included: not found, like any other unknown id.
        expect(await store.getWebhook(workspaceId, `${full.id}\u0000`)).toBeUndefined();
        const first = await store.listWebhooks(workspaceId, { limit: 2 });
        expect(first.data.map(opened)).toEqual([third, disabled]);
        const rest = await store.listWebhooks(workspaceId, { limit: 2, cursor: first.nextCursor! });
        expect({ ...rest, data: rest.data.map(opened) }).toEqual({ data: [full], nextCursor: null });
        expect((await store.listSubscribedWebhooks(workspaceId)).map((hook) => hook.id).sort()).toEqual(
          [full.id, third.id].sort(),
        );
        await expect(store.insertWebhook(full)).rejects.toBeInstanceOf(UniqueViolation);
      });

      it('changes only the fields given, so a status written meanwhile by a worker stays', async () => {
        const {
          workspaceId,
          webhooks: [hook],
        } = await seed(store, {});
        // A worker marks it failing between the API's read and its write.
        await store.updateWebhook(workspaceId, hook!.id, { status: 'failing', updatedAt: at(1) });
        expect(
          await store.updateWebhook(workspaceId, hook!.id, {
            url: 'https://example.com/moved',
            headers: { 'X-A': '1' },
            rateLimit: null,
            filter: null,
            updatedAt: at(2),
          }),
        ).toBe(true);
        expect(await openedWebhook(workspaceId, hook!.id)).toEqual({
          ...hook,
          status: 'failing',
          url: 'https://example.com/moved',
          headers: { 'X-A': '1' },
          updatedAt: at(2),
        });
        expect(
          await store.updateWebhook(newId('ws'), hook!.id, { url: 'https://example.com/x', updatedAt: at(3) }),
        ).toBe(false);
      });

      it("lists every webhook's secrets as stored, by id across workspaces, and replaces them only where unchanged since read", async () => {
        const one = await seed(
          store,
          { headers: { 'X-A': '1', 'X-B': '2' } },
          { secret: null, signature: { scheme: 'none', headerPrefix: 'X-Webhook-' } },
        );
        const two = await seed(store, { previousSecret: 'whsec_before', previousSecretExpiresAt: at(1) });
        const all = [...one.webhooks, ...two.webhooks].sort((x, y) => (x.id < y.id ? -1 : 1));
        const first = await store.listStoredSecrets({ limit: 2 });
        const rest = await store.listStoredSecrets({ limit: 2, cursor: first.nextCursor! });
        expect(rest.nextCursor).toBeNull();
        const listed = [...first.data, ...rest.data];
        expect(listed.map((row) => [row.workspaceId, row.id])).toEqual(all.map((hook) => [hook.workspaceId, hook.id]));
        const rowOf = (id: string) => listed.find((row) => row.id === id)!;
        expect(Object.keys(JSON.parse(rowOf(one.webhooks[0]!.id).headersJson) as object)).toEqual(['X-A', 'X-B']);
        expect(rowOf(one.webhooks[1]!.id)).toMatchObject({ secret: null, previousSecret: null });

        // The first is changed after the read: its replacement is not written, so that change stays.
        const [changed, untouched] = [one.webhooks[0]!, two.webhooks[0]!];
        await store.updateWebhook(changed.workspaceId, changed.id, { headers: { 'X-A': 'patched' }, updatedAt: at(5) });
        const replaced = (row: StoredSecrets): StoredSecrets => ({
          ...row,
          secret: 'whsec_replaced',
          previousSecret: null,
          headersJson: '{"X-C":"3"}',
        });
        const replacements = [changed, untouched].map((hook) => ({
          expected: rowOf(hook.id),
          replacement: replaced(rowOf(hook.id)),
        }));
        expect(await store.replaceStoredSecrets(replacements)).toBe(1);
        expect(await openedWebhook(changed.workspaceId, changed.id)).toMatchObject({
          headers: { 'X-A': 'patched' },
          secret: changed.secret,
        });
        // Written as given, and updatedAt left alone: re-encrypting changes no setting.
        expect(await openedWebhook(untouched.workspaceId, untouched.id)).toEqual({
          ...untouched,
          secret: 'whsec_replaced',
          previousSecret: null,
          headers: { 'X-C': '3' },
        });
        expect(await store.replaceStoredSecrets([])).toBe(0);
      });

      it('deletes a webhook of its own workspace only, with its deliveries', async () => {
        const {
          workspaceId,
          webhooks: [hook],
        } = await seed(store, {});
        await publishTo(store, workspaceId, hook!.id, 1);
        expect(await store.deleteWebhook(newId('ws'), hook!.id)).toBe(false);
        expect(await store.deleteWebhook(workspaceId, hook!.id)).toBe(true);
        expect(await store.deleteWebhook(workspaceId, hook!.id)).toBe(false);
        expect(await store.getWebhook(workspaceId, hook!.id)).toBeUndefined();
        expect(await claim(store)).toEqual([]);
      });
    });

    describe('event types', () => {
      it('pages by name, reads schemas back, deletes, and refuses a repeated name', async () => {
        const { workspaceId } = await seed(store);
        const names = ['b.two', 'a.one', 'c.three'];
        for (const name of names)
          await store.insertEventType({
            workspaceId,
            name,
            description: `about ${name}`,
            schema: name === 'a.one' ? { type: 'object', required: ['id'] } : null,
            createdAt: T0,
          });
        const first = await store.listEventTypes(workspaceId, { limit: 2 });
        expect(first.data.map((type) => type.name)).toEqual(['a.one', 'b.two']);
        expect(first.data[0]).toEqual({
          workspaceId,
          name: 'a.one',
          description: 'about a.one',
          schema: { type: 'object', required: ['id'] },
          createdAt: T0,
        });
        expect(
          (await store.listEventTypes(workspaceId, { limit: 2, cursor: first.nextCursor! })).data.map(
            (type) => type.name,
          ),
        ).toEqual(['c.three']);
        await expect(
          store.insertEventType({ workspaceId, name: 'a.one', description: '', schema: null, createdAt: T0 }),
        ).rejects.toBeInstanceOf(UniqueViolation);
        expect(await store.deleteEventType(workspaceId, 'a.one')).toBe(true);
        expect(await store.deleteEventType(workspaceId, 'a.one')).toBe(false);
        expect(await store.getEventType(workspaceId, 'a.one')).toBeUndefined();
        expect((await store.getEventType(workspaceId, 'b.two'))?.description).toBe('about b.two');
      });
    });

    describe('events', () => {
      it('reads an event back byte for byte and pages newest first', async () => {
        const {
          workspaceId,
          webhooks: [hook],
        } = await seed(store, {});
        const stored = [0, 1, 2].map((i) =>
          event(workspaceId, {
            id: `evt-${i}`,
            idempotencyKey: i === 1 ? 'key-1' : null,
            timestamp: at(i),
            createdAt: at(i),
          }),
        );
        for (const one of stored)
          expect(
            await store.insertEventWithDeliveries(one, [{ id: newId('dlv'), webhookId: hook!.id, nextAttemptAt: T0 }]),
          ).toEqual({ made: 1, leasedSeqs: {} });
        expect(await store.findEvent(workspaceId, 'evt-0')).toEqual({ ...stored[0], deliveryCount: 1 });
        expect((await store.findEvent(workspaceId, 'evt-0'))?.dataJson).toBe('{"z":1,"a":[1,2,{"k":"v"}],"n":null}');
        expect(await store.findEventByIdempotencyKey(workspaceId, 'key-1')).toEqual({ ...stored[1], deliveryCount: 1 });
        expect(await store.findEvent(newId('ws'), 'evt-0')).toBeUndefined();
        const first = await store.listEvents(workspaceId, { limit: 2 });
        expect(first.data.map((one) => one.id)).toEqual(['evt-2', 'evt-1']);
        const second = await store.listEvents(workspaceId, { limit: 2, cursor: first.nextCursor! });
        expect(second.data.map((one) => one.id)).toEqual(['evt-0']);
        expect(second.nextCursor).toBeNull();
      });

      it('ends a page of events once its data passes maxDataBytes, always with one event, and pages through every event once', async () => {
        const { workspaceId } = await seed(store, {});
        // Data of 100 bytes each, one of 1,000 (alone over the budget): JSON strings of 98 and 998 characters.
        const sizes = [100, 100, 1_000, 100, 100, 100];
        for (const [i, size] of sizes.entries()) {
          await store.insertEventWithDeliveries(
            event(workspaceId, { id: `evt-${i}`, dataJson: JSON.stringify('x'.repeat(size - 2)), createdAt: at(i) }),
            [],
          );
        }
        const pages: string[][] = [];
        let cursor: string | undefined;
        do {
          const page = await store.listEvents(workspaceId, { limit: 10, cursor, maxDataBytes: 250 });
          pages.push(page.data.map((one) => one.id));
          cursor = page.nextCursor ?? undefined;
        } while (cursor !== undefined);
        // Each page starts its last event before 250 bytes: 100 + 100 + 100, then the big one alone, then 100 + 100.
        expect(pages).toEqual([['evt-5', 'evt-4', 'evt-3'], ['evt-2'], ['evt-1', 'evt-0']]);
        expect(
          (await store.listEvents(workspaceId, { limit: 2, maxDataBytes: 10_000 })).data.map((one) => one.id),
        ).toEqual(['evt-5', 'evt-4']);
      });

      it('refuses a repeated event id or idempotency key with UniqueViolation and stores nothing of it', async () => {
        const {
          workspaceId,
          webhooks: [hook],
        } = await seed(store, {});
        await store.insertEventWithDeliveries(event(workspaceId, { id: 'evt-a', idempotencyKey: 'k' }), [
          { id: newId('dlv'), webhookId: hook!.id, nextAttemptAt: T0 },
        ]);
        await expect(
          store.insertEventWithDeliveries(event(workspaceId, { id: 'evt-a' }), [
            { id: newId('dlv'), webhookId: hook!.id, nextAttemptAt: T0 },
          ]),
        ).rejects.toBeInstanceOf(UniqueViolation);
        await expect(
          store.insertEventWithDeliveries(event(workspaceId, { id: 'evt-b', idempotencyKey: 'k' }), [
            { id: newId('dlv'), webhookId: hook!.id, nextAttemptAt: T0 },
          ]),
        ).rejects.toBeInstanceOf(UniqueViolation);
        expect(await store.findEvent(workspaceId, 'evt-b')).toBeUndefined();
        expect((await store.listDeliveries(workspaceId, { webhookId: hook!.id }, { limit: 10 })).data).toHaveLength(1);
        // The same id in another workspace is another event.
        const other = await seed(store, {});
        expect(
          (await store.insertEventWithDeliveries(event(other.workspaceId, { id: 'evt-a', idempotencyKey: 'k' }), []))
            .made,
        ).toBe(0);
      });

      it('takes publishes made at the same time each on its own: one repeated id or key fails alone', async () => {
        const {
          workspaceId,
          webhooks: [hook],
        } = await seed(store, {});
        const publish = (id: string, key: string | null) =>
          store
            .insertEventWithDeliveries(event(workspaceId, { id, idempotencyKey: key }), [
              { id: newId('dlv'), webhookId: hook!.id, nextAttemptAt: T0 },
            ])
            .then(
              (stored) => stored.made,
              (error: unknown) => (error instanceof UniqueViolation ? 'duplicate' : error),
            );
        const outcomes = await Promise.all([
          publish('a', null),
          publish('b', 'k'),
          publish('a', null),
          publish('c', 'k'),
          publish('d', null),
        ]);
        expect(outcomes).toEqual([1, 1, 'duplicate', 'duplicate', 1]);
        expect((await store.listEvents(workspaceId, { limit: 10 })).data.map((one) => one.id).sort()).toEqual([
          'a',
          'b',
          'd',
        ]);
        expect((await store.listDeliveries(workspaceId, { webhookId: hook!.id }, { limit: 10 })).data).toHaveLength(3);
      });

      it('skips a webhook deleted since matching and stores the number of deliveries really made', async () => {
        const {
          workspaceId,
          webhooks: [hook],
        } = await seed(store, {});
        const { made } = await store.insertEventWithDeliveries(event(workspaceId, { id: 'evt-1', deliveryCount: 2 }), [
          { id: newId('dlv'), webhookId: hook!.id, nextAttemptAt: T0 },
          { id: newId('dlv'), webhookId: newId('wh'), nextAttemptAt: T0 },
        ]);
        expect(made).toBe(1);
        expect((await store.findEvent(workspaceId, 'evt-1'))?.deliveryCount).toBe(1);
      });

      it('makes deliveries already leased: no claim takes them while the lease holds, and the holder records them', async () => {
        const {
          workspaceId,
          webhooks: [first, second, third],
        } = await seed(store, {}, {}, {});
        const [sent, kept, queued] = [newId('dlv'), newId('dlv'), newId('dlv')];
        const stored = await store.insertEventWithDeliveries(event(workspaceId, { id: 'evt-1' }), [
          { id: sent, webhookId: first!.id, nextAttemptAt: at(60_000), leaseToken: 'fresh' },
          { id: kept, webhookId: second!.id, nextAttemptAt: at(60_000), leaseToken: 'fresh' },
          { id: queued, webhookId: third!.id, nextAttemptAt: T0 },
          // Deleted since matching: made neither leased nor at all.
          { id: newId('dlv'), webhookId: newId('wh'), nextAttemptAt: at(60_000), leaseToken: 'fresh' },
        ]);
        expect(stored.made).toBe(3);
        expect(Object.keys(stored.leasedSeqs).sort()).toEqual([sent, kept].sort());
        expect(await store.getDelivery(workspaceId, sent)).toMatchObject({
          status: 'pending',
          inFlight: true,
          nextAttemptAt: at(60_000),
        });
        expect((await claim(store, { leaseMs: 600_000 })).map((one) => one.id)).toEqual([queued]);

        const [eventRecord] = (await store.listEvents(workspaceId, { limit: 1 })).data;
        const held = {
          seq: stored.leasedSeqs[sent]!,
          id: sent,
          leaseToken: 'fresh',
          kind: 'event' as const,
          roundFailures: 0,
          webhook: first!,
          event: eventRecord!,
        };
        await store.recordAttempts([attemptRecord(held, { status: 'success' })], at(1));
        expect(await store.getDelivery(workspaceId, sent)).toMatchObject({
          status: 'success',
          attempts: 1,
          inFlight: false,
        });
        // The one never recorded is due again once its lease has run out, like any claim's.
        expect((await claim(store, { now: at(60_000) })).map((one) => one.id)).toEqual([kept]);
      });
    });

    describe('claims', () => {
      it('claims due deliveries only, earliest first, with their event and webhook, up to the limit', async () => {
        const {
          workspaceId,
          webhooks: [hook],
        } = await seed(store, {});
        const [late] = await publishTo(store, workspaceId, hook!.id, 1, at(5_000));
        const [early] = await publishTo(store, workspaceId, hook!.id, 1, at(-1_000));
        const [now] = await publishTo(store, workspaceId, hook!.id, 1, T0);
        const claimed = await claim(store, { limit: 1, leaseToken: 'token-1' });
        expect(claimed.map((one) => one.id)).toEqual([early]);
        expect(claimed[0]).toMatchObject({ leaseToken: 'token-1', kind: 'event', roundFailures: 0 });
        expect(opened(claimed[0]!.webhook)).toMatchObject(hook!);
        expect(claimed[0]!.event.dataJson).toBe('{"z":1,"a":[1,2,{"k":"v"}],"n":null}');
        expect((await claim(store)).map((one) => one.id)).toEqual([now]);
        expect(await claim(store)).toEqual([]);
        expect((await claim(store, { now: at(5_000) })).map((one) => one.id)).toEqual([late]);
      });

      it("holds a claim for its lease, then lets another claim take it, and drops the first holder's record", async () => {
        const {
          workspaceId,
          webhooks: [hook],
        } = await seed(store, {});
        const [id] = await publishTo(store, workspaceId, hook!.id, 1);
        const [first] = await claim(store, { leaseMs: 30_000, leaseToken: 'first' });
        expect((await store.getDelivery(workspaceId, id!))?.inFlight).toBe(true);
        expect(await claim(store, { now: at(29_999) })).toEqual([]);
        const [second] = await claim(store, { now: at(30_000), leaseToken: 'second' });
        expect(second?.id).toBe(id);
        // The first holder's late result is dropped; the second's is written.
        await store.recordAttempts([attemptRecord(first!, { status: 'success' })], at(30_001));
        expect(await store.getDelivery(workspaceId, id!)).toMatchObject({
          status: 'pending',
          attempts: 0,
          inFlight: true,
        });
        await store.recordAttempts([attemptRecord(second!, { status: 'success', at: at(30_002) })], at(30_003));
        expect(await store.getDelivery(workspaceId, id!)).toMatchObject({
          status: 'success',
          attempts: 1,
          inFlight: false,
          nextAttemptAt: null,
          lastResponseStatus: 200,
          updatedAt: at(30_003),
        });
        expect(
          (await store.listAttempts(workspaceId, id!, { limit: 10 })).data.map((attempt) => attempt.attemptedAt),
        ).toEqual([at(30_002)]);
      });

      it('takes no more of one webhook than its room, and none of an excluded, paused or disabled webhook', async () => {
        const {
          workspaceId,
          webhooks: [busy, roomy, excluded, paused, disabled],
        } = await seed(store, {}, {}, {}, { active: false }, { status: 'disabled' });
        for (const hook of [busy, roomy, excluded, paused, disabled]) await publishTo(store, workspaceId, hook!.id, 4);
        const claimed = await claim(store, {
          perWebhookLimit: 3,
          roomByWebhook: { [busy!.id]: 1 },
          excludeWebhookIds: [excluded!.id],
        });
        const count = (id: string) => claimed.filter((one) => one.webhook.id === id).length;
        expect([
          count(busy!.id),
          count(roomy!.id),
          count(excluded!.id),
          count(paused!.id),
          count(disabled!.id),
        ]).toEqual([1, 3, 0, 0, 0]);
      });

      it("sends a FIFO webhook's deliveries one at a time in order; a test delivery stands outside the line", async () => {
        const {
          workspaceId,
          webhooks: [fifo],
        } = await seed(store, { ordering: 'fifo' });
        const ids = await publishTo(store, workspaceId, fifo!.id, 3);
        const [test] = await publishTo(store, workspaceId, fifo!.id, 1, T0, 'test');
        const first = await claim(store);
        expect(first.map((one) => one.id).sort()).toEqual([ids[0], test].sort());
        expect(await claim(store)).toEqual([]);
        // A retry keeps its place at the head of the line: the one behind waits for it.
        const head = first.find((one) => one.id === ids[0])!;
        await store.recordAttempts([attemptRecord(head, { status: 'pending', nextAttemptAt: at(1_000) })], T0);
        expect(await claim(store)).toEqual([]);
        const [retried] = await claim(store, { now: at(1_000) });
        expect(retried?.id).toBe(ids[0]);
        await store.recordAttempts([attemptRecord(retried!, { status: 'success' })], at(1_000));
        expect((await claim(store, { now: at(1_000) })).map((one) => one.id)).toEqual([ids[1]]);
      });

      it('never hands one delivery to two claims made at the same time', async () => {
        const { workspaceId, webhooks } = await seed(store, {}, {}, { ordering: 'fifo' });
        for (const hook of webhooks) await publishTo(store, workspaceId, hook.id, 20);
        const claims = await Promise.all([0, 1, 2, 3].map((i) => claim(store, { limit: 15, leaseToken: `t${i}` })));
        // What the racing claims left (rows one of them had locked are skipped by the others, not waited for).
        claims.push(await claim(store, { leaseToken: 'after' }));
        const ids = claims.flat().map((one) => one.id);
        expect(new Set(ids).size).toBe(ids.length);
        // Every plain delivery was taken once, and only the head of the FIFO webhook's line.
        expect(ids).toHaveLength(41);
        expect(claims.flat().filter((one) => one.webhook.id === webhooks[2]!.id)).toHaveLength(1);
      });

      it('claims one delivery by id, due or not, unless it is held', async () => {
        const {
          workspaceId,
          webhooks: [hook],
        } = await seed(store, {});
        const [id] = await publishTo(store, workspaceId, hook!.id, 1, at(60_000));
        const byId = { workspaceId, id: id!, now: T0, leaseMs: 10_000, leaseToken: 'mine' };
        expect(await store.claimDelivery({ ...byId, workspaceId: newId('ws') })).toBeUndefined();
        const claimedById = await store.claimDelivery(byId);
        expect(claimedById).toMatchObject({ id, leaseToken: 'mine' });
        expect(opened(claimedById!.webhook)).toMatchObject(hook!);
        expect(await store.claimDelivery({ ...byId, leaseToken: 'other' })).toBeUndefined();
      });
    });

    describe('attempts and their outcome', () => {
      it('writes the delivery\'s new state, the attempt, and a webhook status change, but never undoes "disabled"', async () => {
        const {
          workspaceId,
          webhooks: [hook],
        } = await seed(store, {});
        const [id] = await publishTo(store, workspaceId, hook!.id, 1);
        const [claimed] = await claim(store);
        await store.recordAttempts(
          [attemptRecord(claimed!, { status: 'pending', nextAttemptAt: at(5_000), webhookStatus: 'failing' })],
          at(1),
        );
        expect(await store.getDelivery(workspaceId, id!)).toMatchObject({
          status: 'pending',
          attempts: 1,
          nextAttemptAt: at(5_000),
          inFlight: false,
          lastResponseStatus: 503,
          lastResponseMs: 12,
          lastError: 'HTTP 503',
        });
        expect((await store.getWebhook(workspaceId, hook!.id))?.status).toBe('failing');
        const [attempt] = (await store.listAttempts(workspaceId, id!, { limit: 1 })).data;
        expect(attempt).toEqual({
          deliveryId: id,
          attemptedAt: T0,
          durationMs: 12,
          requestHeaders: { 'content-type': 'application/json', 'webhook-id': id },
          responseStatus: 503,
          responseHeaders: { 'x-b': '2', 'x-a': '1' },
          responseBody: 'busy',
          error: 'HTTP 503',
        });
        expect(Object.keys(attempt!.responseHeaders!)).toEqual(['x-b', 'x-a']);

        await store.updateWebhook(workspaceId, hook!.id, { status: 'disabled', updatedAt: at(2) });
        const [again] = await claim(store, { now: at(5_000) });
        expect(again).toBeUndefined();
        await store.updateWebhook(workspaceId, hook!.id, { status: 'failing', updatedAt: at(3) });
        const [third] = await claim(store, { now: at(5_000) });
        await store.updateWebhook(workspaceId, hook!.id, { status: 'disabled', updatedAt: at(4) });
        await store.recordAttempts([attemptRecord(third!, { status: 'success', webhookStatus: 'healthy' })], at(5_001));
        expect((await store.getWebhook(workspaceId, hook!.id))?.status).toBe('disabled');
        expect(await store.getDelivery(workspaceId, id!)).toMatchObject({ status: 'success', attempts: 2 });
      });

      it('writes a batch of records at once, each under its own lease', async () => {
        const {
          workspaceId,
          webhooks: [hook],
        } = await seed(store, {});
        await publishTo(store, workspaceId, hook!.id, 3);
        const claimed = await claim(store);
        const stale = { ...claimed[2]!, leaseToken: 'not-the-lease' };
        await store.recordAttempts(
          [
            attemptRecord(claimed[0]!, { status: 'success' }),
            attemptRecord(claimed[1]!, { status: 'failed' }),
            attemptRecord(stale, { status: 'success' }),
          ],
          at(1),
        );
        const statuses = await Promise.all(
          claimed.map(async (one) => (await store.getDelivery(workspaceId, one.id))?.status),
        );
        expect(statuses).toEqual(['success', 'failed', 'pending']);
      });

      it('pages attempts oldest first', async () => {
        const {
          workspaceId,
          webhooks: [hook],
        } = await seed(store, { retry: { schedule: ['1s', '1s', '1s'], retryOn4xx: true } });
        const [id] = await publishTo(store, workspaceId, hook!.id, 1);
        for (let i = 0; i < 3; i++) {
          const [claimed] = await claim(store, { now: at(i * 1_000) });
          await store.recordAttempts(
            [attemptRecord(claimed!, { status: 'pending', nextAttemptAt: at((i + 1) * 1_000), at: at(i * 1_000) })],
            at(i * 1_000),
          );
        }
        const first = await store.listAttempts(workspaceId, id!, { limit: 2 });
        expect(first.data.map((attempt) => attempt.attemptedAt)).toEqual([at(0), at(1_000)]);
        const second = await store.listAttempts(workspaceId, id!, { limit: 2, cursor: first.nextCursor! });
        expect(second.data.map((attempt) => attempt.attemptedAt)).toEqual([at(2_000)]);
        expect(second.nextCursor).toBeNull();
        expect((await store.listAttempts(newId('ws'), id!, { limit: 2 })).data).toEqual([]);
      });
    });

    describe('hand-backs and restarts', () => {
      it('hands claims back due at once, only under their own lease', async () => {
        const {
          workspaceId,
          webhooks: [hook],
        } = await seed(store, {});
        const [id] = await publishTo(store, workspaceId, hook!.id, 1);
        const [claimed] = await claim(store, { leaseMs: 60_000 });
        await store.releaseDeliveries([{ seq: claimed!.seq, leaseToken: 'someone-else' }], at(10));
        expect((await store.getDelivery(workspaceId, id!))?.inFlight).toBe(true);
        await store.releaseDeliveries([claimed!], at(10));
        expect(await store.getDelivery(workspaceId, id!)).toMatchObject({
          inFlight: false,
          nextAttemptAt: at(10),
          status: 'pending',
        });
        expect((await claim(store, { now: at(10) })).map((one) => one.id)).toEqual([id]);
        expect(await store.releaseAllLeases(at(20))).toBe(1);
        expect(await store.getDelivery(workspaceId, id!)).toMatchObject({ inFlight: false, nextAttemptAt: at(20) });
      });

      it('restarts one delivery unless a live lease holds it, or every failed one of a webhook since a time', async () => {
        const {
          workspaceId,
          webhooks: [hook],
        } = await seed(store, {});
        const [id] = await publishTo(store, workspaceId, hook!.id, 1);
        const [claimed] = await claim(store, { leaseMs: 60_000 });
        expect(await store.restartDeliveries(workspaceId, { deliveryId: id! }, at(1))).toBe(0);
        await store.recordAttempts([attemptRecord(claimed!, { status: 'failed' })], at(2));
        expect(await store.restartDeliveries(workspaceId, { deliveryId: id! }, at(3))).toBe(1);
        expect(await store.getDelivery(workspaceId, id!)).toMatchObject({
          status: 'pending',
          nextAttemptAt: at(3),
          updatedAt: at(3),
          attempts: 1,
        });
        const [again] = await claim(store, { now: at(3) });
        expect(again?.roundFailures).toBe(0);
        await store.recordAttempts([attemptRecord(again!, { status: 'failed' })], at(4));
        expect(await store.restartDeliveries(workspaceId, { webhookId: hook!.id, failedSince: at(1) }, at(5))).toBe(0);
        expect(await store.restartDeliveries(workspaceId, { webhookId: hook!.id, failedSince: T0 }, at(5))).toBe(1);
        expect(await store.restartDeliveries(workspaceId, { webhookId: hook!.id, failedSince: undefined }, at(6))).toBe(
          0,
        );
        expect(await store.restartDeliveries(newId('ws'), { deliveryId: id! }, at(6))).toBe(0);
      });
    });

    describe('the delivery log', () => {
      it("lists a webhook's deliveries newest first, by status and event type", async () => {
        const {
          workspaceId,
          webhooks: [hook, other],
        } = await seed(store, {}, {});
        const ids: string[] = [];
        for (const type of ['a.one', 'b.two', 'a.one']) {
          const id = newId('dlv');
          await store.insertEventWithDeliveries(event(workspaceId, { type }), [
            { id, webhookId: hook!.id, nextAttemptAt: T0 },
            { id: newId('dlv'), webhookId: other!.id, nextAttemptAt: T0 },
          ]);
          ids.push(id);
        }
        const [firstClaim] = (await claim(store)).filter((one) => one.id === ids[0]);
        await store.recordAttempts([attemptRecord(firstClaim!, { status: 'success' })], at(1));
        const page = await store.listDeliveries(workspaceId, { webhookId: hook!.id }, { limit: 2 });
        expect(page.data.map((one) => one.id)).toEqual([ids[2], ids[1]]);
        expect(
          (
            await store.listDeliveries(workspaceId, { webhookId: hook!.id }, { limit: 2, cursor: page.nextCursor! })
          ).data.map((one) => one.id),
        ).toEqual([ids[0]]);
        expect(
          (await store.listDeliveries(workspaceId, { webhookId: hook!.id, status: 'success' }, { limit: 10 })).data.map(
            (one) => one.id,
          ),
        ).toEqual([ids[0]]);
        expect(
          (
            await store.listDeliveries(workspaceId, { webhookId: hook!.id, eventType: 'a.one' }, { limit: 10 })
          ).data.map((one) => one.id),
        ).toEqual([ids[2], ids[0]]);
        expect(await store.getDelivery(workspaceId, ids[1]!)).toMatchObject({
          id: ids[1],
          workspaceId,
          webhookId: hook!.id,
          eventType: 'b.two',
          status: 'pending',
          attempts: 0,
          createdAt: T0,
        });
        expect(await store.getDelivery(newId('ws'), ids[1]!)).toBeUndefined();
      });
    });

    describe('when work comes due', () => {
      it('names the earliest due time among webhooks a claim could take', async () => {
        const {
          workspaceId,
          webhooks: [hook, excluded, paused],
        } = await seed(store, {}, {}, { active: false });
        expect(await store.nextDueAt([])).toBeUndefined();
        await publishTo(store, workspaceId, hook!.id, 1, at(9_000));
        await publishTo(store, workspaceId, excluded!.id, 1, at(2_000));
        await publishTo(store, workspaceId, paused!.id, 1, at(1_000));
        expect(await store.nextDueAt([])).toEqual(at(2_000));
        expect(await store.nextDueAt([excluded!.id])).toEqual(at(9_000));
      });

      it('tells watchers in other processes of a publish with deliveries due, or has nothing to watch in a single-process store', async () => {
        const woken: number[] = [];
        const problems: Error[] = [];
        const unsubscribe = await store.watchDueWork(
          () => woken.push(Date.now()),
          (error) => problems.push(error),
        );
        try {
          const {
            workspaceId,
            webhooks: [hook],
          } = await seed(store, {});
          // Made leased to the publishing process's worker: no other worker could claim it, so none is woken.
          await store.insertEventWithDeliveries(event(workspaceId), [
            { id: newId('dlv'), webhookId: hook!.id, nextAttemptAt: at(60_000), leaseToken: 'fresh' },
          ]);
          await publishTo(store, workspaceId, hook!.id, 1);
          if (store.capabilities.singleProcess) expect(woken).toEqual([]);
          else {
            // Notifications arrive in commit order: one from the leased publish would come with or before this one.
            await expect.poll(() => woken.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
            await new Promise((resolve) => setTimeout(resolve, 300));
            expect(woken).toHaveLength(1);
          }
          expect(problems).toEqual([]);
        } finally {
          await unsubscribe();
        }
      });
    });
  });
}
