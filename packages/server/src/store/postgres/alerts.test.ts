// What only the PostgreSQL engine has to get right about alerts: processes sharing the database that record the same
// change of a webhook's status at the same moment make its alerts once, and insertStatusChangeAlerts (for a sweep)
// queues them in the caller's transaction, so a rolled-back change leaves none.
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, selectedEngines, type TestDatabase } from '../../../test/support/test-database.js';
import { attemptRecord, claim, publishTo, T0, webhook, workspace } from '../conformance/fixtures.js';
import type { Store } from '../store.js';
import { insertStatusChangeAlerts } from './alerts.js';
import { PostgresDatabase } from './database.js';
import { openPostgresStore } from './postgres-store.js';

let database: TestDatabase | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  await database?.drop();
  database = undefined;
});

function open(url: string): Store {
  const store = openPostgresStore({ url, maxConnections: 2 });
  closers.push(() => store.close());
  return store;
}

async function seeded(store: Store, deliveries: number) {
  const space = { ...workspace(), alertEmail: 'ops@example.com', alertUrl: 'https://ops.example.com' };
  await store.insertWorkspace(space);
  const hook = webhook(space.id);
  await store.insertWebhook(hook);
  await publishTo(store, space.id, hook.id, deliveries);
  return { hook, claims: await claim(store, { limit: deliveries }) };
}

const claimAll = (store: Store) => store.claimDueAlerts({ now: T0, leaseMs: 60_000, limit: 100, leaseToken: 'all' });

describe.runIf(selectedEngines().includes('postgres'))('alerts on PostgreSQL', () => {
  it('makes one alert per channel when four processes record the same change at once', async () => {
    database = await createTestDatabase();
    const stores = [0, 1, 2, 3].map(() => open(database!.url));
    const { claims } = await seeded(stores[0]!, 40);
    // Forty failures of one webhook, ten through each process, all in flight together.
    await Promise.all(
      claims.map((one, n) =>
        stores[n % 4]!.recordAttempts([attemptRecord(one, { status: 'failed', webhookStatus: 'failing' })], T0),
      ),
    );
    const alerts = await claimAll(stores[1]!);
    expect(alerts.map((alert) => `${alert.type} ${alert.channel}`).sort()).toEqual([
      'webhook.failing email',
      'webhook.failing url',
    ]);
  });

  it("insertStatusChangeAlerts queues a sweep's alerts in its transaction: kept on commit, gone on rollback", async () => {
    database = await createTestDatabase();
    const store = open(database.url);
    const { hook } = await seeded(store, 0);
    const db = new PostgresDatabase({ url: database.url, maxConnections: 1 });
    closers.push(() => db.close());
    const change = { webhookId: hook.id, status: 'disabled' as const, eventType: null, lastError: 'failing for 5d' };
    await expect(
      db.transaction(async (tx) => {
        await tx.query("UPDATE webhooks SET status = 'disabled' WHERE id = $1", [hook.id]);
        expect(await insertStatusChangeAlerts(tx, [change], T0)).toBe(2);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await claimAll(store)).toEqual([]);
    await db.transaction(async (tx) => insertStatusChangeAlerts(tx, [change], T0));
    const alerts = await claimAll(store);
    expect(alerts).toHaveLength(2);
    expect(alerts[0]).toMatchObject({ type: 'webhook.disabled', eventType: null, lastError: 'failing for 5d' });
  });
});
