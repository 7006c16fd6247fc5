// The SQLite store in its own thread (what `hookd serve` runs): the same answers as in-process, errors of the same
// kind, calls of one turn sharing a commit, and a clear refusal once closed.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { EventRecord } from '../../domain/envelope.js';
import { newId } from '../../domain/ids.js';
import { WEBHOOK_DEFAULTS } from '../../domain/webhook.js';
import { UniqueViolation, type Store } from '../store.js';
import type { OpenedMessage } from './thread-protocol.js';
import { openSqliteStoreInThread, startStoreThread } from './thread-store.js';
import { tempDir } from '../../../test/support/temp-dir.js';

let dir: string;
let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function openWithWebhook(): Promise<{ store: Store; workspaceId: string; webhookId: string }> {
  dir = tempDir('hookd-thread-');
  store = await openSqliteStoreInThread(join(dir, 'hookd.db'));
  expect(store.capabilities.singleProcess).toBe(true);
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
  const webhookId = newId('wh');
  await store.insertWebhook({
    ...WEBHOOK_DEFAULTS,
    url: 'https://example.com/h',
    id: webhookId,
    workspaceId,
    status: 'healthy',
    secret: 'whsec_x',
    previousSecret: null,
    previousSecretExpiresAt: null,
    failingSince: null,
    createdAt: now,
    updatedAt: now,
  });
  return { store, workspaceId, webhookId };
}

function event(workspaceId: string, id: string, now: Date): EventRecord {
  return {
    id,
    workspaceId,
    type: 'a.b',
    timestamp: now,
    dataJson: '{"n":1}',
    extras: { source: 's' },
    idempotencyKey: null,
    deliveryCount: 1,
    createdAt: now,
  };
}

it('publishes and claims across the thread with dates and nested objects intact', async () => {
  const { store, workspaceId, webhookId } = await openWithWebhook();
  const now = new Date('2026-11-22T10:00:00.000Z');
  // Published together: one message to the thread, one group commit there.
  const made = await Promise.all(
    [1, 2, 3].map(
      async (n) =>
        (
          await store.insertEventWithDeliveries(event(workspaceId, `evt-${n}`, now), [
            { id: newId('dlv'), webhookId, nextAttemptAt: now },
          ])
        ).made,
    ),
  );
  expect(made).toEqual([1, 1, 1]);

  const claims = await store.claimDueDeliveries({
    now,
    leaseMs: 60_000,
    limit: 10,
    perWebhookLimit: 10,
    roomByWebhook: {},
    leaseToken: 'lease-1',
    excludeWebhookIds: [],
  });

  expect(claims.map((claim) => claim.event.id).sort()).toEqual(['evt-1', 'evt-2', 'evt-3']);
  expect(claims[0]!.event.timestamp).toEqual(now);
  expect(claims[0]!.event.extras).toEqual({ source: 's' });
  expect(claims[0]!.webhook).toMatchObject({ id: webhookId, secret: 'whsec_x', retry: WEBHOOK_DEFAULTS.retry });
  expect(claims[0]!.leaseToken).toBe('lease-1');
});

it('turns a repeated event id into a UniqueViolation, as the in-process store does', async () => {
  const { store, workspaceId, webhookId } = await openWithWebhook();
  const now = new Date();
  await store.insertEventWithDeliveries(event(workspaceId, 'evt-1', now), [
    { id: newId('dlv'), webhookId, nextAttemptAt: now },
  ]);

  const again = store.insertEventWithDeliveries(event(workspaceId, 'evt-1', now), [
    { id: newId('dlv'), webhookId, nextAttemptAt: now },
  ]);

  await expect(again).rejects.toBeInstanceOf(UniqueViolation);
  expect((await store.listEvents(workspaceId, { limit: 10 })).data).toHaveLength(1);
});

it('refuses calls once closed, with a reason', async () => {
  const { store: opened } = await openWithWebhook();
  await opened.close();
  store = undefined;

  await expect(opened.ping()).rejects.toThrow(/closed/);
});

it('rejects the open of a file it cannot create, naming the cause', async () => {
  dir = tempDir('hookd-thread-');
  const blocker = join(dir, 'not-a-dir');
  await (await openSqliteStoreInThread(blocker)).close(); // a file where a directory is needed below

  await expect(openSqliteStoreInThread(join(blocker, 'hookd.db'))).rejects.toThrow(
    /folder .* cannot be made: a file is in the way/,
  );
});

it('starts the thread from dist/, as production does (test-setup/build-before-tests.ts rebuilds it before every run)', async () => {
  dir = tempDir('hookd-thread-');
  const thread = startStoreThread(join(dir, 'hookd.db'));
  const opened = await new Promise<OpenedMessage>((resolve, reject) => {
    thread.once('message', resolve);
    thread.once('error', reject);
  });
  await thread.terminate();
  const entry = new URL('../../../dist/store/sqlite/thread-worker.js', import.meta.url);
  expect(opened).toMatchObject({ opened: true, entry: entry.href });
});
