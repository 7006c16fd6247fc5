// The Store contract on auto-disable: the failing clock recordAttempts keeps (failingSince) and the sweep that
// disables webhooks past their limit. Registered for each engine by runStoreConformance (store-conformance.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import type { Webhook } from '../../domain/webhook.js';
import type { Store } from '../store.js';
import { at, attemptRecord, claim, publishTo, T0, webhook, workspace } from './fixtures.js';
import type { StoreUnderTest } from './store-under-test.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Records one attempt per outcome, in order, in one batch, each a minute after the one before (the first at T0 + 1m). */
async function recordOutcomes(store: Store, hook: Webhook, outcomes: ('ok' | 'fail' | 'test-fail')[]): Promise<void> {
  const ids = await publishTo(store, hook.workspaceId, hook.id, outcomes.length);
  const claimed = await claim(store, { limit: outcomes.length });
  const byId = new Map(claimed.map((one) => [one.id, one]));
  const records = outcomes.map((outcome, n) =>
    attemptRecord(byId.get(ids[n]!)!, {
      status: outcome === 'ok' ? 'success' : 'pending',
      nextAttemptAt: outcome === 'ok' ? null : at(HOUR * 24 * 365),
      at: at((n + 1) * MINUTE),
      ...(outcome === 'ok' ? { webhookStatus: 'healthy' as const } : { webhookFailed: outcome === 'fail' }),
    }),
  );
  await store.recordAttempts(records, at(outcomes.length * MINUTE));
}

/** A workspace with this autoDisableAfter, and its webhooks (one per override given), stored. */
async function seedLimited(store: Store, workspaceLimit: string | null, ...overrides: Partial<Webhook>[]) {
  const space = { ...workspace(), autoDisableAfter: workspaceLimit };
  await store.insertWorkspace(space);
  const hooks = overrides.map((each) => webhook(space.id, each));
  for (const hook of hooks) await store.insertWebhook(hook);
  return hooks;
}

