// The contract of the Store, as tests every engine must pass: `runStoreConformance('sqlite', open)` in a test file
// registers them for one engine. `openFreshStore` gives a migrated store on an empty database each time. The tests
// live by topic in this folder; this file opens the store around each of them.
import { afterEach, beforeEach, describe } from 'vitest';
import { autoDisableConformance } from './auto-disable.js';
import { alertConformance } from './alerts.js';
import { claimConformance } from './claims.js';
import { deliveryLogConformance } from './delivery-log.js';
import { eventConformance } from './events.js';
import { describeQueueFigures } from './queue-figures.js';
import type { FreshStore, StoreUnderTest } from './store-under-test.js';
import { webhookConformance } from './webhooks.js';
import { workspaceConformance } from './workspaces.js';

export type { FreshStore } from './store-under-test.js';

export function runStoreConformance(name: string, openFreshStore: () => Promise<FreshStore>): void {
  describe(`Store conformance: ${name}`, () => {
    let fresh: FreshStore;
    const underTest = {} as StoreUnderTest;
    // Registered before the topics' own beforeEach hooks, so it runs first (vitest runs "before" hooks in order).
    beforeEach(async () => {
      fresh = await openFreshStore();
      const store = fresh.store;
      const opened = fresh.openSecrets ?? ((webhook) => webhook);
      underTest.store = store;
      underTest.opened = opened;
      underTest.openedWebhook = async (workspaceId, id) => {
        const stored = await store.getWebhook(workspaceId, id);
        return stored && opened(stored);
      };
    });
    afterEach(async () => {
      await fresh.dispose();
    });

    workspaceConformance(underTest);
    webhookConformance(underTest);
    eventConformance(underTest);
    claimConformance(underTest);
    deliveryLogConformance(underTest);
    autoDisableConformance(underTest);
    alertConformance(underTest);
    describeQueueFigures(() => underTest.store);
  });
}
