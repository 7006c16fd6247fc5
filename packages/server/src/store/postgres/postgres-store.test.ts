// What only the PostgreSQL engine has to get right: processes starting together migrate once, a LISTEN
// connection that is cut comes back by itself and keeps waking the worker, the delivery queue and what the pruner
// deleted are vacuumed by hookd itself, and a claim stays cheap whatever the planner's statistics say.
import { readdirSync } from 'node:fs';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, selectedEngines, type TestDatabase } from '../../../test/support/test-database.js';
import { at, attemptRecord, claim, publishTo, seed, T0 } from '../conformance/fixtures.js';
import { claimStatement } from './claims.js';
import type { Store } from '../store.js';
import { openPostgresStore } from './postgres-store.js';
import { eventually } from '../../../test/support/eventually.js';

let database: TestDatabase | undefined;
const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  await database?.drop();
  database = undefined;
});

function open(
  url: string,
  vacuum: { vacuumEveryAttempts?: number; vacuumEveryPrunedRows?: number } = {},
  maxConnections = 2,
): Store {
  const store = openPostgresStore({ url, maxConnections, ...vacuum });
  stores.push(store);
  return store;
}

/** A plan node of EXPLAIN (FORMAT JSON) and all those under it. */
interface PlanNode {
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}
const scansOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(scansOf)];

