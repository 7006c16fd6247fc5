// The retention scenario: a database holding a million old finished deliveries (bulk-loaded, see old-deliveries.ts)
// is drained without the pruner (--retention off) and then with it deleting them in the background; the two drains'
// rates in the same run say what the pruning costs deliveries, and the database's size says whether it stops growing.
import { databaseState, loadOldDeliveries, vacuumedSince } from './old-deliveries.js';
import { HookdProcess } from './processes.js';
import { LONG_WAIT_MS, progressEvery, queueAndActivate, type Context, type Figure } from './scenarios.js';
import { perSecond } from './stats.js';

const DAY = 86_400_000;

/** Queues the drain's deliveries on `hookd` and answers the rate they are delivered at. */
async function drainOn(ctx: Context, hookd: HookdProcess, path: string): Promise<number> {
  const events = ctx.options.sizes.drainEvents;
  await queueAndActivate(ctx, hookd, events, path);
  const started = Date.now();
  const stats = await ctx.receiver.waitFor(path, events * 10, LONG_WAIT_MS, progressEvery(ctx, 'drained', events * 10));
  return perSecond(events * 10, stats.lastAt - started);
}

/**
 * Polls (this is the bench, not a test) until at most `atMost` old deliveries are left: 0, the pruner is done; one
 * less than loaded, it has begun (its first round comes a minute after start). Answers when.
 */
async function prunedAt(ctx: Context, hookd: HookdProcess, webhookId: string, atMost = 0): Promise<number> {
  const deadline = Date.now() + LONG_WAIT_MS;
  for (;;) {
    const { left } = await databaseState(hookd.database, webhookId);
    if (left <= atMost) return Date.now();
    if (Date.now() > deadline)
      throw new Error(`retention: ${left} old deliveries still there after ${LONG_WAIT_MS} ms`);
    ctx.progress(`  old deliveries left: ${left}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/**
 * Polls until (auto)vacuum has passed over the pruned tables since `since` (PostgreSQL; SQLite reuses freed pages at
 * once); answers when. hookd starts no VACUUM of them: autovacuum comes on its own once a fifth of a table is dead.
 */
async function vacuumedAt(ctx: Context, database: string, since: number): Promise<number> {
  const deadline = Date.now() + LONG_WAIT_MS;
  while (!(await vacuumedSince(database, new Date(since)))) {
    if (Date.now() > deadline) throw new Error(`retention: the pruned tables not vacuumed after ${LONG_WAIT_MS} ms`);
    ctx.progress('  waiting for autovacuum over the pruned tables');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return Date.now();
}

/** A fresh database holding `old` finished deliveries two months old, and the webhook they belong to. */
async function databaseWithOldDeliveries(ctx: Context, old: number) {
  const first = await HookdProcess.start(['--retention', 'off']);
  const database = first.fresh;
  try {
    const workspace = await first.api<{ data: { id: string }[] }>('GET', '/workspaces?limit=1');
    const hook = await first.api<{ id: string }>('POST', '/webhooks', {
      url: `${ctx.receiver.origin}/old`,
      events: ['bench.old'],
      active: false,
    });
    await first.stop({ keepDatabase: true });
    const loadStarted = Date.now();
    await loadOldDeliveries(database.database, {
      workspaceId: workspace.data[0]!.id,
      webhookId: hook.id,
      events: old / 10,
      ageMs: 60 * DAY,
    });
    ctx.progress(`  loaded in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s`);
    return { database, webhookId: hook.id };
  } catch (error) {
    await first.stop();
    throw error;
  }
}

export async function retention(ctx: Context): Promise<Figure[]> {
  const old = ctx.options.sizes.retentionOldDeliveries;
  ctx.progress(`retention: ${old} old finished deliveries loaded; drain without, then with the pruner`);
  const { database, webhookId } = await databaseWithOldDeliveries(ctx, old);
  const loaded = await databaseState(database.database, webhookId);
  const without = await HookdProcess.start(['--retention', 'off'], database);
  const rateWithout = await drainOn(ctx, without, '/retention-off').finally(() => without.stop({ keepDatabase: true }));
  const pruning = await HookdProcess.start(['--retention', '30d'], database);
  try {
    // The drain is queued once the pruner is deleting, so it runs while the prune does ("old left when drain ended"
    // says it did not run out first).
    const pruneStarted = await prunedAt(ctx, pruning, webhookId, loaded.left - 1);
    const rateWith = await drainOn(ctx, pruning, '/retention-on');
    const during = await databaseState(database.database, webhookId);
    const pruneEnded = await prunedAt(ctx, pruning, webhookId);
    const vacuumed = await vacuumedAt(ctx, database.database, pruneEnded);
    const afterPrune = await databaseState(database.database, webhookId);
    // Steady load after the prune: the same drain again, into the pages the deleted rows left free.
    await drainOn(ctx, pruning, '/retention-after');
    const afterMore = await databaseState(database.database, webhookId);
    const mb = (bytes: number) => bytes / 1_048_576;
    return [
      { scenario: 'retention', metric: 'drain, no pruning', value: rateWithout, unit: '/s', ofCeiling: true },
      { scenario: 'retention', metric: 'drain while pruning', value: rateWith, unit: '/s', ofCeiling: true },
      {
        scenario: 'retention',
        metric: 'while pruning vs not',
        value: rateWith / rateWithout,
        unit: '×',
        target: { op: '>=', value: 0.9 },
      },
      { scenario: 'retention', metric: 'old left when drain ended', value: during.left, unit: '' },
      { scenario: 'retention', metric: 'pruned', value: perSecond(old, pruneEnded - pruneStarted), unit: '/s' },
      { scenario: 'retention', metric: 'vacuumed, after the prune', value: (vacuumed - pruneEnded) / 1000, unit: 's' },
      { scenario: 'retention', metric: 'database, loaded', value: mb(loaded.bytes), unit: 'MB' },
      { scenario: 'retention', metric: 'database, pruned', value: mb(afterPrune.bytes), unit: 'MB' },
      { scenario: 'retention', metric: 'of which free pages', value: mb(afterPrune.freeBytes), unit: 'MB' },
      {
        scenario: 'retention',
        metric: 'growth over one more drain',
        value: mb(afterMore.bytes - afterPrune.bytes),
        unit: 'MB',
        target: { op: '<=', value: 0 },
      },
    ];
  } finally {
    await pruning.stop();
  }
}
