// The read cache in front of a real SQLite store: every write that changes a cached read is seen by the next read.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, selectedEngines } from '../../test/support/test-database.js';
import { newId } from '../domain/ids.js';
import { hashApiKey } from '../domain/secrets.js';
import { WEBHOOK_DEFAULTS, type Webhook } from '../domain/webhook.js';
import { openPostgresStore } from './postgres/postgres-store.js';
import { withReadCache } from './read-cache.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { eventually } from '../../test/support/eventually.js';

let dir: string;
const opened: Store[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const store of opened.splice(0)) await store.close();
});

async function setup(maxAgeMs?: number): Promise<{ cached: Store; file: string; workspaceId: string; now: Date }> {
  dir = tempDir('hookd-cache-');
  const file = join(dir, 'hookd.db');
  const store = openSqliteStore(file);
  opened.push(store);
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
  return { cached: withReadCache(store, maxAgeMs), file, workspaceId, now };
}

function webhook(workspaceId: string, now: Date): Webhook {
  return {
    ...WEBHOOK_DEFAULTS,
    url: 'https://example.com/h',
    id: newId('wh'),
    workspaceId,
    status: 'healthy',
    secret: null,
    previousSecret: null,
    previousSecretExpiresAt: null,
    failingSince: null,
    createdAt: now,
    updatedAt: now,
  };
}

it('lists a webhook created, changed or deleted since the last publish read the list', async () => {
  const { cached, workspaceId, now } = await setup();
  expect(await cached.listSubscribedWebhooks(workspaceId)).toEqual([]);

  const created = webhook(workspaceId, now);
  await cached.insertWebhook(created);
  expect((await cached.listSubscribedWebhooks(workspaceId)).map((w) => w.id)).toEqual([created.id]);

  await cached.updateWebhook(workspaceId, created.id, { url: 'https://example.com/moved', updatedAt: now });
  expect((await cached.listSubscribedWebhooks(workspaceId))[0]!.url).toBe('https://example.com/moved');

  await cached.deleteWebhook(workspaceId, created.id);
  expect(await cached.listSubscribedWebhooks(workspaceId)).toEqual([]);
});

it('drops a webhook from the list once an attempt disables it', async () => {
  const { cached, workspaceId, now } = await setup();
  const gone = webhook(workspaceId, now);
  await cached.insertWebhook(gone);
  await cached.insertEventWithDeliveries(
    {
      id: 'e1',
      workspaceId,
      type: 'a.b',
      timestamp: now,
      dataJson: '{}',
      extras: {},
      idempotencyKey: null,
      deliveryCount: 1,
      createdAt: now,
    },
    [{ id: newId('dlv'), webhookId: gone.id, nextAttemptAt: now }],
  );
  expect(await cached.listSubscribedWebhooks(workspaceId)).toHaveLength(1);
  const [claim] = await cached.claimDueDeliveries({
    now,
    leaseMs: 60_000,
    limit: 1,
    perWebhookLimit: 1,
    roomByWebhook: {},
    leaseToken: 't',
    excludeWebhookIds: [],
  });

  const attempt = {
    attemptedAt: now,
    durationMs: 1,
    requestHeaders: {},
    responseStatus: 410,
    responseHeaders: {},
    responseBody: '',
    error: 'gone',
  };
  await cached.recordAttempts(
    [{ claim: claim!, attempt, status: 'failed', roundFailures: 1, nextAttemptAt: null, webhookStatus: 'disabled' }],
    now,
  );

  expect(await cached.listSubscribedWebhooks(workspaceId)).toEqual([]);
});

it('finds an API key another process added after a miss, and an event type after it changed', async () => {
  const { cached, file, workspaceId, now } = await setup();
  const { lookup, hash } = hashApiKey('hk_made-by-hookd-keys-create-elsewhere');
  expect(await cached.findApiKeysByLookup(lookup)).toEqual([]);

  const elsewhere = openSqliteStore(file); // `hookd keys create` writes the same file from its own process
  opened.push(elsewhere);
  await elsewhere.insertApiKey({
    id: newId('key'),
    workspaceId,
    name: '',
    admin: false,
    lookup,
    hash,
    createdAt: now,
    lastUsedAt: null,
  });
  expect((await cached.findApiKeysByLookup(lookup)).map((key) => key.hash)).toEqual([hash]);

  expect(await cached.getEventType(workspaceId, 'a.b')).toBeUndefined();
  await cached.insertEventType({
    workspaceId,
    name: 'a.b',
    description: '',
    schema: { type: 'object' },
    createdAt: now,
  });
  expect((await cached.getEventType(workspaceId, 'a.b'))?.schema).toEqual({ type: 'object' });
  await cached.deleteEventType(workspaceId, 'a.b');
  expect(await cached.getEventType(workspaceId, 'a.b')).toBeUndefined();
});

it('does not keep a list read while a write to it was under way', async () => {
  const { cached, workspaceId, now } = await setup();
  const created = webhook(workspaceId, now);
  // The read starts first; the write lands before the read is answered (both queue on the same database).
  const [before] = await Promise.all([cached.listSubscribedWebhooks(workspaceId), cached.insertWebhook(created)]);

  expect(before).toEqual([]);
  expect((await cached.listSubscribedWebhooks(workspaceId)).map((w) => w.id)).toEqual([created.id]);
});

