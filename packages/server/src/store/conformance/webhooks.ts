// The Store contract on webhooks and event types: registered for each engine by runStoreConformance (store-conformance.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../domain/ids.js';
import type { Webhook } from '../../domain/webhook.js';
import { UniqueViolation, type Store, type StoredSecrets } from '../store.js';
import { at, claim, publishTo, seed, T0, webhook } from './fixtures.js';
import type { StoreUnderTest } from './store-under-test.js';

export function webhookConformance(t: StoreUnderTest): void {
  let store: Store;
  let opened: (webhook: Webhook) => Webhook;
  let openedWebhook: StoreUnderTest['openedWebhook'];
  beforeEach(() => {
    ({ store, opened, openedWebhook } = t);
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
      expect(await store.listWebhookIds(workspaceId)).toEqual([third.id, disabled.id, full.id]);
      expect(await store.listWebhookIds(newId('ws'))).toEqual([]);
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
      expect(await store.updateWebhook(newId('ws'), hook!.id, { url: 'https://example.com/x', updatedAt: at(3) })).toBe(
        false,
      );
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
}
