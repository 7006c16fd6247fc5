// What /metrics reads from the database at each scrape: the same figures from every process sharing it.
import type { WebhookStatus } from '../domain/webhook.js';

/** A webhook's state as /metrics counts it: its status, or "paused" when it is switched off (`active: false`). */
export type WebhookState = WebhookStatus | 'paused';
export const WEBHOOK_STATES: readonly WebhookState[] = ['healthy', 'failing', 'disabled', 'paused'];

export interface QueueFigures {
  /** Pending deliveries due by now, of webhooks that deliver (active, not disabled): the queue's depth. */
  dueDeliveries: number;
  /** When the longest-waiting of those came due; undefined when none is due. */
  oldestDueAt: Date | undefined;
  /** Webhooks in each state (a disabled webhook counts as disabled, paused or not). */
  webhooksByState: Record<WebhookState, number>;
}

/** Adds one GROUP BY row of (status, active, count) to the tally. */
export function tallyWebhookStates(rows: { status: string; active: boolean | number; count: number | string }[]) {
  const tally: Record<WebhookState, number> = { healthy: 0, failing: 0, disabled: 0, paused: 0 };
  for (const row of rows) {
    const state: WebhookState = row.status === 'disabled' || row.active ? (row.status as WebhookStatus) : 'paused';
    tally[state] += Number(row.count);
  }
  return tally;
}
