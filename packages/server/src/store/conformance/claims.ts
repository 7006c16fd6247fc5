// The Store contract on claims, attempts and hand-backs: registered for each engine by runStoreConformance (store-conformance.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../domain/ids.js';
import type { Webhook } from '../../domain/webhook.js';
import type { Store } from '../store.js';
import { at, attemptRecord, claim, publishTo, seed, T0 } from './fixtures.js';
import type { StoreUnderTest } from './store-under-test.js';

/** A workspace with one webhook (made with `overrides`) and one delivery to it, due at T0. */
async function oneDelivery(
  store: Store,
  overrides: Partial<Webhook> = {},
): Promise<{ workspaceId: string; hook: Webhook; id: string }> {
  const {
    workspaceId,
    webhooks: [hook],
  } = await seed(store, overrides);
  const [id] = await publishTo(store, workspaceId, hook!.id, 1);
  return { workspaceId, hook: hook!, id: id! };
}

export function claimConformance(t: StoreUnderTest): void {
  let store: Store;
  let opened: (webhook: Webhook) => Webhook;
  beforeEach(() => {
    ({ store, opened } = t);
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
      expect(claimed[0]).toMatchObject({ leaseToken: 'token-1', kind: 'event', roundFailures: 0, attempts: 0 });
      expect(opened(claimed[0]!.webhook)).toMatchObject(hook!);
      expect(claimed[0]!.event.dataJson).toBe('{"z":1,"a":[1,2,{"k":"v"}],"n":null}');
      expect((await claim(store)).map((one) => one.id)).toEqual([now]);
      expect(await claim(store)).toEqual([]);
      expect((await claim(store, { now: at(5_000) })).map((one) => one.id)).toEqual([late]);
    });

    it("holds a claim for its lease, then lets another claim take it, and drops the first holder's record", async () => {
      const { workspaceId, id } = await oneDelivery(store);
      const [first] = await claim(store, { leaseMs: 30_000, leaseToken: 'first' });
      expect((await store.getDelivery(workspaceId, id))?.inFlight).toBe(true);
      expect(await claim(store, { now: at(29_999) })).toEqual([]);
      const [second] = await claim(store, { now: at(30_000), leaseToken: 'second' });
      expect(second?.id).toBe(id);
      // The first holder's late result is dropped; the second's is written.
      await store.recordAttempts([attemptRecord(first!, { status: 'success' })], at(30_001));
      expect(await store.getDelivery(workspaceId, id)).toMatchObject({
        status: 'pending',
        attempts: 0,
        inFlight: true,
      });
      await store.recordAttempts([attemptRecord(second!, { status: 'success', at: at(30_002) })], at(30_003));
      expect(await store.getDelivery(workspaceId, id)).toMatchObject({
        status: 'success',
        attempts: 1,
        inFlight: false,
        nextAttemptAt: null,
        lastResponseStatus: 200,
        updatedAt: at(30_003),
      });
      expect(
        (await store.listAttempts(workspaceId, id, { limit: 10 })).data.map((attempt) => attempt.attemptedAt),
      ).toEqual([at(30_002)]);
    });

    it("drops the first holder's record when both holders' records come in one batch", async () => {
      const { workspaceId, id } = await oneDelivery(store);
      const [first] = await claim(store, { leaseMs: 30_000, leaseToken: 'first' });
      const [second] = await claim(store, { now: at(30_000), leaseToken: 'second' });
      await store.recordAttempts(
        [
          attemptRecord(first!, { status: 'success', at: at(30_001) }),
          attemptRecord(second!, { status: 'success', at: at(30_002) }),
        ],
        at(30_003),
      );
      expect(await store.getDelivery(workspaceId, id)).toMatchObject({ status: 'success', attempts: 1 });
      expect(
        (await store.listAttempts(workspaceId, id, { limit: 10 })).data.map((attempt) => attempt.attemptedAt),
      ).toEqual([at(30_002)]);
      const [counts] = await store.listHourlyCounts(workspaceId, [second!.webhook.id], new Date(0));
      expect(counts).toMatchObject({ succeeded: 1, failed: 0 });
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
      expect([count(busy!.id), count(roomy!.id), count(excluded!.id), count(paused!.id), count(disabled!.id)]).toEqual([
        1, 3, 0, 0, 0,
      ]);
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
  });

  describe('attempts and their outcome', () => {
    it('writes the delivery\'s new state, the attempt, and a webhook status change, but never undoes "disabled"', async () => {
      const { workspaceId, hook, id } = await oneDelivery(store);
      const [claimed] = await claim(store);
      await store.recordAttempts(
        [attemptRecord(claimed!, { status: 'pending', nextAttemptAt: at(5_000), webhookStatus: 'failing' })],
        at(1),
      );
      expect(await store.getDelivery(workspaceId, id)).toMatchObject({
        status: 'pending',
        attempts: 1,
        nextAttemptAt: at(5_000),
        inFlight: false,
        lastResponseStatus: 503,
        lastResponseMs: 12,
        lastError: 'HTTP 503',
      });
      expect((await store.getWebhook(workspaceId, hook.id))?.status).toBe('failing');
      const [attempt] = (await store.listAttempts(workspaceId, id, { limit: 1 })).data;
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

      await store.updateWebhook(workspaceId, hook.id, { status: 'disabled', updatedAt: at(2) });
      const [again] = await claim(store, { now: at(5_000) });
      expect(again).toBeUndefined();
      await store.updateWebhook(workspaceId, hook.id, { status: 'failing', updatedAt: at(3) });
      const [third] = await claim(store, { now: at(5_000) });
      await store.updateWebhook(workspaceId, hook.id, { status: 'disabled', updatedAt: at(4) });
      await store.recordAttempts([attemptRecord(third!, { status: 'success', webhookStatus: 'healthy' })], at(5_001));
      expect((await store.getWebhook(workspaceId, hook.id))?.status).toBe('disabled');
      expect(await store.getDelivery(workspaceId, id)).toMatchObject({ status: 'success', attempts: 2 });
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
      const { workspaceId, id } = await oneDelivery(store, {
        retry: { schedule: ['1s', '1s', '1s'], retryOn4xx: true },
      });
      for (let i = 0; i < 3; i++) {
        const [claimed] = await claim(store, { now: at(i * 1_000) });
        await store.recordAttempts(
          [attemptRecord(claimed!, { status: 'pending', nextAttemptAt: at((i + 1) * 1_000), at: at(i * 1_000) })],
          at(i * 1_000),
        );
      }
      const first = await store.listAttempts(workspaceId, id, { limit: 2 });
      expect(first.data.map((attempt) => attempt.attemptedAt)).toEqual([at(0), at(1_000)]);
      const second = await store.listAttempts(workspaceId, id, { limit: 2, cursor: first.nextCursor! });
      expect(second.data.map((attempt) => attempt.attemptedAt)).toEqual([at(2_000)]);
      expect(second.nextCursor).toBeNull();
      expect((await store.listAttempts(newId('ws'), id, { limit: 2 })).data).toEqual([]);
    });
  });

  describe('hand-backs and restarts', () => {
    it('hands claims back due at once, only under their own lease', async () => {
      const { workspaceId, id } = await oneDelivery(store);
      const [claimed] = await claim(store, { leaseMs: 60_000 });
      await store.releaseDeliveries([{ seq: claimed!.seq, leaseToken: 'someone-else' }], at(10));
      expect((await store.getDelivery(workspaceId, id))?.inFlight).toBe(true);
      await store.releaseDeliveries([claimed!], at(10));
      expect(await store.getDelivery(workspaceId, id)).toMatchObject({
        inFlight: false,
        nextAttemptAt: at(10),
        status: 'pending',
      });
      expect((await claim(store, { now: at(10) })).map((one) => one.id)).toEqual([id]);
      expect(await store.releaseAllLeases(at(20))).toBe(1);
      expect(await store.getDelivery(workspaceId, id)).toMatchObject({ inFlight: false, nextAttemptAt: at(20) });
    });

    it('restarts one delivery unless a live lease holds it, or every failed one of a webhook since a time', async () => {
      const { workspaceId, hook, id } = await oneDelivery(store);
      const [claimed] = await claim(store, { leaseMs: 60_000 });
      expect(await store.restartDeliveries(workspaceId, { deliveryId: id }, at(1))).toBe(0);
      await store.recordAttempts([attemptRecord(claimed!, { status: 'failed' })], at(2));
      expect(await store.restartDeliveries(workspaceId, { deliveryId: id }, at(3))).toBe(1);
      expect(await store.getDelivery(workspaceId, id)).toMatchObject({
        status: 'pending',
        nextAttemptAt: at(3),
        updatedAt: at(3),
        attempts: 1,
      });
      const [again] = await claim(store, { now: at(3) });
      // A new round: no failures in it yet, but the attempts of the earlier one still count (traces number them).
      expect(again).toMatchObject({ roundFailures: 0, attempts: 1 });
      await store.recordAttempts([attemptRecord(again!, { status: 'failed' })], at(4));
      expect(await store.restartDeliveries(workspaceId, { webhookId: hook.id, failedSince: at(1) }, at(5))).toBe(0);
      expect(await store.restartDeliveries(workspaceId, { webhookId: hook.id, failedSince: T0 }, at(5))).toBe(1);
      expect(await store.restartDeliveries(workspaceId, { webhookId: hook.id, failedSince: undefined }, at(6))).toBe(0);
      expect(await store.restartDeliveries(newId('ws'), { deliveryId: id }, at(6))).toBe(0);
    });
  });
}
