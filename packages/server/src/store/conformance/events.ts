// The Store contract on events and their deliveries: registered for each engine by runStoreConformance (store-conformance.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../domain/ids.js';
import { UniqueViolation, type Store } from '../store.js';
import { at, attemptRecord, claim, event, seed, T0 } from './fixtures.js';
import type { StoreUnderTest } from './store-under-test.js';

export function eventConformance(t: StoreUnderTest): void {
  let store: Store;
  beforeEach(() => {
    ({ store } = t);
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
      // Which of two racing publishes wins is the database's choice (on PostgreSQL each runs on its own connection),
      // so the test asserts that exactly one of each pair won, not which.
      const [firstA, keyB, secondA, keyC, plainD] = outcomes;
      expect([firstA, secondA].sort()).toEqual([1, 'duplicate']);
      expect([keyB, keyC].sort()).toEqual([1, 'duplicate']);
      expect(plainD).toBe(1);
      const keyWinner = keyB === 1 ? 'b' : 'c';
      expect((await store.listEvents(workspaceId, { limit: 10 })).data.map((one) => one.id).sort()).toEqual(
        ['a', keyWinner, 'd'].sort(),
      );
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
        attempts: 0,
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
}
