// The Store's retention batches, as every engine must pass them: `runRetentionConformance(name, open)` registers them.
import { newId } from '../../domain/ids.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PruneBatchRequest, PruneBatch, Store } from '../store.js';
import { at, attemptRecord, claim, event, publishTo, seed } from './fixtures.js';
import type { FreshStore } from './store-conformance.js';

const DAY = 86_400_000;

/** Walks a table the way the pruner does, in batches of `limit`; answers how many were deleted and in how many. */
async function walk(deleteBatch: (request: PruneBatchRequest) => Promise<PruneBatch>, before: Date, limit: number) {
  let afterSeq = 0;
  let deleted = 0;
  for (let batches = 1; ; batches++) {
    const batch = await deleteBatch({ before, afterSeq, limit });
    deleted += batch.deleted;
    if (batch.reachedRecent) return { deleted, batches };
    expect(batch.lastSeq).toBeGreaterThan(afterSeq);
    afterSeq = batch.lastSeq;
  }
}

/** A delivery of an event published a day after T0, due then. */
async function publishRecent(store: Store, workspaceId: string, webhookId: string): Promise<string> {
  const id = newId('dlv');
  const published = event(workspaceId, { createdAt: at(DAY + 5), timestamp: at(DAY + 5) });
  await store.insertEventWithDeliveries(published, [{ id, webhookId, nextAttemptAt: at(DAY + 5), kind: 'event' }]);
  return id;
}

export function runRetentionConformance(name: string, openFreshStore: () => Promise<FreshStore>): void {
  describe(`Store conformance, retention: ${name}`, () => {
    let fresh: FreshStore;
    let store: Store;
    beforeEach(async () => {
      fresh = await openFreshStore();
      store = fresh.store;
    });
    afterEach(async () => {
      await fresh.dispose();
    });

    it('deletes finished deliveries, their attempts and their events once old; keeps due, in-flight and recent ones', async () => {
      const { workspaceId, webhooks } = await seed(store, {});
      const hookId = webhooks[0]!.id;
      const [succeeded, failed, due, inFlight] = await publishTo(store, workspaceId, hookId, 4);
      const keyed = event(workspaceId, { idempotencyKey: 'order-1' });
      await store.insertEventWithDeliveries(keyed, []);
      const claimed = await claim(store, { limit: 3 });
      const byId = new Map(claimed.map((one) => [one.id, one]));
      await store.recordAttempts(
        [
          attemptRecord(byId.get(succeeded!)!, { status: 'success' }),
          attemptRecord(byId.get(failed!)!, { status: 'failed' }),
        ],
        at(1),
      );
      // `due` was claimed too: an attempt that failed and is retried later is pending, due again.
      await store.recordAttempts(
        [attemptRecord(byId.get(due!)!, { status: 'pending', nextAttemptAt: at(60_000) })],
        at(1),
      );
      const inFlightClaim = await claim(store, { now: at(2), limit: 1 });
      expect(inFlightClaim.map((one) => one.id)).toEqual([inFlight]);
      // Published a day later: recent at the cutoff below.
      const recent = await publishRecent(store, workspaceId, hookId);
      const recentEvent = event(workspaceId, { createdAt: at(DAY + 5), timestamp: at(DAY + 5) });
      await store.insertEventWithDeliveries(recentEvent, []);
      const eventOf = async (id: string) => (await store.getDelivery(workspaceId, id))!.eventId;
      const events = await Promise.all([succeeded, failed, due, inFlight].map((id) => eventOf(id!)));

      const before = at(DAY);
      expect((await walk((request) => store.deleteFinishedDeliveries(request), before, 2)).deleted).toBe(2);
      expect(await store.getDelivery(workspaceId, succeeded!)).toBeUndefined();
      expect(await store.getDelivery(workspaceId, failed!)).toBeUndefined();
      expect((await store.listAttempts(workspaceId, succeeded!, { limit: 10 })).data).toEqual([]);
      expect((await store.getDelivery(workspaceId, due!))?.status).toBe('pending');
      expect((await store.listAttempts(workspaceId, due!, { limit: 10 })).data).toHaveLength(1);
      expect((await store.getDelivery(workspaceId, inFlight!))?.status).toBe('pending');
      expect(await store.getDelivery(workspaceId, recent)).toBeDefined();

      // The two events whose deliveries went, and the old one that never had any (with its idempotency key).
      expect((await walk((request) => store.deleteEventsWithoutDeliveries(request), before, 2)).deleted).toBe(3);
      expect(await store.findEvent(workspaceId, events[0]!)).toBeUndefined();
      expect(await store.findEvent(workspaceId, events[1]!)).toBeUndefined();
      expect(await store.findEventByIdempotencyKey(workspaceId, 'order-1')).toBeUndefined();
      expect(await store.findEvent(workspaceId, events[2]!)).toBeDefined();
      expect(await store.findEvent(workspaceId, events[3]!)).toBeDefined();
      expect(await store.findEvent(workspaceId, recentEvent.id)).toBeDefined();
      // The key can be used again once its event is gone.
      await store.insertEventWithDeliveries(event(workspaceId, { idempotencyKey: 'order-1' }), []);
    });

    it('keeps a delivery restarted since it finished, and stops its walk at the first recent row', async () => {
      const { workspaceId, webhooks } = await seed(store, {});
      const hookId = webhooks[0]!.id;
      const ids = await publishTo(store, workspaceId, hookId, 3);
      const claimed = await claim(store);
      await store.recordAttempts(
        claimed.map((one) => attemptRecord(one, { status: 'failed' })),
        at(1),
      );
      // Redelivered a day and a half later: pending again, and changed since the cutoff.
      expect(await store.restartDeliveries(workspaceId, { deliveryId: ids[0]! }, at(DAY + DAY / 2))).toBe(1);
      await publishRecent(store, workspaceId, hookId);

      const first = await store.deleteFinishedDeliveries({ before: at(DAY), afterSeq: 0, limit: 2 });
      expect(first).toMatchObject({ deleted: 1, reachedRecent: false });
      const second = await store.deleteFinishedDeliveries({ before: at(DAY), afterSeq: first.lastSeq, limit: 2 });
      // Its window holds the third old delivery and the first new one, made after the cutoff.
      expect(second).toMatchObject({ deleted: 1, reachedRecent: true });
      expect((await store.getDelivery(workspaceId, ids[0]!))?.status).toBe('pending');
      expect(await store.getDelivery(workspaceId, ids[2]!)).toBeUndefined();
      const nothingLeft = await store.deleteFinishedDeliveries({ before: at(DAY), afterSeq: 0, limit: 100 });
      expect(nothingLeft).toMatchObject({ deleted: 0, reachedRecent: true });
    });
  });
}
