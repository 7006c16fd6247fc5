// The conformance tests of Store.readQueueFigures (what /metrics reads from the database), run inside
// runStoreConformance for every engine.
import { describe, expect, it } from 'vitest';
import type { Store } from '../store.js';
import { at, attemptRecord, claim, publishTo, seed, T0 } from './fixtures.js';

export function describeQueueFigures(currentStore: () => Store): void {
  describe('figures for /metrics', () => {
    it('counts due deliveries of webhooks that deliver, names when the oldest came due, and tallies webhook states', async () => {
      const store = currentStore();
      const none = await store.readQueueFigures(T0);
      expect(none).toEqual({
        dueDeliveries: 0,
        oldestDueAt: undefined,
        webhooksByState: { healthy: 0, failing: 0, disabled: 0, paused: 0 },
      });

      const {
        workspaceId,
        webhooks: [hook, other, paused, disabled],
      } = await seed(store, {}, { status: 'failing' }, { active: false }, { status: 'disabled' });
      await seed(store, { status: 'disabled', active: false });
      await publishTo(store, workspaceId, hook!.id, 3, at(-5_000));
      await publishTo(store, workspaceId, other!.id, 2, at(-1_000));
      await publishTo(store, workspaceId, other!.id, 4, at(60_000)); // a retry not due yet
      await publishTo(store, workspaceId, paused!.id, 1, at(-9_000)); // held back: not the queue's age
      await publishTo(store, workspaceId, disabled!.id, 1, at(-9_000));

      expect(await store.readQueueFigures(T0)).toEqual({
        dueDeliveries: 5,
        oldestDueAt: at(-5_000),
        webhooksByState: { healthy: 1, failing: 1, disabled: 2, paused: 1 },
      });

      // Claimed (leased to a worker) leaves the queue; finished stays out of it.
      const [first] = await claim(store, { limit: 1 });
      expect(first!.webhook.id).toBe(hook!.id);
      expect((await store.readQueueFigures(T0)).dueDeliveries).toBe(4);
      await store.recordAttempts([attemptRecord(first!, { status: 'success' })], T0);
      const later = await store.readQueueFigures(at(60_000));
      expect(later.dueDeliveries).toBe(8);
      expect(later.oldestDueAt).toEqual(at(-5_000));
    });
  });
}
