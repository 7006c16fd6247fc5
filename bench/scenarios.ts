// The bench scenarios. Each starts its own hookd on a fresh database, so no run inherits another's queue or memory.
import type { BenchOptions } from './options.js';
import { HookdProcess, type LoadGenerator, type Receiver, BENCH_KEY } from './processes.js';
import { percentile, perSecond } from './stats.js';

export interface Figure {
  scenario: string;
  metric: string;
  value: number;
  unit: string;
  /** When set, the figure is also shown as a share of the ceiling measured in the same run. */
  ofCeiling?: boolean;
  target?: { op: '>=' | '<='; value: number; ofCeiling?: boolean };
}

export interface Context {
  options: BenchOptions;
  receiver: Receiver;
  load: LoadGenerator;
  progress: (line: string) => void;
}

export const LONG_WAIT_MS = 15 * 60_000;
/** hookd's own CPU time (not the database server's) per 1,000 deliveries. */
const CPU_PER_1000 = 'hookd CPU per 1,000 deliveries';

/** `count` webhooks at `${receiver}${path}/<i>` with `settings`; answers their ids. */
export async function webhooks(
  hookd: HookdProcess,
  receiver: Receiver,
  count: number,
  path: string,
  settings: Record<string, unknown>,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const created = await hookd.api<{ id: string }>('POST', '/webhooks', {
      retry: { schedule: ['1s', '2s', '4s', '8s', '16s'] },
      ...settings,
      url: `${receiver.origin}${path}/${i}`,
    });
    ids.push(created.id);
  }
  return ids;
}

export async function withHookd<T>(run: (hookd: HookdProcess) => Promise<T>): Promise<T> {
  const hookd = await HookdProcess.start();
  try {
    return await run(hookd);
  } finally {
    await hookd.stop();
  }
}

export function progressEvery(ctx: Context, label: string, total: number): (received: number) => void {
  let last = 0;
  return (received) => {
    if (Date.now() - last < 2_000) return;
    last = Date.now();
    ctx.progress(`  ${label}: ${received}/${total}`);
  };
}

/** How many times the ceiling is measured; its median is the figure. */
const CEILING_ROUNDS = 3;

export async function ceiling(ctx: Context): Promise<Figure[]> {
  const count = ctx.options.sizes.ceiling;
  ctx.progress(`ceiling: ${count} signed POSTs straight to the receiver, ${CEILING_ROUNDS} times`);
  // A round lasts about two seconds, and on this shared machine one round's rate strayed by a third from the next:
  // every target of the form "a share of the ceiling" rests on this figure, so it is the median of a few.
  const rates: number[] = [];
  for (let round = 0; round < CEILING_ROUNDS; round++) {
    await ctx.receiver.command({ type: 'reset' });
    await ctx.load.run({ type: 'ceiling', url: `${ctx.receiver.origin}/ceiling/0`, count, connections: 64 });
    const stats = await ctx.receiver.waitFor('/ceiling', count, LONG_WAIT_MS);
    rates.push(perSecond(count, stats.lastAt - stats.firstAt));
  }
  return [{ scenario: 'ceiling', metric: 'deliveries/s', value: percentile(rates, 50), unit: '/s' }];
}

/** Queues `events` × 10 webhooks while they are paused (the receiver answering `status`), then switches them on. */
export async function queueAndActivate(
  ctx: Context,
  hookd: HookdProcess,
  events: number,
  path: string,
  settings: Record<string, unknown> = {},
  /** Several drains on one database each need their own: the webhooks of one drain would get the next one's too. */
  eventType = 'bench.queue',
): Promise<string[]> {
  const ids = await webhooks(hookd, ctx.receiver, 10, path, { events: [eventType], active: false, ...settings });
  ctx.progress(`  queueing ${events} events × 10 webhooks`);
  await ctx.load.run({
    type: 'burst',
    base: hookd.base,
    key: BENCH_KEY,
    eventType,
    count: events,
    connections: 32,
  });
  await ctx.receiver.command({ type: 'reset' });
  for (const id of ids) await hookd.api('PATCH', `/webhooks/${id}`, { active: true });
  return ids;
}

