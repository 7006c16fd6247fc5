// The dashboard scenarios: every API call a dashboard page makes, timed against a delivery log bulk-loaded beforehand
// (log-data.ts), as the browser makes them (the session cookie, one call after another on a kept-alive connection).
// dashboard: each page's calls with 100,000 deliveries in the log (issue #17: under 100 ms each); stats: GET /stats
// with a million (under 50 ms: it reads the hourly rollups, never the log).
import { loadLog } from './log-data.js';
import { HookdProcess, BENCH_KEY } from './processes.js';
import type { Context, Figure } from './scenarios.js';
import { percentile } from './stats.js';

const DAY = 86_400_000;
const EVENT_TYPES = ['order.created', 'order.paid', 'order.shipped', 'invoice.paid', 'customer.updated'];

interface Call {
  name: string;
  path: string;
}

/** A hookd serving `deliveries` bulk-loaded into a week of log over `webhookCount` webhooks; answers their ids. */
async function hookdWithLog(ctx: Context, webhookCount: number, deliveries: number) {
  const first = await HookdProcess.start();
  const database = first.fresh;
  let webhookIds: string[];
  let workspaceId: string;
  try {
    workspaceId = (await first.api<{ data: { id: string }[] }>('GET', '/workspaces?limit=1')).data[0]!.id;
    for (const name of EVENT_TYPES)
      await first.api('POST', '/event-types', { name, description: `The ${name.replace('.', ' ')} event` });
    webhookIds = [];
    for (let i = 0; i < webhookCount; i++) {
      const hook = await first.api<{ id: string }>('POST', '/webhooks', {
        url: `${ctx.receiver.origin}/dashboard/${i}`,
        events: EVENT_TYPES,
        description: `Endpoint ${i}`,
      });
      webhookIds.push(hook.id);
    }
  } finally {
    await first.stop({ keepDatabase: true });
  }
  const started = Date.now();
  await loadLog(database.database, { workspaceId, webhookIds, eventTypes: EVENT_TYPES, deliveries, spanMs: 7 * DAY });
  ctx.progress(`  ${deliveries} deliveries loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const hookd = await HookdProcess.start([], database);
  return { hookd, webhookIds };
}

/** Logs in as the dashboard does and answers a GET that carries the session cookie. */
async function browserSession(hookd: HookdProcess): Promise<(path: string) => Promise<unknown>> {
  const login = await fetch(`${hookd.base}/api/v1/dashboard/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey: BENCH_KEY }),
  });
  if (!login.ok) throw new Error(`dashboard login → ${login.status}: ${await login.text()}`);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  return async (path) => {
    const response = await fetch(`${hookd.base}${path}`, { headers: { cookie } });
    const text = await response.text();
    if (!response.ok) throw new Error(`GET ${path} → ${response.status}: ${text}`);
    return JSON.parse(text) as unknown;
  };
}

/** Each call `rounds` times, round by round (one unmeasured round first); p50, p95 and max of each, in ms. */
async function timeCalls(
  ctx: Context,
  scenario: string,
  hookd: HookdProcess,
  get: (path: string) => Promise<unknown>,
  calls: Call[],
  options: { rounds: number; targetMs: number },
): Promise<Figure[]> {
  const samples = new Map<string, number[]>(calls.map((call) => [call.name, []]));
  let cpuBefore = 0;
  for (let round = -1; round < options.rounds; round++) {
    if (round === 0) cpuBefore = hookd.cpuMs();
    for (const call of calls) {
      const started = performance.now();
      await get(call.path);
      if (round >= 0) samples.get(call.name)!.push(performance.now() - started);
    }
  }
  // hookd's own CPU time per call, steadier than the times on a shared machine (and the database server's excluded).
  const cpuPerCall = (hookd.cpuMs() - cpuBefore) / (calls.length * options.rounds);
  ctx.progress(`  ${calls.length} calls × ${options.rounds} rounds timed`);
  const figures = calls.flatMap((call) => {
    const times = samples.get(call.name)!;
    return [
      { scenario, metric: `${call.name} p50`, value: percentile(times, 50), unit: 'ms' },
      {
        scenario,
        metric: `${call.name} p95`,
        value: percentile(times, 95),
        unit: 'ms',
        target: { op: '<=' as const, value: options.targetMs },
      },
      { scenario, metric: `${call.name} max`, value: Math.max(...times), unit: 'ms' },
    ];
  });
  return [...figures, { scenario, metric: 'hookd CPU per call (mean)', value: cpuPerCall, unit: 'ms' }];
}

