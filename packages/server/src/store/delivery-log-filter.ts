// What a webhook's delivery log is filtered by, as both engines' delivery-log.ts take it.
import type { DeliveryStatus } from '../domain/delivery.js';

/**
 * Statuses written into the SQL as literals (from this table, never the caller's text): a partial index (… WHERE
 * status = 'failed', migration 010) qualifies only for a query naming the same literal, not a bound parameter.
 */
export const STATUS_LITERAL: Record<DeliveryStatus, string> = {
  pending: "'pending'",
  success: "'success'",
  failed: "'failed'",
};

export interface DeliveryLogFilter {
  webhookId: string;
  status?: DeliveryStatus | undefined;
  eventType?: string | undefined;
  eventId?: string | undefined;
}