it('answers reads that miss together with one load, but not a read made after a write began', async () => {
  const { cached, file, workspaceId, now } = await setup();
  let loads = 0;
  const inner = openSqliteStore(file);
  opened.push(inner);
  const counted = withReadCache({
    ...inner,
    listSubscribedWebhooks: (id) => (loads++, inner.listSubscribedWebhooks(id)),
  });
  const together = await Promise.all(Array.from({ length: 20 }, () => counted.listSubscribedWebhooks(workspaceId)));
  expect(together).toEqual(Array(20).fill([]));
  expect(loads).toBe(1);

  const created = webhook(workspaceId, now);
  await cached.insertWebhook(created);
  const fresh = withReadCache(inner);
  // The first read's load is under way when the write drops the key: the read after the write loads again.
  const first = fresh.listSubscribedWebhooks(workspaceId);
  const write = fresh.updateWebhook(workspaceId, created.id, { url: 'https://example.com/moved', updatedAt: now });
  const after = fresh.listSubscribedWebhooks(workspaceId);
  await write;
  expect((await first)[0]!.url).toBe('https://example.com/h');
  expect((await after)[0]!.url).toBe('https://example.com/moved');
});

// The cache's age is read from performance.now(), faked here: the entry is surely still fresh when the test expects the
// old list, and surely aged out when it expects the new one, however slowly a loaded machine runs the steps between.
it('sees webhooks another process on the same file created, changed or disabled, once an entry has aged out', async () => {
  vi.useFakeTimers({ toFake: ['performance'] });
  // The faked clock starts at 0, which lru-cache reads as "stored without a start": never stale. A real clock is
  // never there (performance.now() counts from the process's start).
  vi.advanceTimersByTime(1);
  const { cached, file, workspaceId, now } = await setup(100);
  expect(await cached.listSubscribedWebhooks(workspaceId)).toEqual([]);

  const apiOnly = openSqliteStore(file); // `hookd serve --no-worker` beside this process, on the same file
  opened.push(apiOnly);
  const created = webhook(workspaceId, now);
  await apiOnly.insertWebhook(created);
  expect(await cached.listSubscribedWebhooks(workspaceId)).toEqual([]); // still the entry read just before
  vi.advanceTimersByTime(150);
  expect((await cached.listSubscribedWebhooks(workspaceId)).map((w) => w.id)).toEqual([created.id]);

  await apiOnly.updateWebhook(workspaceId, created.id, { status: 'disabled', updatedAt: now });
  vi.advanceTimersByTime(150);
  expect(await cached.listSubscribedWebhooks(workspaceId)).toEqual([]);
});

it('refuses a key revoked in this process on the very next lookup', async () => {
  const { cached, workspaceId, now } = await setup(60_000);
  const { lookup, hash } = hashApiKey('hk_about-to-be-revoked');
  const key = { id: newId('key'), workspaceId, name: '', admin: false, lookup, hash, createdAt: now, lastUsedAt: null };
  await cached.insertApiKey(key);
  expect((await cached.findApiKeysByLookup(lookup)).map((found) => found.id)).toEqual([key.id]); // now cached

  expect(await cached.revokeApiKey({ id: key.id, workspaceId, now, keepAnAdmin: true })).toBe('revoked');
  expect(await cached.findApiKeysByLookup(lookup)).toEqual([]);
});

describe.runIf(selectedEngines().includes('postgres'))('on PostgreSQL', () => {
  it('forgets a key another process revoked when its NOTIFY arrives, long before the entry would age out', async () => {
    const database = await createTestDatabase();
    const [here, there] = [
      openPostgresStore({ url: database.url, maxConnections: 2 }),
      openPostgresStore({ url: database.url, maxConnections: 2 }),
    ];
    const cachedHere = withReadCache(here, 600_000); // an entry that would otherwise outlive the test
    let unwatch: (() => Promise<void>) | undefined;
    try {
      await here.migrate();
      const now = new Date();
      const workspaceId = newId('ws');
      await here.insertWorkspace({
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
      const { lookup, hash } = hashApiKey('hk_revoked-elsewhere');
      const key = {
        id: newId('key'),
        workspaceId,
        name: '',
        admin: false,
        lookup,
        hash,
        createdAt: now,
        lastUsedAt: null,
      };
      await here.insertApiKey(key);
      unwatch = await cachedHere.watchApiKeyRevocations(
        () => {},
        () => {},
      );
      expect(await cachedHere.findApiKeysByLookup(lookup)).toHaveLength(1);

      expect(await there.revokeApiKey({ id: key.id, workspaceId, now, keepAnAdmin: true })).toBe('revoked');
      await eventually(async () => expect(await cachedHere.findApiKeysByLookup(lookup)).toEqual([]), 5_000);
    } finally {
      await unwatch?.();
      await here.close();
      await there.close();
      await database.drop();
    }
  });
});