/** The calls of every page: the list, a webhook's page and its delivery log's filters, a delivery, the catalog. */
function pageCalls(webhookIds: string[], newestCursor: string, events: number): Call[] {
  const [hook, other] = webhookIds as [string, string];
  const log = `/api/v1/webhooks/${hook}/deliveries?limit=25`;
  const middle = String(Math.floor(Number(newestCursor) / 2));
  return [
    { name: 'session', path: '/api/v1/dashboard/session' },
    { name: 'workspaces (switcher)', path: '/api/v1/workspaces?limit=100' },
    { name: 'webhooks list', path: '/api/v1/webhooks?limit=100' },
    { name: 'stats, all', path: '/api/v1/stats' },
    { name: 'webhook', path: `/api/v1/webhooks/${hook}` },
    { name: 'stats, one webhook', path: `/api/v1/stats?webhookId=${hook}` },
    { name: 'event types', path: '/api/v1/event-types?limit=100' },
    { name: 'log', path: log },
    { name: 'log, next page', path: `${log}&cursor=${newestCursor}` },
    { name: 'log, middle page', path: `${log}&cursor=${middle}` },
    { name: 'log ?status=failed', path: `${log}&status=failed` },
    { name: 'log ?status=pending', path: `${log}&status=pending` },
    { name: 'log ?event=', path: `${log}&event=order.paid` },
    { name: 'log ?status&event=', path: `${log}&status=failed&event=order.paid` },
    { name: 'log ?eventId= newest', path: `${log}&eventId=msg_log_${events}` },
    { name: 'log ?eventId= oldest', path: `${log}&eventId=msg_log_1` },
    { name: 'log ?eventId= none', path: `${log}&eventId=msg_none` },
    { name: 'delivery (search by id)', path: `/api/v1/deliveries/dlv_log_${Math.floor(events / 2)}_0` },
    { name: 'delivery attempts', path: `/api/v1/deliveries/dlv_log_${Math.floor(events / 2)}_0/attempts?limit=100` },
    { name: "delivery's webhook", path: `/api/v1/webhooks/${other}` },
  ];
}

export async function dashboard(ctx: Context): Promise<Figure[]> {
  const deliveries = ctx.options.sizes.dashboardDeliveries;
  ctx.progress(`dashboard: every page's API calls with ${deliveries} deliveries in the log`);
  const { hookd, webhookIds } = await hookdWithLog(ctx, 10, deliveries);
  try {
    const get = await browserSession(hookd);
    const first = (await get(`/api/v1/webhooks/${webhookIds[0]}/deliveries?limit=25`)) as { nextCursor: string };
    const calls = pageCalls(webhookIds, first.nextCursor, Math.ceil(deliveries / 2));
    return await timeCalls(ctx, 'dashboard', hookd, get, calls, { rounds: ctx.options.quick ? 3 : 30, targetMs: 100 });
  } finally {
    await hookd.stop();
  }
}

export async function stats(ctx: Context): Promise<Figure[]> {
  const deliveries = ctx.options.sizes.statsDeliveries;
  const webhookCount = ctx.options.quick ? 10 : 100;
  ctx.progress(`stats: GET /stats with ${deliveries} deliveries over ${webhookCount} webhooks in the log`);
  const { hookd, webhookIds } = await hookdWithLog(ctx, webhookCount, deliveries);
  try {
    const get = await browserSession(hookd);
    const calls = [
      { name: 'GET /stats', path: '/api/v1/stats' },
      { name: 'GET /stats?webhookId=', path: `/api/v1/stats?webhookId=${webhookIds[0]}` },
    ];
    return await timeCalls(ctx, 'stats', hookd, get, calls, { rounds: ctx.options.quick ? 5 : 100, targetMs: 50 });
  } finally {
    await hookd.stop();
  }
}
