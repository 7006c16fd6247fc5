// The Store contract on the delivery log and when work comes due: registered for each engine by runStoreConformance (store-conformance.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../domain/ids.js';
import type { Store } from '../store.js';
import { at, attemptRecord, claim, event, publishTo, seed, T0 } from './fixtures.js';
import { eventually } from '../../../test/support/eventually.js';
import type { StoreUnderTest } from './store-under-test.js';

export function deliveryLogConformance(t: StoreUnderTest): void {
  let store: Store;
  beforeEach(() => {
    ({ store } = t);
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
        (await store.listDeliveries(workspaceId, { webhookId: hook!.id, eventType: 'a.one' }, { limit: 10 })).data.map(
          (one) => one.id,
        ),
      ).toEqual([ids[2], ids[0]]);
      expect(
        (
          await store.listDeliveries(
            workspaceId,
            { webhookId: hook!.id, status: 'pending', eventType: 'a.one' },
            { limit: 10 },
          )
        ).data.map((one) => one.id),
      ).toEqual([ids[2]]);
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

  describe('the delivery log by event id', () => {
    it("finds an event's delivery to this webhook, only with the other filters it meets, and pages by cursor", async () => {
      const {
        workspaceId,
        webhooks: [hook, other],
      } = await seed(store, {}, {});
      const published = event(workspaceId, { type: 'a.one' });
      const mine = newId('dlv');
      await store.insertEventWithDeliveries(published, [
        { id: mine, webhookId: hook!.id, nextAttemptAt: T0 },
        { id: newId('dlv'), webhookId: other!.id, nextAttemptAt: T0 },
      ]);
      await publishTo(store, workspaceId, hook!.id, 3);
      const list = (filter: { status?: 'failed' | 'pending'; eventType?: string; eventId?: string }, cursor?: string) =>
        store.listDeliveries(workspaceId, { webhookId: hook!.id, ...filter }, { limit: 10, cursor });
      const found = await list({ eventId: published.id });
      expect(found).toEqual({ data: [expect.objectContaining({ id: mine, eventId: published.id })], nextCursor: null });
      expect((await list({ eventId: published.id, status: 'pending', eventType: 'a.one' })).data).toHaveLength(1);
      expect((await list({ eventId: published.id, status: 'failed' })).data).toEqual([]);
      expect((await list({ eventId: published.id, eventType: 'b.two' })).data).toEqual([]);
      expect((await list({ eventId: 'msg_nosuchevent' })).data).toEqual([]);
      // Its cursor: only deliveries older than the one it names.
      const newest = (await list({})).data[0]!;
      const olderThanNewest = (await list({ eventId: published.id }, String(Number.MAX_SAFE_INTEGER))).data;
      expect(olderThanNewest.map((one) => one.id)).toEqual([mine]);
      expect(newest.id).not.toBe(mine);
      // Another workspace's event of the same id is not this one's.
      const { workspaceId: otherSpace } = await seed(store, {});
      expect(
        (await store.listDeliveries(otherSpace, { webhookId: hook!.id, eventId: published.id }, { limit: 10 })).data,
      ).toEqual([]);
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
          await eventually(() => expect(woken.length).toBeGreaterThanOrEqual(1), 5_000);
          await new Promise((resolve) => setTimeout(resolve, 300));
          expect(woken).toHaveLength(1);
        }
        expect(problems).toEqual([]);
      } finally {
        await unsubscribe();
      }
    });
  });
}