export async function drain(ctx: Context): Promise<Figure[]> {
  const events = ctx.options.sizes.drainEvents;
  ctx.progress(`drain: ${events * 10} queued deliveries`);
  const { rate, cpuMs } = await withHookd(async (hookd) => {
    await queueAndActivate(ctx, hookd, events, '/drain');
    const started = Date.now();
    const cpuBefore = hookd.cpuMs();
    const stats = await ctx.receiver.waitFor(
      '/drain',
      events * 10,
      LONG_WAIT_MS,
      progressEvery(ctx, 'drained', events * 10),
    );
    return { rate: perSecond(events * 10, stats.lastAt - started), cpuMs: hookd.cpuMs() - cpuBefore };
  });
  // PostgreSQL's targets are its own (issue #5): every claim and record is a network round trip to another process.
  const share = ctx.options.store === 'postgres' ? 0.25 : 0.45;
  return [
    {
      scenario: 'drain',
      metric: 'deliveries/s',
      value: rate,
      unit: '/s',
      ofCeiling: true,
      target: { op: '>=', value: share, ofCeiling: true },
    },
    { scenario: 'drain', metric: CPU_PER_1000, value: (cpuMs / (events * 10)) * 1000, unit: 'ms' },
  ];
}

export async function endToEnd(ctx: Context): Promise<Figure[]> {
  const { endToEndEvents: count, endToEndWarmUpEvents: warmUp } = ctx.options.sizes;
  ctx.progress(`end-to-end: ${count} events, one request each, one webhook, after ${warmUp} not measured`);
  return withHookd(async (hookd) => {
    await webhooks(hookd, ctx.receiver, 1, '/e2e', { events: ['bench.e2e'] });
    const burst = (events: number) =>
      ctx.load.run({
        type: 'burst',
        base: hookd.base,
        key: BENCH_KEY,
        eventType: 'bench.e2e',
        count: events,
        connections: 64,
      });
    // Steady state, as for latency: a fresh process's first seconds (hot code still being compiled, caches cold) cost
    // half as much again per event, and a server runs for days.
    await ctx.receiver.command({ type: 'reset' });
    await burst(warmUp);
    await ctx.receiver.waitFor('/e2e', warmUp, LONG_WAIT_MS);
    await ctx.receiver.command({ type: 'reset' });
    const cpuBefore = hookd.cpuMs();
    const published = await burst(count);
    const stats = await ctx.receiver.waitFor('/e2e', count, LONG_WAIT_MS, progressEvery(ctx, 'delivered', count));
    const cpuPer1000 = ((hookd.cpuMs() - cpuBefore) / count) * 1000;
    return [
      {
        scenario: 'end-to-end',
        metric: 'events accepted/s',
        value: perSecond(published.accepted, published.endedAt - published.startedAt),
        unit: '/s',
        target: { op: '>=', value: 5_000 },
      },
      {
        scenario: 'end-to-end',
        metric: 'deliveries/s',
        value: perSecond(count, stats.lastAt - published.startedAt),
        unit: '/s',
        ofCeiling: true,
        target: { op: '>=', value: 5_000 },
      },
      // Each event's publish and its delivery: the cost behind both rates, steadier than they are on a shared machine.
      { scenario: 'end-to-end', metric: 'hookd CPU per 1,000 events', value: cpuPer1000, unit: 'ms' },
    ];
  });
}

