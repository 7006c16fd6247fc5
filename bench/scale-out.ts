// The scale-out scenario (PostgreSQL): one `hookd serve --no-worker` takes the events, and 1, then 2, `hookd worker`
// processes on the same database drain them. Shows what a second worker process adds on this machine.
import { HookdProcess, HookdWorker } from './processes.js';
import { LONG_WAIT_MS, progressEvery, queueAndActivate, type Context, type Figure } from './scenarios.js';
import { perSecond } from './stats.js';

async function drainWith(ctx: Context, workers: number): Promise<number> {
  const events = ctx.options.sizes.scaleOutEvents;
  const api = await HookdProcess.start(['--no-worker']);
  const started: HookdWorker[] = [];
  try {
    for (let i = 0; i < workers; i++) started.push(await HookdWorker.start(api.database));
    // The webhooks stay paused while events queue; switching them on NOTIFYs the idle workers.
    await queueAndActivate(ctx, api, events, `/scale-${workers}`);
    const begun = Date.now();
    const stats = await ctx.receiver.waitFor(
      `/scale-${workers}`,
      events * 10,
      LONG_WAIT_MS,
      progressEvery(ctx, `drained by ${workers}`, events * 10),
    );
    return perSecond(events * 10, stats.lastAt - begun);
  } finally {
    await Promise.all(started.map((worker) => worker.stop()));
    await api.stop();
  }
}

export async function scaleOut(ctx: Context): Promise<Figure[]> {
  ctx.progress(
    `scale-out: ${ctx.options.sizes.scaleOutEvents * 10} queued deliveries, drained by 1 and then 2 worker processes`,
  );
  const one = await drainWith(ctx, 1);
  const two = await drainWith(ctx, 2);
  return [
    { scenario: 'scale-out', metric: 'drain, 1 worker process', value: one, unit: '/s', ofCeiling: true },
    { scenario: 'scale-out', metric: 'drain, 2 worker processes', value: two, unit: '/s', ofCeiling: true },
    { scenario: 'scale-out', metric: '2 workers vs 1', value: two / one, unit: '×' },
  ];
}
