// The retention scenario: a database holding a million old finished deliveries (bulk-loaded, see old-deliveries.ts)
// is drained by turns without the pruner (--retention off) and with it deleting them in the background, on the same
// database as the prune goes on; the medians of those drains say what the pruning costs deliveries. Then, twice, a
// prune ends, VACUUM passes and one more drain runs: the database's size over that drain says whether it stops growing
// at steady load (the second time: PostgreSQL reuses an index page a VACUUM deleted only from a later one).
import { databaseState, loadOldDeliveries, oldLeft, vacuumedSince } from './old-deliveries.js';
import { activityBetween, describeActivity, pgActivity } from './pg-activity.js';
import { activityFigures, growthFigures, mb, reportGrowth, type Drain } from './retention-figures.js';
import { isPostgres, type FreshDatabase } from './databases.js';
import { HookdProcess } from './processes.js';
import { LONG_WAIT_MS, progressEvery, queueAndActivate, type Context, type Figure } from './scenarios.js';
import { percentile, perSecond } from './stats.js';

const DAY = 86_400_000;
/** The million: pruned at --retention 30d. */
const FIRST = { cohort: 'old', ageMs: 60 * DAY, retention: '30d' };
/**
 * Loaded with the first (so their seqs come before every drain's), kept at 30d, pruned once hookd restarts with 10d:
 * the second round of prune and VACUUM that steady load brings.
 */
const SECOND = { cohort: 'later', ageMs: 20 * DAY, retention: '10d' };

/** Queues the drain's deliveries on `hookd` and answers the rate they are delivered at. */
async function drainOn(ctx: Context, hookd: HookdProcess, path: string): Promise<Drain> {
  const deliveries = ctx.options.sizes.drainEvents * 10;
  // Each drain's own event type: the webhooks of the drains before it must not get its events.
  const ids = await queueAndActivate(
    ctx,
    hookd,
    ctx.options.sizes.drainEvents,
    path,
    {},
    `bench${path.replaceAll('/', '.')}`,
  );
  const started = Date.now();
  const before = isPostgres(hookd.database) ? await pgActivity(hookd.database) : undefined;
  const stats = await ctx.receiver.waitFor(path, deliveries, LONG_WAIT_MS, progressEvery(ctx, 'drained', deliveries));
  const activity = before && activityBetween(before, await pgActivity(hookd.database));
  if (activity) ctx.progress(describeActivity(path, activity, deliveries));
  // Paused, so that the next drain's claims do not look at them at all (a webhook with nothing due costs a claim an
  // index probe).
  for (const id of ids) await hookd.api('PATCH', `/webhooks/${id}`, { active: false });
  return { rate: perSecond(deliveries, stats.lastAt - started), deliveries, activity };
}

/**
 * Polls (this is the bench, not a test) until at most `atMost` of the loaded deliveries are left: one less than there
 * were, the pruner has begun (its first round comes a minute after start). Answers when.
 */
