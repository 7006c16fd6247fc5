// What a claim gives back, joined with its events and webhooks: the same for both engines.
import type { ClaimedDelivery, DeliveryKind } from '../domain/delivery.js';
import { toEvent, type EventRow } from './rows.js';
import { toWebhook, type WebhookRow } from './webhook-rows.js';

/** What a claim's UPDATE … RETURNING gives back of each delivery it took. */
export interface ClaimedRow {
  seq: number;
  id: string;
  webhook_id: string;
  event_seq: number;
  kind: DeliveryKind;
  round_failures: number;
  attempts: number;
}

export const CLAIMED_COLUMNS = 'seq, id, webhook_id, event_seq, kind, round_failures, attempts';

/**
 * Claimed rows with their events and webhooks, read once for the whole claim. A webhook deleted since the claim took
 * its deliveries with it, so its claims are dropped (nothing is left to record).
 */
export function toClaims(
  rows: ClaimedRow[],
  eventRows: EventRow[],
  webhookRows: WebhookRow[],
  leaseToken: string,
): ClaimedDelivery[] {
  const events = new Map(eventRows.map((row) => [row.seq, toEvent(row)]));
  const webhooks = new Map(webhookRows.map((row) => [row.id, toWebhook(row)]));
  return rows.flatMap((row) => {
    const webhook = webhooks.get(row.webhook_id);
    const event = events.get(row.event_seq);
    if (!webhook || !event) return [];
    const { seq, id, kind } = row;
    return [{ seq, id, leaseToken, kind, roundFailures: row.round_failures, attempts: row.attempts, webhook, event }];
  });
}