export function autoDisableConformance(t: StoreUnderTest): void {
  let store: Store;
  beforeEach(() => {
    ({ store } = t);
  });
  const failingSince = async (hook: Webhook) => (await store.getWebhook(hook.workspaceId, hook.id))!.failingSince;

  describe('the failing clock', () => {
    it('starts at the first failed attempt, keeps running through more, and stops at a success', async () => {
      const [hook] = await seedLimited(store, null, {});
      await recordOutcomes(store, hook!, ['fail']);
      expect(await failingSince(hook!)).toEqual(at(MINUTE));
      await recordOutcomes(store, hook!, ['fail', 'fail']);
      expect(await failingSince(hook!)).toEqual(at(MINUTE));
      await recordOutcomes(store, hook!, ['ok']);
      expect(await failingSince(hook!)).toBeNull();
      expect((await store.getWebhook(hook!.workspaceId, hook!.id))!.status).toBe('healthy');
    });

    it('within one batch, counts from the first failure after the last success', async () => {
      const [a, b, c] = await seedLimited(store, null, {}, {}, {});
      await recordOutcomes(store, a!, ['fail', 'ok', 'fail', 'fail']);
      expect(await failingSince(a!)).toEqual(at(3 * MINUTE));
      await recordOutcomes(store, b!, ['fail', 'fail', 'ok']);
      expect(await failingSince(b!)).toBeNull();
      await recordOutcomes(store, c!, ['ok', 'fail']);
      expect(await failingSince(c!)).toEqual(at(2 * MINUTE));
    });

    it('is not started by a failed "Send test", nor written for a success of a webhook not failing', async () => {
      const [hook] = await seedLimited(store, null, {});
      await recordOutcomes(store, hook!, ['test-fail']);
      expect(await failingSince(hook!)).toBeNull();
      await recordOutcomes(store, hook!, ['ok']);
      const after = (await store.getWebhook(hook!.workspaceId, hook!.id))!;
      expect(after).toMatchObject({ status: 'healthy', failingSince: null, updatedAt: T0 });
    });
  });

  describe('disableLongFailingWebhooks', () => {
    it("disables the webhooks failing for their limit (their own, else the workspace's) and answers exactly those", async () => {
      const [long, short, own, paused, healthy] = await seedLimited(
        store,
        '1h',
        { status: 'failing', failingSince: T0 },
        { failingSince: at(30 * MINUTE) },
        { status: 'failing', failingSince: T0, autoDisableAfter: '1d' },
        { status: 'failing', failingSince: T0, active: false },
        {},
      );
      const disabled = await store.disableLongFailingWebhooks(at(HOUR));
      expect(disabled).toEqual([
        {
          workspaceId: long!.workspaceId,
          webhookId: long!.id,
          previousStatus: 'failing',
          failingSince: T0,
          autoDisableAfter: '1h',
          disabledAt: at(HOUR),
        },
      ]);
      const statusOf = async (hook: Webhook) => (await store.getWebhook(hook.workspaceId, hook.id))!.status;
      expect(await statusOf(long!)).toBe('disabled');
      expect((await store.getWebhook(long!.workspaceId, long!.id))!.updatedAt).toEqual(at(HOUR));
      expect([await statusOf(short!), await statusOf(own!), await statusOf(paused!), await statusOf(healthy!)]).toEqual(
        ['healthy', 'failing', 'failing', 'healthy'],
      );
      expect(await store.disableLongFailingWebhooks(at(HOUR))).toEqual([]);
      const later = await store.disableLongFailingWebhooks(at(24 * HOUR));
      expect(later.map((one) => [one.webhookId, one.previousStatus, one.autoDisableAfter]).sort()).toEqual(
        [
          [short!.id, 'healthy', '1h'],
          [own!.id, 'failing', '1d'],
        ].sort(),
      );
    });

    it('never disables where no limit is set, however long it has failed', async () => {
      const [hook] = await seedLimited(store, null, { status: 'failing', failingSince: T0 });
      expect(await store.disableLongFailingWebhooks(at(365 * 24 * HOUR))).toEqual([]);
      expect((await store.getWebhook(hook!.workspaceId, hook!.id))!.status).toBe('failing');
    });

    it("keeps a disabled webhook's queued deliveries, unclaimed, until it is turned back on", async () => {
      const [hook] = await seedLimited(store, '1h', { status: 'failing', failingSince: T0 });
      const [queued] = await publishTo(store, hook!.workspaceId, hook!.id, 1, at(HOUR));
      expect(await store.disableLongFailingWebhooks(at(HOUR))).toHaveLength(1);
      expect(await claim(store, { now: at(2 * HOUR) })).toEqual([]);
      expect((await store.getDelivery(hook!.workspaceId, queued!))!.status).toBe('pending');
      await store.updateWebhook(hook!.workspaceId, hook!.id, {
        status: 'healthy',
        failingSince: null,
        updatedAt: at(2 * HOUR),
      });
      expect((await claim(store, { now: at(2 * HOUR) })).map((one) => one.id)).toEqual([queued]);
      expect(await store.disableLongFailingWebhooks(at(3 * HOUR))).toEqual([]);
    });

    it('sweeps run at once change each webhook once, and answer it once between them', async () => {
      const hooks = await seedLimited(
        store,
        '1h',
        ...Array.from({ length: 5 }, () => ({ status: 'failing' as const, failingSince: T0 })),
      );
      const sweeps = await Promise.all([1, 2, 3].map(() => store.disableLongFailingWebhooks(at(HOUR))));
      const answered = sweeps.flat().map((one) => one.webhookId);
      // A sweep passes over rows another holds (SKIP LOCKED), so those left are taken by the next round.
      const rest = (await store.disableLongFailingWebhooks(at(HOUR))).map((one) => one.webhookId);
      expect([...answered, ...rest].sort()).toEqual(hooks.map((hook) => hook.id).sort());
    });
  });
}