async function prunedAt(ctx: Context, hookd: HookdProcess, webhookId: string, atMost: number): Promise<number> {
  const deadline = Date.now() + LONG_WAIT_MS;
  for (;;) {
    const left = await oldLeft(hookd.database, webhookId);
    if (left <= atMost) return Date.now();
    if (Date.now() > deadline)
      throw new Error(`retention: ${left} old deliveries still there after ${LONG_WAIT_MS} ms`);
    ctx.progress(`  old deliveries left: ${left}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** Polls until VACUUM has passed over the pruned tables since `since` (PostgreSQL; SQLite reuses freed pages at once). */
async function vacuumedAt(ctx: Context, database: string, since: number): Promise<number> {
  const deadline = Date.now() + LONG_WAIT_MS;
  while (!(await vacuumedSince(database, new Date(since)))) {
    if (Date.now() > deadline) throw new Error(`retention: the pruned tables not vacuumed after ${LONG_WAIT_MS} ms`);
    ctx.progress('  waiting for VACUUM over the pruned tables');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return Date.now();
}

/** A fresh database holding both cohorts of finished deliveries, and the webhook they belong to. */
async function databaseWithOldDeliveries(ctx: Context, first: number, second: number) {
  const setup = await HookdProcess.start(['--retention', 'off']);
  const database = setup.fresh;
  const made = await (async () => {
    const workspace = await setup.api<{ data: { id: string }[] }>('GET', '/workspaces?limit=1');
    const hook = await setup.api<{ id: string }>('POST', '/webhooks', {
      url: `${ctx.receiver.origin}/old`,
      events: ['bench.old'],
      active: false,
    });
    return { workspaceId: workspace.data[0]!.id, webhookId: hook.id };
  })().finally(() => setup.stop({ keepDatabase: true }));
  try {
    const loadStarted = Date.now();
    for (const [{ cohort, ageMs }, count] of [
      [FIRST, first],
      [SECOND, second],
    ] as const)
      await loadOldDeliveries(database.database, { ...made, cohort, events: count / 10, ageMs });
    ctx.progress(`  loaded in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s`);
    return { database, webhookId: made.webhookId };
  } catch (error) {
    await database.remove();
    throw error;
  }
}

const median = (drains: Drain[]) =>
  percentile(
    drains.map((drain) => drain.rate),
    50,
  );

/** The drains' rates by turns, and the medians compared (the issue: within 10 % while a prune runs). */
function rateFigures(turns: { without: Drain[]; pruning: Drain[] }): Figure[] {
  const rateWithout = median(turns.without);
  const rateWith = median(turns.pruning);
  const eachDrain = { scenario: 'retention', unit: '/s', ofCeiling: true };
  return [
    { scenario: 'retention', metric: 'drain, no pruning (median)', value: rateWithout, unit: '/s', ofCeiling: true },
    { scenario: 'retention', metric: 'drain while pruning (median)', value: rateWith, unit: '/s', ofCeiling: true },
    {
      scenario: 'retention',
      metric: 'while pruning vs not',
      value: rateWith / rateWithout,
      unit: '×',
      target: { op: '>=', value: 0.9 },
    },
    ...turns.without.map((drain, i) => ({ ...eachDrain, metric: `  no pruning, turn ${i + 1}`, value: drain.rate })),
    ...turns.pruning.map((drain, i) => ({ ...eachDrain, metric: `  pruning, turn ${i + 1}`, value: drain.rate })),
  ];
}

/**
 * Drains by turns with the first cohort's prune running and with no pruning, `turns` times each, in the order
 * off-on, on-off, off-on… so that neither side always comes first as the database changes. Each drain is its own
 * process: one with --retention off, or one pruning at --retention 30d (its drain queued once it is deleting). A
 * pruning process that drained last is left running (`pruner`) for the rest of the prune: a new one would wait a
 * minute for its first round.
 */
async function drainsByTurns(ctx: Context, database: FreshDatabase, webhookId: string, second: number) {
  const without: Drain[] = [];
  const pruning: Drain[] = [];
  /** Of the first cohort, left when a drain while pruning ended: above 0, the prune outlasted each such drain. */
  let firstLeft = Infinity;
  let pruner: HookdProcess | undefined;
  const drainWithout = async (turn: number) => {
    const hookd = await HookdProcess.start(['--retention', 'off'], database);
    without.push(await drainOn(ctx, hookd, `/retention-off-${turn}`).finally(() => hookd.stop({ keepDatabase: true })));
  };
  const drainPruning = async (turn: number, last: boolean) => {
    const hookd = await HookdProcess.start(['--retention', FIRST.retention], database);
    try {
      const left = await oldLeft(database.database, webhookId);
      await prunedAt(ctx, hookd, webhookId, left - 1);
      pruning.push(await drainOn(ctx, hookd, `/retention-on-${turn}`));
      firstLeft = Math.min(firstLeft, (await oldLeft(database.database, webhookId)) - second);
    } catch (error) {
      await hookd.stop({ keepDatabase: true });
      throw error;
    }
    if (last) pruner = hookd;
    else await hookd.stop({ keepDatabase: true });
  };
  const turns = ctx.options.sizes.retentionTurns;
  for (let turn = 1; turn <= turns; turn++) {
    if (turn % 2 === 1) {
      await drainWithout(turn);
      await drainPruning(turn, turn === turns);
    } else {
      await drainPruning(turn, false);
      await drainWithout(turn);
    }
  }
  return { without, pruning, firstLeft, pruner };
}

/**
 * With `hookd` pruning (started, or left running), waits until it has deleted down to `keep` and VACUUM has passed
 * over the pruned tables, then drains once more on it; stops it.
 */
async function pruneThenDrain(
  ctx: Context,
  hookd: HookdProcess,
  webhookId: string,
  phase: { keep: number; path: string },
) {
  const { database } = hookd;
  try {
    const from = await oldLeft(database, webhookId);
    // A pruner left running may have finished already (at --quick sizes).
    const started = from > phase.keep ? await prunedAt(ctx, hookd, webhookId, from - 1) : Date.now();
    const ended = await prunedAt(ctx, hookd, webhookId, phase.keep);
    const vacuumed = await vacuumedAt(ctx, database, ended);
    const pruned = await databaseState(database, webhookId);
    const drain = await drainOn(ctx, hookd, phase.path);
    const drained = await databaseState(database, webhookId);
    reportGrowth(ctx, pruned, drained);
    return {
      drain,
      pruned,
      drained,
      // From the first batch seen here: the rows the pruning turns deleted are not counted.
      prunedPerSecond: perSecond(from - phase.keep, ended - started),
      vacuumedAfterS: (vacuumed - ended) / 1000,
    };
  } finally {
    await hookd.stop({ keepDatabase: true });
  }
}

export async function retention(ctx: Context): Promise<Figure[]> {
  const old = ctx.options.sizes.retentionOldDeliveries;
  const postgres = ctx.options.store === 'postgres';
  // On PostgreSQL hookd VACUUMs the pruned tables only after PRUNE_VACUUM_EVERY_ROWS (100,000), which each prune must
  // reach for the bench to wait on it.
  if (postgres && old < 100_000) throw new Error('retention on PostgreSQL: needs --retention-old-deliveries >= 100000');
  // Four drains' worth: the drain after its prune fits in the space it frees.
  const second = Math.max(ctx.options.sizes.drainEvents * 10 * 4, postgres ? 100_000 : 0);
  ctx.progress(`retention: ${old} + ${second} old finished deliveries loaded; drains without and with the pruner`);
  const { database, webhookId } = await databaseWithOldDeliveries(ctx, old, second);
  try {
    const loaded = await databaseState(database.database, webhookId);
    const turns = await drainsByTurns(ctx, database, webhookId, second);
    const pruner = turns.pruner ?? (await HookdProcess.start(['--retention', FIRST.retention], database));
    const first = await pruneThenDrain(ctx, pruner, webhookId, {
      keep: second,
      path: '/retention-after',
    });
    const steady = await pruneThenDrain(
      ctx,
      await HookdProcess.start(['--retention', SECOND.retention], database),
      webhookId,
      {
        keep: 0,
        path: '/retention-steady',
      },
    );
    return [
      ...rateFigures(turns),
      // Above 0: the prune outlasted every drain while pruning.
      { scenario: 'retention', metric: 'old left after those drains', value: turns.firstLeft, unit: '' },
      // With no pruning, right after the million's prune and VACUUM.
      { scenario: 'retention', metric: 'drain after the prune', value: first.drain.rate, unit: '/s', ofCeiling: true },
      {
        scenario: 'retention',
        metric: 'drain after the second prune',
        value: steady.drain.rate,
        unit: '/s',
        ofCeiling: true,
      },
      { scenario: 'retention', metric: 'pruned', value: first.prunedPerSecond, unit: '/s' },
      { scenario: 'retention', metric: 'vacuumed, after the prune', value: first.vacuumedAfterS, unit: 's' },
      { scenario: 'retention', metric: 'database, loaded', value: mb(loaded.bytes), unit: 'MB' },
      { scenario: 'retention', metric: 'database, pruned', value: mb(first.pruned.bytes), unit: 'MB' },
      { scenario: 'retention', metric: 'of which free pages', value: mb(first.pruned.freeBytes), unit: 'MB' },
      ...growthFigures('after prune', first.pruned, first.drained, { postgres, indexTarget: false }),
      ...growthFigures('after 2nd prune', steady.pruned, steady.drained, { postgres, indexTarget: true }),
      ...activityFigures([
        ['no pruning', turns.without],
        ['pruning', turns.pruning],
        ['after prune', [first.drain]],
        ['after 2nd prune', [steady.drain]],
      ]),
    ];
  } finally {
    await database.remove();
  }
}
