// Per webhook: attempts by outcome over the current hour and the last 24, and the hourly series the dashboard's
// charts draw, from the hourly counts kept as attempts are recorded (never a scan of the delivery log).
import { HookdError } from '../domain/errors.js';
import {
  HOUR_MS,
  hourStartOf,
  SERIES_HOURS,
  webhookStats,
  type HourlyCount,
  type WebhookStats,
} from '../domain/webhook-stats.js';
import type { ServiceDeps } from './deps.js';

/**
 * The stats of one webhook (`webhookId`), or of every webhook the caller sees (`onlyIds`: a portal link's; null: the
 * whole workspace's), newest webhook first.
 */
export async function statsOfWebhooks(
  deps: ServiceDeps,
  workspaceId: string,
  which: { webhookId: string | undefined; onlyIds: string[] | null },
): Promise<WebhookStats[]> {
  const webhookIds = await webhooksOfStats(deps, workspaceId, which);
  const now = deps.clock();
  const since = new Date(hourStartOf(now).getTime() - (SERIES_HOURS - 1) * HOUR_MS);
  const counts = webhookIds.length === 0 ? [] : await deps.store.listHourlyCounts(workspaceId, webhookIds, since);
  const countsById = new Map<string, HourlyCount[]>();
  for (const count of counts) {
    const ofWebhook = countsById.get(count.webhookId);
    if (ofWebhook) ofWebhook.push(count);
    else countsById.set(count.webhookId, [count]);
  }
  return webhookIds.map((id) => webhookStats(id, countsById.get(id) ?? [], now));
}

async function webhooksOfStats(
  deps: ServiceDeps,
  workspaceId: string,
  which: { webhookId: string | undefined; onlyIds: string[] | null },
): Promise<string[]> {
  if (which.webhookId !== undefined) {
    const visible = which.onlyIds === null || which.onlyIds.includes(which.webhookId);
    if (!visible || !(await deps.store.getWebhook(workspaceId, which.webhookId)))
      throw new HookdError('HOOKD_ERR_WEBHOOK_NOT_FOUND', `no webhook ${which.webhookId}`);
    return [which.webhookId];
  }
  // Ids only: a workspace holds at most --max-webhooks-per-workspace (1,000 by default).
  const ids = await deps.store.listWebhookIds(workspaceId);
  if (which.onlyIds === null) return ids;
  const visible = new Set(which.onlyIds);
  return ids.filter((id) => visible.has(id));
}
