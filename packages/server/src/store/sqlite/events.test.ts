// Publishing into a real SQLite file: a webhook deleted between matching and the insert gets no delivery, and no error.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { newId } from '../../domain/ids.js';
import { event, seed } from '../conformance/fixtures.js';
import type { Store } from '../store.js';
import { openSqliteStore } from './sqlite-store.js';
import { tempDir } from '../../../test/support/temp-dir.js';

let dir: string;
let store: Store;
afterEach(async () => {
  await store.close();
});

it('skips a webhook that no longer exists and stores the number of deliveries really made', async () => {
  dir = tempDir('hookd-store-');
  store = openSqliteStore(join(dir, 'hookd.db'));
  await store.migrate();
  const now = new Date();
  const { workspaceId, webhooks } = await seed(store, { secret: null });
  const kept = webhooks[0]!.id;
  const published = event(workspaceId, { id: 'evt-1', deliveryCount: 2 });

  const { made } = await store.insertEventWithDeliveries(published, [
    { id: newId('dlv'), webhookId: kept, nextAttemptAt: now },
    { id: newId('dlv'), webhookId: newId('wh'), nextAttemptAt: now },
  ]);

  expect(made).toBe(1);
  expect((await store.findEvent(workspaceId, 'evt-1'))?.deliveryCount).toBe(1);
  expect((await store.listDeliveries(workspaceId, { webhookId: kept }, { limit: 10 })).data).toHaveLength(1);
});