export async function latency(ctx: Context): Promise<Figure[]> {
  const { perSecond: rate, seconds, warmUpSeconds } = ctx.options.sizes.latency;
  ctx.progress(`latency: ${rate} events/s for ${seconds} s, after ${warmUpSeconds} s not measured`);
  return withHookd(async (hookd) => {
    await webhooks(hookd, ctx.receiver, 1, '/latency', { events: ['bench.latency'] });
    const publish = (forSeconds: number) =>
      ctx.load.run({
        type: 'rate',
        base: hookd.base,
        key: BENCH_KEY,
        eventType: 'bench.latency',
        perSecond: rate,
        seconds: forSeconds,
        connections: 16,
      });
    // A server runs for days: the figure is its steady state, not a fresh process's first seconds, when its hot code
    // is still being compiled and (on PostgreSQL) each connection's backend is loading its caches.
    await ctx.receiver.command({ type: 'reset' });
    await publish(warmUpSeconds);
    await ctx.receiver.waitFor('/latency', rate * warmUpSeconds, LONG_WAIT_MS);
    await ctx.receiver.command({ type: 'reset' });
    await publish(seconds);
    await ctx.receiver.waitFor('/latency', rate * seconds, LONG_WAIT_MS);
    const samples = await ctx.receiver.latencies('/latency');
    return [
      // Issue #5 sets PostgreSQL a p99 target only.
      {
        scenario: 'latency',
        metric: 'p50',
        value: percentile(samples, 50),
        unit: 'ms',
        ...(ctx.options.store === 'postgres' ? {} : { target: { op: '<=' as const, value: 5 } }),
      },
      { scenario: 'latency', metric: 'p95', value: percentile(samples, 95), unit: 'ms' },
      {
        scenario: 'latency',
        metric: 'p99',
        value: percentile(samples, 99),
        unit: 'ms',
        target: { op: '<=', value: ctx.options.store === 'postgres' ? 50 : 25 },
      },
    ];
  });
}

/** The drain scenario's figures, which the backlog's are compared with. */
export function smallQueueBaseline(figures: Figure[]): { rate: number; cpuPer1000: number } | undefined {
  const rate = figures.find((figure) => figure.scenario === 'drain' && figure.metric === 'deliveries/s')?.value;
  const cpuPer1000 = figures.find((figure) => figure.scenario === 'drain' && figure.metric === CPU_PER_1000)?.value;
  return rate === undefined || cpuPer1000 === undefined ? undefined : { rate, cpuPer1000 };
}

export async function backlog(
  ctx: Context,
  smallQueue: { rate: number; cpuPer1000: number } | undefined,
): Promise<Figure[]> {
  const events = ctx.options.sizes.backlogEvents;
  ctx.progress(`backlog: ${events * 10} queued deliveries, the receiver answering 503 for a while`);
  return withHookd(async (hookd) => {
    await ctx.receiver.command({ type: 'status', status: 503 });
    await queueAndActivate(ctx, hookd, events, '/backlog', { retry: { schedule: Array<string>(20).fill('2s') } });
    await new Promise((resolve) => setTimeout(resolve, ctx.options.sizes.backlogOutageMs));
    await ctx.receiver.command({ type: 'reset' });
    await ctx.receiver.command({ type: 'status', status: 200 });
    const started = Date.now();
    const cpuBefore = hookd.cpuMs();
    const stats = await ctx.receiver.waitFor(
      '/backlog',
      events * 10,
      LONG_WAIT_MS,
      progressEvery(ctx, 'drained', events * 10),
    );
    const rate = perSecond(events * 10, stats.lastAt - started);
    const cpuPer1000 = ((hookd.cpuMs() - cpuBefore) / (events * 10)) * 1000;
    const figures: Figure[] = [
      { scenario: 'backlog', metric: 'drain deliveries/s', value: rate, unit: '/s', ofCeiling: true },
      { scenario: 'backlog', metric: CPU_PER_1000, value: cpuPer1000, unit: 'ms' },
      {
        scenario: 'backlog',
        metric: 'peak RSS',
        value: hookd.peakRssMb(),
        unit: 'MB',
        target: { op: '<=', value: 250 },
      },
    ];
    if (smallQueue !== undefined) {
      figures.push(
        {
          scenario: 'backlog',
          metric: 'drain vs small-queue drain',
          value: rate / smallQueue.rate,
          unit: '×',
          target: { op: '>=', value: 0.8 },
        },
        // The same comparison in CPU per delivery (lower is better), which other load on the machine hardly sways.
        {
          scenario: 'backlog',
          metric: 'CPU per delivery vs small-queue',
          value: cpuPer1000 / smallQueue.cpuPer1000,
          unit: '×',
        },
      );
    }
    return figures;
  });
}
