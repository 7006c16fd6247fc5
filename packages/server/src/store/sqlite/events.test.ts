// Publishing into a real SQLite file: a webhook deleted between matching and the insert gets no delivery, and no error.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { EventRecord } from '../../domain/envelope.js';
import { newId } from '../../domain/ids.js';
import { WEBHOOK_DEFAULTS } from '../../domain/webhook.js';
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
  const workspaceId = newId('ws');
  await store.insertWorkspace({
    id: workspaceId,
    name: 'w',
    alertEmail: null,
    alertUrl: null,
    autoDisableAfter: null,
    portalOrigins: [],
    accentColor: null,
    createdAt: now,
    updatedAt: now,
  });
  const kept = newId('wh');
  await store.insertWebhook({
    ...WEBHOOK_DEFAULTS,
    url: 'https://example.com/h',
    id: kept,
    workspaceId,
    status: 'healthy',
    secret: null,
    previousSecret: null,
    previousSecretExpiresAt: null,
    failingSince: null,
    createdAt: now,
    updatedAt: now,
  });
  const event: EventRecord = {
    id: 'evt-1',
    workspaceId,
    type: 'a.b',
    timestamp: now,
    dataJson: '{}',
    extras: {},
    idempotencyKey: null,
    deliveryCount: 2,
    createdAt: now,
  };

  const { made } = await store.insertEventWithDeliveries(event, [
    { id: newId('dlv'), webhookId: kept, nextAttemptAt: now },
    { id: newId('dlv'), webhookId: newId('wh'), nextAttemptAt: now },
  ]);

  expect(made).toBe(1);
  expect((await store.findEvent(workspaceId, 'evt-1'))?.deliveryCount).toBe(1);
  expect((await store.listDeliveries(workspaceId, { webhookId: kept }, { limit: 10 })).data).toHaveLength(1);
});