describe.runIf(selectedEngines().includes('postgres'))('the PostgreSQL store', () => {
  it('applies each migration once when several processes start at the same moment', async () => {
    database = await createTestDatabase({ empty: true });
    const results = await Promise.all([0, 1, 2, 3].map(() => open(database!.url).migrate()));
    // Every migration there is, each once (read from the folder, so a new migration needs no edit here).
    const migrations = readdirSync(new URL('../../../migrations/postgres/', import.meta.url))
      .filter((file) => file.endsWith('.sql'))
      .sort();
    expect(migrations).toEqual(
      expect.arrayContaining(['001_initial.sql', '002_vacuum_deliveries_often.sql', '003_api_key_revocation.sql']),
    );
    expect(results.flatMap((result) => result.applied)).toEqual(migrations);
  });

  it('refuses to migrate a database a newer hookd has migrated, naming the migrations it does not know', async () => {
    database = await createTestDatabase();
    await open(database.url).migrate();
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await admin.query("INSERT INTO schema_migrations (name) VALUES ('999_from_a_newer_hookd.sql')");
    await admin.end();
    await expect(open(database.url).migrate()).rejects.toThrow(/does not know \(999_from_a_newer_hookd\.sql\)/);
  });

  it('listens again after its connection is cut, reporting the problem and waking the worker', async () => {
    database = await createTestDatabase();
    const store = open(database.url);
    await store.migrate();
    let woken = 0;
    const problems: Error[] = [];
    const unsubscribe = await store.watchDueWork(
      () => woken++,
      (error) => problems.push(error),
    );
    try {
      const {
        workspaceId,
        webhooks: [hook],
      } = await seed(store, {});
      await publishTo(store, workspaceId, hook!.id, 1);
      await eventually(() => expect(woken).toBe(1), 5_000);

      // What a restart of the server does to the listening connection.
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'",
      );
      await admin.end();
      await eventually(() => expect(problems.length).toBeGreaterThanOrEqual(1), 5_000);
      // Back: the reconnect itself wakes the worker once (NOTIFYs sent meanwhile are lost), then publishes do again.
      await eventually(() => expect(woken).toBe(2), 10_000);
      await publishTo(store, workspaceId, hook!.id, 1);
      await eventually(() => expect(woken).toBe(3), 5_000);
    } finally {
      await unsubscribe();
    }
  });

  it('vacuums the delivery queue after every so many recorded attempts, and has autovacuum come early too', async () => {
    database = await createTestDatabase();
    // One connection: the store's queries run in the order they are asked for, so a ping asked for after a record
    // answers only once any VACUUM that record started has finished.
    const store = open(database.url, { vacuumEveryAttempts: 3 }, 1);
    await store.migrate();
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const vacuums = async () =>
        Number(
          (await admin.query("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'deliveries'")).rows[0]
            .vacuum_count,
        );
      const {
        workspaceId,
        webhooks: [hook],
      } = await seed(store, {});
      await publishTo(store, workspaceId, hook!.id, 3);
      const claimed = await claim(store);
      await store.recordAttempts(
        claimed.slice(0, 2).map((one) => attemptRecord(one, { status: 'success' })),
        T0,
      );
      // An early VACUUM would have been asked for before the ping; PostgreSQL 15 counts a VACUUM in shared memory as it
      // ends, so the count read after the ping includes it.
      await store.ping();
      expect(await vacuums()).toBe(0);
      await store.recordAttempts([attemptRecord(claimed[2]!, { status: 'success' })], T0);
      await store.ping();
      expect(await vacuums()).toBe(1);

      const { rows } = await admin.query("SELECT reloptions FROM pg_class WHERE relname = 'deliveries'");
      expect(rows[0].reloptions).toEqual(
        expect.arrayContaining(['autovacuum_vacuum_scale_factor=0', 'autovacuum_vacuum_threshold=10000']),
      );
    } finally {
      await admin.end();
    }
  });

  it("vacuums the pruned tables once a prune round's walks end with enough deleted, so their space is reused", async () => {
    database = await createTestDatabase();
    const store = open(database.url, { vacuumEveryPrunedRows: 4 }, 1);
    await store.migrate();
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const vacuums = async () => {
        const { rows } = await admin.query<{ relname: string; vacuum_count: string }>(
          "SELECT relname, vacuum_count FROM pg_stat_user_tables WHERE relname IN ('events', 'deliveries', 'attempts')",
        );
        return Object.fromEntries(rows.map((row) => [row.relname, Number(row.vacuum_count)]));
      };
      const {
        workspaceId,
        webhooks: [hook],
      } = await seed(store, {});
      await publishTo(store, workspaceId, hook!.id, 3);
      await store.recordAttempts(
        (await claim(store)).map((one) => attemptRecord(one, { status: 'success' })),
        T0,
      );
      const batch = { before: new Date(T0.getTime() + 86_400_000), afterSeq: 0, limit: 100 };
      // The walk through the deliveries ends (3 deleted, with their attempts), then the events' (3 more): the round's
      // last walk over those tables, and 6 >= 4 rows deleted, so a VACUUM of the three starts as it ends.
      expect((await store.deleteFinishedDeliveries(batch)).deleted).toBe(3);
      await store.ping();
      expect(await vacuums()).toEqual({ events: 0, deliveries: 0, attempts: 0 });
      expect((await store.deleteEventsWithoutDeliveries(batch)).deleted).toBe(3);
      await store.ping();
      expect(await vacuums()).toEqual({ events: 1, deliveries: 1, attempts: 1 });
      // A round that deletes nothing more vacuums nothing more.
      await store.deleteFinishedDeliveries(batch);
      await store.deleteEventsWithoutDeliveries(batch);
      await store.ping();
      expect(await vacuums()).toEqual({ events: 1, deliveries: 1, attempts: 1 });
    } finally {
      await admin.end();
    }
  });

  it('claims through the primary key when a VACUUM saw the queue empty and 100,000 deliveries are pending now', async () => {
    database = await createTestDatabase();
    const store = open(database.url);
    await store.migrate();
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const {
        workspaceId,
        webhooks: [hook, fifo],
      } = await seed(store, {}, { ordering: 'fifo' });
      // Due first, so that the claim of 64 surely takes it.
      await publishTo(store, workspaceId, fifo!.id, 1, at(-1_000));
      await publishTo(store, workspaceId, hook!.id, 1);
      const copies = (count: number, status: string) =>
        admin.query(
          `INSERT INTO deliveries (id, workspace_id, webhook_id, event_seq, kind, status, attempts, round_failures,
             next_attempt_at, created_at, updated_at)
           SELECT 'dlv_' || $3 || '_' || i, workspace_id, webhook_id, event_seq, 'event', $3, 0, 0, $2, $2, $2
           FROM deliveries, generate_series(1, $4::int) i WHERE webhook_id = $1 AND status = 'pending'`,
          [hook!.id, T0, status, count],
        );
      // As a database at steady state: a log of finished deliveries, and the pending ones' partial indexes counted
      // (nearly) empty by the last VACUUM, as hookd's own queue VACUUM leaves them; then a backlog arrives.
      // Autovacuum (on in CI) would count the backlog and hide what this test is about.
      await admin.query('ALTER TABLE deliveries SET (autovacuum_enabled = off)');
      await copies(40_000, 'success');
      await admin.query('VACUUM ANALYZE deliveries');
      await copies(100_000, 'pending');
      const counted = await admin.query<{ reltuples: number }>(
        "SELECT reltuples FROM pg_class WHERE relname = 'deliveries_pending_by_webhook_due'",
      );
      expect(counted.rows[0]!.reltuples).toBeLessThan(10);
      const { text, values } = claimStatement({
        now: T0,
        limit: 64,
        perWebhookLimit: 64,
        roomByWebhook: {},
        excludeWebhookIds: [],
        leaseMs: 60_000,
        leaseToken: 'lease-explained',
      });
      await admin.query('BEGIN');
      const explained = await admin.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`, values);
      await admin.query('ROLLBACK');
      const plan = explained.rows[0]['QUERY PLAN'][0].Plan;
      expect(plan['Actual Rows']).toBe(64);
      // No scan of an index of pending deliveries unbounded by a webhook: such a scan walks the whole backlog (the
      // pending "Send test" deliveries' index is small by nature).
      const pendingScans = scansOf(plan).filter((node) =>
        /^deliveries_pending_by_webhook/.test(node['Index Name'] ?? ''),
      );
      for (const scan of pendingScans) expect(scan['Index Cond'] ?? 'none').toMatch(/webhook_id = /);
      // 1,592 pages: 64 rows claimed through the primary key, most of it their new index entries, however long the
      // backlog. With a plain status clause the planner walked the pending index instead: 3,309 pages at 40,000
      // pending, 6,068 at 100,000 (and 33,189 a claim in the bench, whose index held dead entries too).
      expect(plan['Shared Hit Blocks'] + plan['Shared Read Blocks']).toBeLessThan(3_000);
      // And the claim itself takes the FIFO webhook's one and 63 of the rest.
      const claimed = await claim(store, { limit: 64, perWebhookLimit: 64 });
      expect(claimed.map((one) => one.webhook.id).sort()).toEqual(
        [fifo!.id, ...Array<string>(63).fill(hook!.id)].sort(),
      );
    } finally {
      await admin.end();
    }
  });
});
