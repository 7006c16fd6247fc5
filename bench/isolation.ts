// The isolation scenario: p99 latency of nine healthy webhooks, with and then without a tenth that hangs.
import { BENCH_KEY } from './processes.js';
import { type Context, type Figure, LONG_WAIT_MS, webhooks, withHookd } from './scenarios.js';
import { percentile } from './stats.js';

export async function isolation(ctx: Context): Promise<Figure[]> {
  const { perSecond: rate, seconds, warmUpSeconds } = ctx.options.sizes.isolation;
  const run = async (hang: boolean): Promise<number> =>
    withHookd(async (hookd) => {
      await webhooks(hookd, ctx.receiver, 9, '/ok', { events: ['bench.iso'], timeout: '1s' });
      await webhooks(hookd, ctx.receiver, 1, hang ? '/hang' : '/ok', {
        events: ['bench.iso'],
        timeout: '1s',
        retry: { schedule: [] },
      });
      await ctx.receiver.command({ type: 'hang', prefixes: hang ? ['/hang'] : [] });
      const publish = (forSeconds: number) =>
        ctx.load.run({
          type: 'rate',
          base: hookd.base,
          key: BENCH_KEY,
          eventType: 'bench.iso',
          perSecond: rate,
          seconds: forSeconds,
          connections: 16,
        });
      const okDeliveries = (forSeconds: number) => rate * forSeconds * (hang ? 9 : 10);
      // Both runs are compared in their steady state: a fresh process's first second (its code still compiling,
      // its connections still opening) otherwise set the all-healthy run's p99, and so the ratio.
      await ctx.receiver.command({ type: 'reset' });
      await publish(warmUpSeconds);
      await ctx.receiver.waitFor('/ok', okDeliveries(warmUpSeconds), LONG_WAIT_MS);
      await ctx.receiver.command({ type: 'reset' });
      await publish(seconds);
      await ctx.receiver.waitFor('/ok', okDeliveries(seconds), LONG_WAIT_MS);
      await ctx.receiver.command({ type: 'hang', prefixes: [] });
      return percentile(await ctx.receiver.latencies('/ok'), 99);
    });
  ctx.progress(`isolation: ${rate} events/s × 10 webhooks for ${seconds} s, all healthy, then one hanging`);
  const allHealthy = await run(false);
  const oneHanging = await run(true);
  return [
    { scenario: 'isolation', metric: 'p99 all healthy', value: allHealthy, unit: 'ms' },
    { scenario: 'isolation', metric: 'p99 healthy nine, one hanging', value: oneHanging, unit: 'ms' },
    {
      scenario: 'isolation',
      metric: 'p99 ratio',
      value: oneHanging / allHealthy,
      unit: '×',
      target: { op: '<=', value: 2 },
    },
  ];
}
